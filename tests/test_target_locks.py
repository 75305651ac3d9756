"""Closed targets stay as they were (docs/design.md, "Targets", "Closed periods"): no write of
any target of a year, new or edited, of any period, moves the composed target of a month of
that year already closed, unless a leader reopened it; reopening is a leader's or an
administrator's, with a reason, audited, shown on the target pages and over after a week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.factories import make_area, make_city, make_officer, make_user
from tracker import periods, progress
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import AuditEvent, Target, TargetReopening
from tracker.services import target_locks
from tracker.services.targets import TargetChange, set_target

YEAR = 2024
MONTHS = [periods.month(YEAR, number) for number in range(1, 13)]
PERIODS = [
    periods.year(YEAR),
    *[periods.quarter(YEAR, number) for number in range(1, 5)],
    *MONTHS,
]
SCHEMES = ("voluntary_si", "household_hi")


@pytest.fixture
def today_is(monkeypatch):
    """The day the target rules and the target pages see."""

    def set_day(day: date) -> None:
        for module in ("tracker.services.targets", "tracker.targets.views"):
            monkeypatch.setattr(f"{module}.local_today", lambda: day)

    return set_day


@pytest.fixture
def team(app):
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward])
    admin = make_user("boss", "admin")
    make_user("leader", "leader")
    return chief, lan, admin


def composed(officer_id: int, scheme: str) -> dict[periods.Period, float | None]:
    """Each month's target of the officer, as every board composes it."""
    return {
        span: progress.flow_targets("officer", "new_participants", span, [officer_id], scheme).get(
            officer_id
        )
        for span in MONTHS
    }


def change(officer, period, value, scheme="voluntary_si") -> TargetChange:
    return TargetChange("officer", officer.id, "new_participants", period, value, scheme=scheme)


def test_a_quarter_set_beside_the_year_leaves_january_as_it_was(team, today_is):
    chief, lan, _ = team
    today_is(date(2024, 1, 15))
    set_target(chief, change(lan, periods.year(YEAR), 120))
    assert composed(lan.id, "voluntary_si")[MONTHS[0]] == pytest.approx(120 * 31 / 366)  # 10.16
    today_is(date(2024, 3, 10))
    set_target(chief, change(lan, periods.quarter(YEAR, 4), 60))
    months = composed(lan.id, "voluntary_si")
    assert months[MONTHS[0]] == pytest.approx(120 * 31 / 366)  # not 6.79
    assert months[MONTHS[1]] == pytest.approx(120 * 29 / 366)
    assert sum(months.values()) == pytest.approx(120)  # the year still adds up
    assert sum(months[span] for span in MONTHS[9:]) == pytest.approx(60)
    pin = db.session.scalar(select(Target).where(Target.period_end == date(2024, 1, 31)))
    assert (pin.value, pin.exact_value) == (10, pytest.approx(10.1639, abs=1e-4))


CEILING = {"year": 1200, "quarter": 300, "month": 100}  # finer targets mostly fit the whole

# One write: a period of 2024, a value, a scheme, and the day it is made on.
write = st.sampled_from(PERIODS).flatmap(
    lambda period: st.tuples(
        st.just(period),
        st.integers(0, CEILING[period.kind]),
        st.sampled_from(SCHEMES),
        st.integers(0, 400).map(lambda days: date(2024, 1, 1) + timedelta(days=days)),
    )
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(write, min_size=2, max_size=8), forward=st.booleans())
def test_no_write_moves_a_closed_month(team, today_is, writes, forward):
    """Random writes on random days, in the order of their days or not: after each, every
    month closed that day has the target it had before, in both schemes; a write refused
    moves nothing."""
    _, lan, admin = team
    db.session.execute(delete(Target))
    db.session.commit()
    if forward:
        writes = sorted(writes, key=lambda w: w[3])
    for period, value, scheme, day in writes:
        today_is(day)
        before = {s: composed(lan.id, s) for s in SCHEMES}
        try:
            set_target(admin, change(lan, period, value, scheme))
        except RuleBroken as error:
            assert error.code == "period_closed" and period.end < day
        after = {s: composed(lan.id, s) for s in SCHEMES}
        for s in SCHEMES:
            for span in MONTHS:
                if s != scheme or (span.end < day and before[s][span] is not None):
                    assert after[s][span] == pytest.approx(before[s][span], abs=1e-9), (s, span)


def test_a_reopened_month_may_change_and_the_others_stay(team, today_is):
    chief, lan, admin = team
    today_is(date(2024, 1, 10))
    set_target(chief, change(lan, periods.year(YEAR), 120))
    today_is(date(2024, 4, 2))
    target_locks.reopen(admin, periods.month(YEAR, 2), "Thêm tổ thu mới", date(2024, 4, 2))
    before = composed(lan.id, "voluntary_si")
    set_target(chief, change(lan, periods.quarter(YEAR, 4), 60))
    after = composed(lan.id, "voluntary_si")
    assert after[MONTHS[0]] == pytest.approx(before[MONTHS[0]])
    assert after[MONTHS[2]] == pytest.approx(before[MONTHS[2]])
    assert after[MONTHS[1]] < before[MONTHS[1]]  # February was reopened: it took its share


def test_leader_and_admin_reopen_with_a_reason_shown_and_audited(team, client, auth, today_is):
    chief, lan, _ = team
    today_is(date(2025, 2, 10))
    for username, period, reason in (
        ("leader", "2024-12", "Sửa chỉ tiêu tháng 12 theo quyết định bổ sung"),
        ("boss", "2024-Q3", "Sai số liệu quý 3"),
    ):
        auth.login(username)
        response = client.post(
            "/targets/reopen", data={"period": period, "reason": reason, "back": "/targets/areas"}
        )
        assert response.status_code == 302
        auth.logout()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "reopen_targets").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor.username, e.after["period"], e.after["until"]) for e in events] == [
        ("leader", "2024-12", "2025-02-16"),
        ("boss", "2024-Q3", "2025-02-16"),
    ]
    auth.login("chief")
    page = client.get(f"/targets/team?year=2024&supervisor={chief.id}").get_data(as_text=True)
    assert "Sửa chỉ tiêu tháng 12 theo quyết định bổ sung" in page and "Leader" in page
    assert "Sai số liệu quý 3" in page


def test_a_supervisor_cannot_reopen(team, client, auth, today_is):
    today_is(date(2025, 2, 10))
    auth.login("chief")
    response = client.post("/targets/reopen", data={"period": "2024-12", "reason": "Xin mở"})
    assert response.status_code == 403
    assert db.session.scalar(select(TargetReopening.id)) is None
    with pytest.raises(target_locks.ReopenError):
        target_locks.reopen(team[2], periods.month(2025, 2), "Chưa hết tháng", date(2025, 2, 10))


def put(client, officer, period: str, value: int):
    body = {
        "subject": "officer",
        "id": officer.id,
        "metric": "new_participants",
        "period": period,
        "value": value,
    }
    return client.put("/api/v1/targets", json=body)


def test_writes_to_a_closed_period_are_refused_until_reopened_for_seven_days(
    team, client, auth, today_is
):
    chief, lan, admin = team
    today_is(date(2025, 2, 10))
    auth.login("chief")
    refused = put(client, lan, "2024-12", 9)
    assert refused.status_code == 422
    assert "Kỳ này đã kết thúc" in refused.json["error"]["fields"]["period"]
    auth.logout()
    auth.login("lan")
    assert put(client, lan, "2024-12", 9).status_code == 403  # an officer sets no target
    auth.logout()
    target_locks.reopen(admin, periods.month(2024, 12), "Quyết định bổ sung", date(2025, 2, 10))
    auth.login("chief")
    for day, value, status in ((date(2025, 2, 10), 9, 200), (date(2025, 2, 16), 10, 200)):
        today_is(day)
        assert put(client, lan, "2024-12", value).status_code == status
    today_is(date(2025, 2, 17))  # the eighth day: closed again
    assert put(client, lan, "2024-12", 11).status_code == 422
    assert put(client, lan, "2024-11", 11).status_code == 422  # never reopened
    current = db.session.scalar(
        select(Target.value).where(
            Target.period_start == date(2024, 12, 1), Target.replaced_at.is_(None)
        )
    )
    assert current == 10
