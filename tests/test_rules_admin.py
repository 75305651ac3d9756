"""Rules maintained: the admin screen and `flask --app app rules`, validated (no overlap, no
gap, positive amounts, min ≤ max, a source) and audited; only admins may change them."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tracker.extensions import db
from tracker.models import AuditEvent, IncomeBasisRule, SupportRate
from tracker.services import contributions
from tracker.services import rules as rule_service


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def basis_of(day: date) -> IncomeBasisRule:
    return db.session.scalar(select(IncomeBasisRule).where(IncomeBasisRule.valid_from == day))


@pytest.fixture
def admin(app, client, auth):
    make_user("boss", "admin")
    auth.login("boss")
    return client


def basis_form(**values):
    data = {
        "basis-valid_from": "2028-07-01",
        "basis-last_day": "",
        "basis-contribution_percent": "22",
        "basis-minimum_basis": "2200000",
        "basis-maximum_basis": "50600000",
        "basis-source": "NĐ giả định/2028 (lương cơ sở 2.530.000 đ)",
    }
    data.update({f"basis-{k}": str(v) for k, v in values.items()})
    return data


def test_the_screen_lists_every_rule_with_its_source(admin):
    page = admin.get("/admin/rules").get_data(as_text=True)
    assert "NĐ 351/2025/NĐ-CP" in page and "NĐ 159/2025/NĐ-CP" in page
    assert "2.200.000" in page and "484.000" in page  # the 2027 minimum and its contribution
    assert "01/07/2018" in page and "30/06/2018" in page  # the 2018 split


def test_a_new_rule_ends_the_open_latest_one_and_is_audited(admin):
    response = admin.post("/admin/rules/basis", data=basis_form())
    assert response.status_code == 302
    ended = basis_of(date(2027, 1, 1))
    assert ended.valid_to == date(2028, 7, 1)
    added = basis_of(date(2028, 7, 1))
    assert added.valid_to is None and added.maximum_basis == 50_600_000
    assert contributions.rule_on(date(2028, 6, 30)).maximum_basis == 46_800_000
    assert contributions.rule_on(date(2028, 7, 1)).maximum_basis == 50_600_000
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "income_basis_rule")
    ).all()
    assert sorted(e.action for e in events) == ["create", "update"]
    assert next(e for e in events if e.action == "update").after["valid_to"] == "2028-07-01"


@pytest.mark.parametrize(
    "values,field",
    [
        ({"valid_from": "2020-01-01"}, "overlap"),  # inside the table
        ({"valid_from": "2027-01-01"}, "overlap"),  # the same first day
        ({"valid_from": "2015-01-01"}, "overlap"),  # before the first, but running into it
        ({"valid_from": "2015-01-01", "last_day": "2015-06-30"}, "gap"),  # to 2015-12-31
        ({"minimum_basis": "0"}, "positive"),
        ({"minimum_basis": "2200500"}, "thousands"),
        ({"maximum_basis": "2000000"}, "below"),
        ({"source": ""}, "source"),
        ({"contribution_percent": "0"}, "percent"),
        ({"last_day": "2028-06-01"}, "order"),
    ],
)
def test_refused_rules_write_nothing(admin, values, field):
    before = (count(IncomeBasisRule), count(AuditEvent))
    response = admin.post("/admin/rules/basis", data=basis_form(**values))
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert (count(IncomeBasisRule), count(AuditEvent)) == before
    assert basis_of(date(2027, 1, 1)).valid_to is None


def test_no_gap_after_a_rule_that_ends(app):
    values = rule_service.BasisValues(
        date(2028, 1, 1), date(2029, 1, 1), 22, 2_200_000, 46_800_000, "NĐ thử"
    )
    rule_service.add_basis(None, values)
    later = rule_service.BasisValues(date(2029, 3, 1), None, 22, 2_200_000, 46_800_000, "NĐ thử 2")
    with pytest.raises(rule_service.RuleError) as raised:
        rule_service.add_basis(None, later)
    assert raised.value.code == "gap"
    db.session.rollback()
    with pytest.raises(contributions.ContributionError):
        contributions.rule_on(date(2029, 2, 1))  # the table ends: an error, never a guess
    following = rule_service.BasisValues(
        date(2029, 1, 1), None, 22, 2_200_000, 46_800_000, "NĐ thử 2"
    )
    rule_service.add_basis(None, following)
    assert contributions.rule_on(date(2029, 2, 1)).source == "NĐ thử 2"


def test_a_rule_before_the_first_must_end_where_it_begins(app):
    values = rule_service.BasisValues(
        date(2015, 1, 1), date(2016, 1, 1), 22, 605_000, 23_000_000, "QĐ 09/2011/QĐ-TTg"
    )
    rule_service.add_basis(None, values)
    assert contributions.rule_on(date(2015, 6, 1)).minimum_basis == 605_000


def test_new_support_rates_change_only_the_categories_given(admin):
    response = admin.post(
        "/admin/rules/support",
        data={
            "support-valid_from": "2028-01-01",
            "support-poor": "60",
            "support-source": "NĐ thử hỗ trợ",
        },
    )
    assert response.status_code == 302
    assert contributions.compute(date(2028, 1, 1), "poor").monthly_state_support == 290_400
    assert contributions.compute(date(2027, 12, 31), "poor").monthly_state_support == 242_000
    assert contributions.compute(date(2028, 1, 1), "other").monthly_state_support == 96_800
    response = admin.post(
        "/admin/rules/support",
        data={"support-valid_from": "2028-01-01", "support-source": "x"},
    )
    assert response.status_code == 422  # no category given
    response = admin.post(
        "/admin/rules/support",
        data={
            "support-valid_from": "2027-06-01",
            "support-other": "25",
            "support-poor": "55",
            "support-source": "x",
        },
    )
    # other's rate could start then, but poor's would overlap its 2028 rate: nothing is written
    assert response.status_code == 422
    assert "Trùng" in response.get_data(as_text=True) or "Overlaps" in response.get_data(
        as_text=True
    )
    assert count(SupportRate) == 13
    assert contributions.compute(date(2027, 7, 1), "other").monthly_state_support == 96_800


def test_withdraw_the_latest_rule_only(admin):
    latest = basis_of(date(2027, 1, 1))
    earlier = basis_of(date(2025, 7, 1))
    admin.post(f"/admin/rules/basis/{earlier.id}/withdraw")
    assert basis_of(date(2025, 7, 1)) is not None  # not the latest: refused
    admin.post(f"/admin/rules/basis/{latest.id}/withdraw")
    assert basis_of(date(2027, 1, 1)) is None
    assert basis_of(date(2025, 7, 1)).valid_to is None  # in force again
    assert contributions.compute(date(2027, 6, 1), "other", 1_500_000).monthly_contribution == (
        330_000
    )
    assert admin.post("/admin/rules/basis/99999/withdraw").status_code == 404


@pytest.mark.parametrize("role", ["officer", "supervisor", "leader"])
def test_only_admins_manage_rules(app, client, auth, role):
    make_user("someone", role)
    auth.login("someone")
    assert client.get("/admin/rules").status_code == 403
    assert client.post("/admin/rules/basis", data=basis_form()).status_code == 403
    assert client.post("/admin/rules/support", data={}).status_code == 403
    rule = basis_of(date(2027, 1, 1))
    assert client.post(f"/admin/rules/basis/{rule.id}/withdraw").status_code == 403
    assert basis_of(date(2028, 7, 1)) is None and basis_of(date(2027, 1, 1)) is not None


def test_the_command_line(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["rules", "list"])
    assert listed.exit_code == 0
    assert "2027-01-01 – …" in listed.output and "351/2025" in listed.output
    assert "2018-07-01 – 2019-06-30" in listed.output
    added = runner.invoke(
        args=["rules", "add", "--kind", "basis", "--from", "2028-07-01", "--minimum", "2200000"]
        + ["--maximum", "50600000", "--source", "NĐ thử"]
    )
    assert added.exit_code == 0, added.output
    assert "ended" in added.output and "added" in added.output
    overlap = runner.invoke(
        args=["rules", "add", "--kind", "basis", "--from", "2020-01-01", "--minimum", "700000"]
        + ["--maximum", "29800000", "--source", "x"]
    )
    assert overlap.exit_code != 0 and "Overlaps" in overlap.output
    support = runner.invoke(
        args=["rules", "add", "--kind", "support", "--from", "2029-01-01"]
        + ["--rate", "poor=55", "--rate", "near_poor=45", "--source", "NĐ thử"]
    )
    assert support.exit_code == 0, support.output
    assert contributions.compute(date(2029, 1, 1), "near_poor").monthly_state_support == 217_800
    bad = runner.invoke(
        args=["rules", "add", "--kind", "support", "--from", "2030-01-01", "--rate", "rich=5"]
        + ["--source", "x"]
    )
    assert bad.exit_code != 0
    rule = basis_of(date(2028, 7, 1))
    withdrawn = runner.invoke(args=["rules", "withdraw", "--kind", "basis", str(rule.id)])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert basis_of(date(2027, 1, 1)).valid_to is None
    events = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.actor_id.is_(None))
    )
    assert events >= 5  # the command's changes are audited too, as the system's
