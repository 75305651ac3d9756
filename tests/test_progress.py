"""Every progress rule of docs/design.md against numbers computed by hand on a small fixture."""

import subprocess
import sys
from datetime import date

import pytest

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_officer,
    make_user,
)
from tracker import periods, progress
from tracker.extensions import db
from tracker.models import ParticipantCount, Target
from tracker.periods import parse
from tracker.services.targets import TargetChange, set_target, versions
from tracker.targets_math import spread


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    """These tests set the targets of 2023 and 2024: the target rules see the day before."""
    targets_today(date(2023, 1, 1))


def officer_target(boss, officer, period: str, value: int, metric: str = "new_participants"):
    return set_target(boss, TargetChange("officer", officer.id, metric, parse(period), value))


@pytest.fixture
def world(app):
    _, city = make_city()
    kim_tan, coc_leu = make_area("Kim Tân", parent=city), make_area("Cốc Lếu", parent=city)
    boss = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=boss, areas=[kim_tan], full_name="Lan")
    binh = make_officer("binh", supervisor=boss, areas=[coc_leu], full_name="Bình")
    return city, kim_tan, coc_leu, boss, lan, binh


def test_no_target_is_not_zero_percent(world):
    *_, lan, _ = world
    result = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 3, 15))
    p = result["new_participants"]
    assert (p.target, p.attainment, p.expected, p.pace) == (None, None, None, None)


def test_target_zero(world):
    city, kim_tan, _, boss, lan, _ = world
    officer_target(boss, lan, "2024-03", 0)
    make_enrollment(lan, kim_tan, date(2024, 3, 2))
    p = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 3, 15))["new_participants"]
    assert p.target == 0 and p.attainment is None and p.expected == 0 and p.pace == "ahead"


def test_attainment_expected_pace_forecast_by_hand(world):
    city, kim_tan, _, boss, lan, _ = world
    officer_target(boss, lan, "2024-03", 31)
    for day in (1, 2, 3, 5, 8, 9, 10):
        make_enrollment(lan, kim_tan, date(2024, 3, day))
    make_enrollment(lan, kim_tan, date(2024, 4, 1))  # outside the period
    p = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 3, 10))["new_participants"]
    # 7 of 31 is 22.6 %; 10 of 31 days gone, so 10 expected; 7 < 9 (90 %) is behind
    assert p.actual == 7 and p.attainment == pytest.approx(7 / 31)
    assert p.expected == pytest.approx(10.0) and p.pace == "behind"
    assert p.forecast == pytest.approx(7 / 10 * 31)
    assert p.needed_per_day == pytest.approx(24 / 21)


def test_on_track_and_uncapped_attainment(world):
    city, kim_tan, _, boss, lan, _ = world
    officer_target(boss, lan, "2024-03", 10)
    for day in range(1, 14):
        make_enrollment(lan, kim_tan, date(2024, 3, day))
    p = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 3, 31))["new_participants"]
    assert p.attainment == pytest.approx(1.3) and p.pace == "ahead"
    assert p.needed_per_day is None and p.remaining_days == 0
    p = progress.evaluate("contacts", parse("2024-03"), date(2024, 3, 31), 100, 91)
    assert p.pace == "on_track"
    assert progress.evaluate("contacts", parse("2024-03"), date(2024, 3, 31), 100, 89).pace == (
        "behind"
    )


def test_period_not_begun_and_ended(world):
    *_, boss, lan, _ = world
    officer_target(boss, lan, "2024-03", 31)
    before = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 2, 20))
    assert before["new_participants"].expected == 0 and before["new_participants"].forecast is None
    after = progress.officer_progress(lan.id, parse("2024-03"), date(2024, 6, 1))
    assert after["new_participants"].expected == 31 and after["new_participants"].elapsed_days == 31


def test_leap_day(world):
    city, kim_tan, _, boss, lan, _ = world
    officer_target(boss, lan, "2024-02", 29)
    make_enrollment(lan, kim_tan, date(2024, 2, 29))
    p = progress.officer_progress(lan.id, parse("2024-02"), date(2024, 2, 29))["new_participants"]
    assert p.actual == 1 and p.expected == 29 and p.remaining_days == 0
    # a year target over February of a leap year: 366 days, 29 of them
    officer_target(boss, lan, "2024", 366, "contacts")
    p = progress.officer_progress(lan.id, parse("2024-02"), date(2024, 3, 1))["contacts"]
    assert p.target == pytest.approx(29)


def test_month_target_beside_a_year_target(world):
    *_, boss, lan, _ = world
    officer_target(boss, lan, "2024", 120)
    officer_target(boss, lan, "2024-01", 20)
    targets = {
        key: progress.flow_targets("officer", "new_participants", parse(key))[lan.id]
        for key in ("2024", "2024-01", "2024-02", "2024-Q1")
    }
    assert targets["2024"] == 120 and targets["2024-01"] == 20
    # The year is a whole: January takes its 20, the other 335 days share the remaining 100.
    assert targets["2024-02"] == pytest.approx(100 * 29 / 335)
    assert targets["2024-Q1"] == pytest.approx(20 + 100 * 60 / 335)
    quarters = [
        progress.flow_targets("officer", "new_participants", parse(f"2024-Q{q}"))[lan.id]
        for q in (1, 2, 3, 4)
    ]
    assert sum(quarters) == pytest.approx(120)


def test_target_raised_mid_year_keeps_both_versions(world):
    *_, boss, lan, _ = world
    first = officer_target(boss, lan, "2024", 100)
    second = officer_target(boss, lan, "2024", 130)
    assert progress.flow_targets("officer", "new_participants", parse("2024"))[lan.id] == 130
    history = versions(second)
    assert [v.value for v in history] == [130, 100]
    assert db.session.get(Target, first.id).replaced_at is not None
    # setting the same value again adds no version
    officer_target(boss, lan, "2024", 130)
    assert len(versions(second)) == 2


def test_officer_moved_between_wards_mid_period(world):
    city, kim_tan, coc_leu, boss, lan, _ = world
    make_contact(lan, kim_tan, date(2024, 1, 10))
    make_contact(lan, kim_tan, date(2024, 1, 20))
    make_contact(lan, coc_leu, date(2024, 2, 10))  # moved to Cốc Lếu in February
    q1 = parse("2024-Q1")
    assert progress.flow_actuals("contacts", q1, "officer_id")[lan.id] == 3
    by_area = progress.flow_actuals("contacts", q1, "area_id")
    assert by_area == {kim_tan.id: 2, coc_leu.id: 1}


def test_households_reached_counts_distinct_households(world):
    from tests.factories import make_household

    city, kim_tan, _, boss, lan, _ = world
    home = make_household(kim_tan)
    make_contact(lan, kim_tan, date(2024, 1, 10), household=home)
    make_contact(lan, kim_tan, date(2024, 1, 12), household=home)
    make_contact(lan, kim_tan, date(2024, 1, 13))  # a ward meeting, no household
    assert progress.flow_actuals("households_reached", parse("2024-01"))[lan.id] == 1


def test_deleted_records_do_not_count(world):
    from datetime import UTC, datetime

    city, kim_tan, _, boss, lan, _ = world
    make_enrollment(lan, kim_tan, date(2024, 1, 10), deleted_at=datetime.now(UTC))
    assert progress.flow_actuals("new_participants", parse("2024-01")) == {}


def test_ranking_ties_and_no_target(world):
    city, kim_tan, coc_leu, boss, lan, binh = world
    an = make_officer("an", supervisor=boss, full_name="An")
    vy = make_officer("vy", supervisor=boss, full_name="Vy")
    for officer in (lan, binh, an):
        officer_target(boss, officer, "2024-01", 2)
    for officer in (lan, binh):
        make_enrollment(officer, kim_tan, date(2024, 1, 5))
    make_enrollment(an, kim_tan, date(2024, 1, 6))
    make_enrollment(an, kim_tan, date(2024, 1, 7))
    for _ in range(5):
        make_enrollment(vy, kim_tan, date(2024, 1, 8))  # many, but no target
    officers = {o.id: o.full_name for o in (lan, binh, an, vy)}
    board = progress.officer_board(
        parse("2024-01"), "new_participants", officers, date(2024, 1, 31)
    )
    # An 100 %; Bình and Lan tie at 50 % with 1 each: by name; Vy has no target, so last
    assert [(row.rank, row.name) for row in board] == [
        (1, "An"),
        (2, "Bình"),
        (3, "Lan"),
        (4, "Vy"),
    ]


def test_participants_on_a_date_and_the_two_percentages(world):
    city, kim_tan, coc_leu, boss, lan, _ = world
    db.session.add_all(
        [
            ParticipantCount(area_id=city.id, as_of=date(2023, 12, 31), participants=3136),
            ParticipantCount(area_id=city.id, as_of=date(2024, 3, 26), participants=3167),
            ParticipantCount(area_id=kim_tan.id, as_of=date(2024, 3, 26), participants=462),
        ]
    )
    db.session.commit()
    make_enrollment(lan, kim_tan, date(2024, 3, 26))  # already in the official count
    make_enrollment(lan, kim_tan, date(2024, 3, 27))
    make_enrollment(lan, coc_leu, date(2024, 4, 2))
    on_count_day = progress.participants_on(date(2024, 3, 26), [city.id, kim_tan.id])
    assert on_count_day[city.id].value == 3167 and on_count_day[kim_tan.id].value == 462
    later = progress.participants_on(date(2024, 4, 30), [city.id, kim_tan.id, coc_leu.id])
    assert later[city.id].value == 3169 and later[city.id].is_estimate
    assert later[kim_tan.id].value == 463
    assert later[coc_leu.id].value is None  # no official count of its own, nothing below it
    province = city.parent_id
    assert progress.participants_on(date(2024, 4, 30), [province])[province].value == 3169

    set_target(
        make_user("leader", "leader"),
        TargetChange("area", city.id, "participants_total", parse("2024"), 4600),
    )
    year = parse("2024")
    target = progress.stock_targets(year, [city.id])[city.id]
    p = progress.evaluate("participants_total", year, date(2024, 3, 26), target, 3167, 3136)
    assert round(p.attainment * 100, 1) == 68.8
    assert round(p.growth_attainment * 100, 1) == 2.1


def test_stock_target_for_a_shorter_period_interpolates_growth(world):
    city, *_ = world
    db.session.add(ParticipantCount(area_id=city.id, as_of=date(2023, 12, 31), participants=3136))
    db.session.commit()
    set_target(
        make_user("leader", "leader"),
        TargetChange("area", city.id, "participants_total", parse("2024"), 4600),
    )
    q1 = progress.stock_targets(parse("2024-Q1"), [city.id])[city.id]
    assert q1 == pytest.approx(3136 + (4600 - 3136) * 91 / 366)


def test_officer_board_is_a_constant_number_of_queries(world, app):
    from sqlalchemy import event

    *_, boss, lan, binh = world
    few = {lan.id: "Lan", binh.id: "Bình"}
    officer_target(boss, lan, "2024", 100, "contacts")  # exact target for one, none for others
    many = dict(few)
    for number in range(20):
        extra = make_officer(f"extra{number}", supervisor=boss)
        many[extra.id] = extra.username

    def statements_for(officers) -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            progress.officer_board(parse("2024"), "contacts", officers, date(2024, 6, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    # exact targets, the others' overlapping targets, the counts
    assert statements_for(few) == statements_for(many) == 3


def test_monthly_actuals(world):
    city, kim_tan, _, boss, lan, _ = world
    make_contact(lan, kim_tan, date(2023, 1, 5))
    make_contact(lan, kim_tan, date(2023, 11, 5))
    make_contact(lan, kim_tan, date(2023, 11, 6))
    shape = progress.monthly_actuals("contacts", 2023, [lan.id])[lan.id]
    assert shape == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]


def test_spread_adds_up():
    assert spread(100, [1] * 12) == [9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]
    assert sum(spread(100, [1] * 12)) == 100
    assert spread(10, [0, 1, 1, 2]) == [0, 3, 2, 5]
    assert spread(5, [0, 0]) == [3, 2]


def test_working_days_between():
    friday, monday = date(2024, 3, 22), date(2024, 3, 25)
    assert periods.working_days_between(friday, monday) == 1
    assert periods.working_days_between(monday, date(2024, 3, 28)) == 3


@pytest.mark.parametrize(
    "module", ["tracker.web", "tracker.models", "tracker.progress.metrics", "tracker.charts"]
)
def test_the_declarations_load_whichever_module_comes_first(module):
    """The targets table's check reads the metric declarations while the models load, and the
    declarations name their models without importing them: any first import works (the
    `flask` command imports tracker.web before any model)."""
    code = f"import {module}; from tracker import create_app; create_app"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
