"""Filling a year of the team's targets at once is previewed before anything is written, saved
only when confirmed, exactly as previewed, and never over targets saved since the preview."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_officer, make_user
from tests.plans import confirm_plan, plan_form
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import AuditEvent, Target
from tracker.periods import Period, parse
from tracker.services import target_plans
from tracker.services.targets import TargetChange, set_target

GRID = "/targets/team?year=2024"


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    targets_today(date(2023, 1, 1))


@pytest.fixture
def team(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward], full_name="Lan")
    minh = make_officer("minh", supervisor=chief, areas=[ward], full_name="Minh")
    stranger = make_officer("stranger", supervisor=make_user("other", "supervisor"))
    set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024-03"), 5))
    return chief, lan, minh, stranger


def spread(*officers, yearly=(120, 60)) -> dict:
    data = {"action": "spread", "spread_method": "even", "officer": [str(o.id) for o in officers]}
    data.update({f"cell-{o.id}-2024": str(v) for o, v in zip(officers, yearly, strict=False)})
    return data


def current_targets() -> dict[tuple[int, str], int]:
    rows = db.session.scalars(select(Target).where(Target.replaced_at.is_(None)))
    return {(t.officer_id, Period(t.period_start, t.period_end).key): t.value for t in rows}


def audited() -> int:
    query = select(func.count()).where(AuditEvent.action == "set_target")
    return db.session.scalar(query.select_from(AuditEvent))


def cell(page: str, officer, key: str) -> str:
    found = re.search(rf'data-test="plan-{officer.id}-{key}">(.*?)</td>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_spread_is_previewed_old_to_new_and_nothing_is_written(team, client, auth):
    chief, lan, minh, _ = team
    before, events = current_targets(), audited()
    auth.login("chief")
    response = client.post(GRID, data=spread(lan, minh))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert current_targets() == before and audited() == events  # nothing written yet
    assert "26 chỉ tiêu sẽ thay đổi." in page and "Chưa có gì được lưu." in page
    assert cell(page, lan, "2024") == "— → 120"
    assert cell(page, lan, "2024-03") == "5 → 10"  # what the grid holds now, and after
    assert cell(page, minh, "2024-12") == "— → 5"
    assert 'data-test="plan-confirm"' in page and "Lưu 26 chỉ tiêu này" in page


def test_the_confirmation_writes_exactly_the_previewed_values(team, client, auth):
    chief, lan, minh, _ = team
    events = audited()
    auth.login("chief")
    preview = client.post(GRID, data=spread(lan, minh)).get_data(as_text=True)
    planned = {
        (int(name.split("-")[1]), name.split("-", 2)[2]): int(value)
        for name, value in plan_form(preview).items()
        if name.startswith("plan-")
    }
    assert len(planned) == 26
    response = client.post(
        GRID, data={**plan_form(preview), "action": "confirm", "note": "Giao đầu năm"}
    )
    assert response.status_code == 302
    assert current_targets() == planned
    assert audited() == events + 26  # each version audited, as a cell saved by hand
    notes = set(db.session.scalars(select(Target.note).where(Target.replaced_at.is_(None))))
    assert notes == {"Giao đầu năm"}


def test_a_stale_preview_is_shown_again_never_saved_over(team, client, auth):
    chief, lan, minh, _ = team
    auth.login("chief")
    preview = client.post(GRID, data=spread(lan, minh)).get_data(as_text=True)
    # Meanwhile, in another tab, March is set to 7.
    set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024-03"), 7))
    before = current_targets()
    response = client.post(GRID, data={**plan_form(preview), "action": "confirm"})
    assert response.status_code == 409
    assert current_targets() == before  # 7 stays: nothing saved over it
    again = response.get_data(as_text=True)
    assert 'data-test="plan-stale"' in again
    assert cell(again, lan, "2024-03") == "7 → 10"  # the same plan against today's grid
    saved = client.post(GRID, data={**plan_form(again), "action": "confirm"})
    assert saved.status_code == 302
    assert current_targets()[(lan.id, "2024-03")] == 10


def test_what_cannot_be_written_is_said_before_and_nothing_is(team, client, auth, targets_today):
    chief, lan, minh, _ = team
    targets_today(date(2024, 6, 15))  # January to May have ended: their targets are closed
    auth.login("chief")
    before = current_targets()
    response = client.post(GRID, data=spread(lan, yearly=(120,)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-test="plan-problems"' in page
    assert "Lan · 01/2024" in page and 'data-test="plan-confirm"' not in page
    forced = client.post(GRID, data={**plan_form(page), "action": "confirm"})
    assert forced.status_code == 422 and current_targets() == before


def test_a_forged_plan_for_another_team_writes_nothing(team, client, auth):
    chief, lan, minh, stranger = team
    auth.login("chief")
    preview = client.post(GRID, data=spread(lan, yearly=(12,))).get_data(as_text=True)
    basis = plan_form(preview)["basis"]
    before = current_targets()
    for forged in ({f"plan-{stranger.id}-2024": "9"}, {f"plan-{lan.id}-2024": "twelve"}):
        response = client.post(GRID, data={"basis": basis, "action": "confirm", **forged})
        assert response.status_code == 422
    assert current_targets() == before


def test_copy_and_one_value_are_previewed_too(team, client, auth):
    chief, lan, minh, _ = team
    auth.login("chief")
    before = current_targets()
    one_value = {
        "action": "apply",
        "officer": [str(lan.id), str(minh.id)],
        "bulk_value": "4",
        "bulk_period": "2024-03",
    }
    page = client.post(GRID, data=one_value).get_data(as_text=True)
    assert cell(page, lan, "2024-03") == "5 → 4" and cell(page, minh, "2024-03") == "— → 4"
    copy = client.post(
        GRID, data={"action": "copy", "officer": str(minh.id), "bulk_period": "2024"}
    )
    assert 'data-test="plan-empty"' in copy.get_data(as_text=True)  # 2023 had nothing to copy
    assert current_targets() == before
    assert confirm_plan(client, GRID, one_value).status_code == 302
    assert current_targets()[(minh.id, "2024-03")] == 4


def test_the_grid_says_in_words_what_history_and_weights_are(team, client, auth):
    chief, lan, *_ = team
    auth.login("chief")
    page = client.get(GRID).get_data(as_text=True)
    history = re.search(r"<a [^>]*target-history[^>]*>([^<]*)</a>", page)
    assert history.group(1) == "Lịch sử" and 'aria-label="Lịch sử chỉ tiêu: Lan · 03/2024"' in page
    assert "⋯" not in page
    assert "Trọng số của các cột" in page and "cách nhau bằng dấu chấm phẩy" in page
    assert "Cách phân bổ chỉ tiêu năm" in page


@pytest.mark.parametrize(
    "typed,weights",
    [
        ("1, 1, 1, 2", [1, 1, 1, 2]),
        ("1,5; 1; 1; 0,5", [1.5, 1, 1, 0.5]),  # Vietnamese decimals, semicolons between
        ("1.5, 1, 1, 0.5", [1.5, 1, 1, 0.5]),
    ],
)
def test_weights_are_read_as_people_type_them(typed, weights):
    assert target_plans.parse_weights(typed, 4) == weights


def test_weights_of_the_wrong_count_are_refused():
    with pytest.raises(RuleBroken):
        target_plans.parse_weights("1,5, 1, 1", 3)  # without semicolons, commas separate
