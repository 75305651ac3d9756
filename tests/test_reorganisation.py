"""Reorganisations as data: merge, split with shares, rename, re-parent, undo, refusals, and
what moves with them (households, assignments, coverage, targets)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_area,
    make_contact,
    make_enrollment,
    make_household,
    make_office,
    make_officer,
    make_org,
    make_user,
)
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import (
    Area,
    AreaSuccession,
    Assignment,
    AuditEvent,
    Household,
    OutreachSession,
    ParticipantCount,
    Renewal,
    Reorganisation,
    Target,
)
from tracker.periods import parse
from tracker.services import reorganisation as reorg
from tracker.services.reorganisation.mapping import MappingRow
from tracker.services.targets import TargetChange, set_target

DAY = date(2025, 7, 1)


@pytest.fixture
def city(app, targets_today):
    """Old Lào Cai city in brief: a district with two wards and a commune, counts of 2024,
    households, an officer covering both wards, an organization, an office."""
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    district = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    kim_tan = make_area("Phường Kim Tân", "ward", parent=district, code="02647")
    coc_leu = make_area("Phường Cốc Lếu", "ward", parent=district, code="02644")
    van_hoa = make_area("Xã Vạn Hòa", "commune", parent=district, code="02665")
    for area, count in ((kim_tan, 462), (coc_leu, 318), (van_hoa, 104)):
        db.session.add(
            ParticipantCount(area_id=area.id, as_of=date(2024, 3, 26), participants=count)
        )
    db.session.commit()
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan, coc_leu])
    homes = [
        make_household(kim_tan, "Nguyễn Văn An", address="Số 1, Hoàng Liên"),
        make_household(coc_leu, "Trần Thị Bình", address="Số 2, Nguyễn Huệ"),
        make_household(van_hoa, "Lò Văn Cường", address="Thôn 3, phường Lào Cai"),
    ]
    org = make_org("Bưu điện")
    org.areas = [kim_tan, coc_leu]
    office = make_office("BHXH cơ sở", covers=[district])
    admin = make_user("admin", "admin")
    db.session.commit()
    targets_today(date(2025, 8, 1))  # the targets of 2025 are still open
    return {
        "province": province,
        "district": district,
        "kim_tan": kim_tan,
        "coc_leu": coc_leu,
        "van_hoa": van_hoa,
        "lan": lan,
        "homes": homes,
        "org": org,
        "office": office,
        "admin": admin,
    }


def merge_rows(*old_codes: str, name: str = "Phường Lào Cai", day: date = DAY) -> list:
    rows = [
        MappingRow(i, code, "02647", name, "ward", "15", day) for i, code in enumerate(old_codes, 2)
    ]
    return [*rows, MappingRow(len(rows) + 2, "080", "", effective_on=day)]


def test_merge_ends_units_begins_one_and_moves_what_lives_there(city):
    plan = reorg.build_plan(merge_rows("02647", "02644", "02665"))
    assert plan.problems == []
    assert len(plan.households) == 3 and plan.assignments == 2
    assert [(office.id, code) for office, code in plan.offices] == [(city["office"].id, "02647")]
    applied = reorg.apply(city["admin"], plan, "Nghị quyết 1673/NQ-UBTVQH15")
    merged = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    assert (merged.name, merged.valid_from, merged.parent_id) == (
        "Phường Lào Cai",
        DAY,
        city["province"].id,
    )
    for name in ("kim_tan", "coc_leu", "van_hoa", "district"):
        assert db.session.get(Area, city[name].id).valid_to == DAY
    shares = db.session.execute(
        select(AreaSuccession.predecessor_id, AreaSuccession.share).where(
            AreaSuccession.successor_id == merged.id
        )
    ).all()
    assert sorted(shares) == sorted((city[n].id, 10_000) for n in ("kim_tan", "coc_leu", "van_hoa"))
    assert {h.area_id for h in db.session.scalars(select(Household))} == {merged.id}
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.officer_id == city["lan"].id)
    ).all()
    assert [(a.area_id, a.is_primary) for a in assignments] == [(merged.id, True)]
    assert merged in db.session.get(type(city["org"]), city["org"].id).areas
    assert merged in db.session.get(type(city["office"]), city["office"].id).areas
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reorganise"))
    assert event.entity_id == applied.id and event.after["households"] == 3


def test_counts_and_work_of_predecessors_add_up_in_the_successor(city):
    from tracker import progress

    make_enrollment(city["lan"], city["kim_tan"], date(2025, 6, 1))
    reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    merged = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    make_enrollment(city["lan"], merged, date(2025, 8, 1))
    found = progress.participants_on(date(2026, 1, 1), [merged.id, city["kim_tan"].id])
    assert found[merged.id].value == 462 + 318 + 104 + 2 and found[merged.id].is_estimate
    assert found[city["kim_tan"].id].value is None  # it no longer exists
    before = progress.participants_through(date(2024, 3, 26), [merged.id])
    assert before[merged.id].value == 884  # today's unit through the units it was made of
    board = progress.area_leaderboard(
        parse("2026"), "participants_total", date(2026, 3, 1), progress.area_scope(city["province"])
    )
    assert [row.name for row in board.rows] == ["Phường Lào Cai"]
    old = progress.area_leaderboard(
        parse("2024"), "participants_total", date(2026, 3, 1), progress.area_scope(city["district"])
    )
    assert sorted(row.name for row in old.rows) == [
        "Phường Cốc Lếu",
        "Phường Kim Tân",
        "Xã Vạn Hòa",
    ]
    day = parse(None, "2024-03-26", "2024-03-26")
    office = progress.office_scope(city["office"])
    today = progress.area_leaderboard(
        day, "participants_total", date(2026, 3, 1), office, "current"
    )
    assert [(r.name, r.progress.actual) for r in today.rows] == [("Phường Lào Cai", 884)]
    assert today.total.progress.actual == 884  # the office's own figure, intact


def test_a_new_wards_history_reaches_back_through_its_predecessors(city):
    """Year over year, phường Lào Cai's years before it existed are its predecessors': Kim Tân
    and Cốc Lếu whole, and the 60 % of Vạn Hòa that went into it."""
    from tracker import progress

    rows = [
        MappingRow(2, "02647", "02647", "Phường Lào Cai", "ward", "15", DAY),
        MappingRow(3, "02644", "02647", "Phường Lào Cai", "ward", "15", DAY),
        MappingRow(4, "02665", "02647", "Phường Lào Cai", "ward", "15", DAY, 6_000),
        MappingRow(5, "02665", "02703", "Xã Vạn Hòa", "commune", "15", DAY, 4_000),
        MappingRow(6, "080", "", effective_on=DAY),
    ]
    make_enrollment(city["lan"], city["kim_tan"], date(2024, 6, 1))
    reorg.apply(city["admin"], reorg.build_plan(rows))
    lao_cai = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    make_enrollment(city["lan"], lao_cai, date(2025, 8, 1))
    scope = progress.area_scope(lao_cai)

    def history() -> dict:
        points = progress.participants_history(scope, date(2026, 3, 1))
        assert [point.day for point in points] == sorted(point.day for point in points)
        return {point.day: (point.value, point.estimate) for point in points}

    counted = 462 + 318 + 104 * 0.6  # the predecessors' official counts of 2024-03-26
    assert history() == {
        date(2024, 3, 26): (round(counted), False),
        date(2024, 12, 31): (round(counted + 1), True),  # with Kim Tân's enrollment of June
        date(2025, 12, 31): (round(counted + 2), True),  # and phường Lào Cai's of August
        date(2026, 3, 1): (round(counted + 2), True),
    }
    db.session.add(ParticipantCount(area_id=lao_cai.id, as_of=date(2026, 1, 15), participants=900))
    db.session.commit()
    assert history() == {  # its own first count, then estimates from it
        date(2024, 3, 26): (round(counted), False),
        date(2026, 1, 15): (900, False),
        date(2026, 3, 1): (900, True),
    }


def test_split_with_shares_sends_households_by_address_or_largest_share(city):
    rows = [
        MappingRow(2, "02665", "02700", "Phường Bắc", "ward", "15", DAY, 6_000),
        MappingRow(3, "02665", "02703", "Phường Lào Cai Mới", "ward", "15", DAY, 4_000),
    ]
    rows += [MappingRow(4, "080", "", effective_on=DAY)]
    rows += merge_rows("02647", "02644")[:2]
    plan = reorg.build_plan(rows)
    assert plan.problems == []
    split = {m.head_name: (m.to_code, m.reason) for m in plan.households if len(m.options) > 1}
    assert split == {"Lò Văn Cường": ("02700", "largest_share")}
    household = city["homes"][2]
    plan = reorg.build_plan(rows, {household.id: "02703"})
    assert [m.reason for m in plan.households if m.household_id == household.id] == ["chosen"]
    reorg.apply(city["admin"], plan)
    assert db.session.get(Household, household.id).area.code == "02703"
    from tracker import progress

    first, second = (
        db.session.scalar(select(Area.id).where(Area.code == code, Area.valid_to.is_(None)))
        for code in ("02700", "02703")
    )
    found = progress.participants_on(date(2025, 7, 2), [first, second])
    assert (found[first].value, found[second].value) == (62, 42)  # 104 × 60 %, 104 × 40 %


def test_split_by_address_naming_a_successor(city):
    rows = [
        MappingRow(2, "02665", "02700", "Phường Bắc", "ward", "15", DAY, 6_000),
        MappingRow(3, "02665", "02703", "Phường Lào Cai", "ward", "15", DAY, 4_000),
        MappingRow(4, "080", "", effective_on=DAY),
        MappingRow(5, "02647", "02701", "Phường Kim Tân", "ward", "15", DAY),
        MappingRow(6, "02644", "02702", "Phường Cốc Lếu", "ward", "15", DAY),
    ]
    plan = reorg.build_plan(rows)
    move = next(m for m in plan.households if m.head_name == "Lò Văn Cường")
    assert (move.to_code, move.reason) == ("02703", "address")  # "Thôn 3, phường Lào Cai"


def test_split_by_the_official_conversion_when_the_address_names_no_successor(city):
    """vietnamadminunits converts "Xã Vạn Hòa, Thành phố Lào Cai, Tỉnh Lào Cai" to phường Lào
    Cai: a household whose address names neither part goes there, not to the larger part."""
    household = city["homes"][2]
    household.address = "Thôn 3"
    db.session.commit()
    rows = [
        MappingRow(2, "02665", "02700", "Phường Bắc", "ward", "15", DAY, 6_000),
        MappingRow(3, "02665", "02703", "Phường Lào Cai", "ward", "15", DAY, 4_000),
        MappingRow(4, "080", "", effective_on=DAY),
        MappingRow(5, "02647", "02701", "Phường Kim Tân", "ward", "15", DAY),
        MappingRow(6, "02644", "02702", "Phường Cốc Lếu", "ward", "15", DAY),
    ]
    move = next(m for m in reorg.build_plan(rows).households if m.household_id == household.id)
    assert (move.to_code, move.reason) == ("02703", "official")


def test_rename_carries_targets_after_the_date_and_keeps_history(city, monkeypatch):
    leader = make_user("leader", "leader")
    later = set_target(
        leader, TargetChange("area", city["van_hoa"].id, "participants_total", parse("2026"), 150)
    )
    health = set_target(
        leader,
        TargetChange(
            "area",
            city["van_hoa"].id,
            "participants_total",
            parse("2026"),
            40,
            scheme="household_hi",
        ),
    )
    monkeypatch.setattr(
        "tracker.services.reorganisation.plan.local_today", lambda: date(2027, 1, 1)
    )
    rows = [MappingRow(2, "02665", "02665", "Phường Vạn Hòa", "ward", "080", date(2026, 1, 1))]
    plan = reorg.build_plan(rows)
    carried_ids = sorted(t.id for t, _code in plan.targets_carried)
    assert plan.problems == [] and carried_ids == sorted([later.id, health.id])
    reorg.apply(city["admin"], plan)
    renamed = db.session.scalar(select(Area).where(Area.code == "02665", Area.valid_to.is_(None)))
    assert renamed.name == "Phường Vạn Hòa" and renamed.id != city["van_hoa"].id
    assert db.session.get(Target, later.id).replaced_at is not None
    carried = {
        t.scheme: t
        for t in db.session.scalars(
            select(Target).where(Target.area_id == renamed.id, Target.replaced_at.is_(None))
        )
    }
    assert (carried["voluntary_si"].value, carried["voluntary_si"].period_start) == (
        150,
        date(2026, 1, 1),
    )
    assert carried["household_hi"].value == 40  # carried in its own scheme
    assert db.session.get(Household, city["homes"][2].id).area_id == renamed.id


def test_reparent_moves_a_unit_under_another(city):
    other = make_area("Huyện Bảo Thắng", "district", parent=city["province"], code="085")
    day = date(2024, 1, 1)
    plan = reorg.build_plan([MappingRow(2, "02665", "02665", "Xã Vạn Hòa", "commune", "085", day)])
    assert plan.problems == []
    reorg.apply(city["admin"], plan)
    moved = db.session.scalar(select(Area).where(Area.code == "02665", Area.valid_to.is_(None)))
    assert moved.parent_id == other.id and moved.valid_from == day


def test_undo_restores_everything_until_work_is_logged(city):
    applied = reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    reorg.undo(city["admin"], applied)
    assert db.session.get(Reorganisation, applied.id).undone_at is not None
    assert db.session.scalar(select(func.count()).select_from(AreaSuccession)) == 0
    assert db.session.scalar(select(Area).where(Area.valid_from == DAY)) is None
    for name in ("kim_tan", "coc_leu", "van_hoa", "district"):
        assert db.session.get(Area, city[name].id).valid_to is None
    assert [h.area_id for h in db.session.scalars(select(Household).order_by(Household.id))] == [
        city["kim_tan"].id,
        city["coc_leu"].id,
        city["van_hoa"].id,
    ]
    assignments = db.session.execute(
        select(Assignment.area_id, Assignment.is_primary).where(
            Assignment.officer_id == city["lan"].id
        )
    ).all()
    assert sorted(assignments) == sorted([(city["kim_tan"].id, True), (city["coc_leu"].id, False)])
    again = reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    merged = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    make_contact(city["lan"], merged, date(2025, 8, 1))
    assert reorg.why_not_undoable(again) == "work_logged"
    with pytest.raises(reorg.ReorganisationError):
        reorg.undo(city["admin"], again)


def _contact(city, unit):
    make_contact(city["lan"], unit, date(2025, 8, 1))


def _enrollment(city, unit):
    make_enrollment(city["lan"], unit, date(2025, 7, 15))


def _renewal(city, unit):
    """A payment since the date on an enrollment made before it."""
    enrollment = make_enrollment(city["lan"], unit, date(2025, 5, 1))
    db.session.add(
        Renewal(
            enrollment_id=enrollment.id,
            officer_id=city["lan"].id,
            renewed_on=date(2025, 8, 1),
            method="1",
            months=1,
            paid_through_before=date(2025, 6, 1),
            paid_through_after=date(2025, 7, 1),
            client_token="renewal",
        )
    )
    db.session.commit()


def _session(city, unit):
    db.session.add(OutreachSession(area_id=unit.id, held_on=DAY, title="Họp tổ dân phố"))
    db.session.commit()


def _official_count(city, unit):
    db.session.add(ParticipantCount(area_id=unit.id, as_of=date(2025, 9, 30), participants=900))
    db.session.commit()


def _target(city, unit):
    leader = make_user("leader", "leader")
    set_target(leader, TargetChange("area", unit.id, "new_participants", parse("2026"), 40))


def _successor(city, goes_on: bool):
    """Kim Tân merged into Cốc Lếu, which goes on (nothing begins), or the three wards merged
    into a new phường Lào Cai; the successor."""
    if goes_on:
        rows = [MappingRow(2, "02647", "02644", effective_on=DAY)]
    else:
        rows = merge_rows("02647", "02644", "02665")
    applied = reorg.apply(city["admin"], reorg.build_plan(rows))
    successor = db.session.scalar(
        select(Area).where(Area.code.in_(("02644", "02647")), Area.valid_to.is_(None))
    )
    assert (successor.id == city["coc_leu"].id) is goes_on
    return applied, successor


@pytest.mark.parametrize("goes_on", [True, False], ids=["went_on", "began"])
@pytest.mark.parametrize(
    "work", [_contact, _enrollment, _renewal, _session, _official_count, _target]
)
def test_undo_is_refused_once_work_is_logged_in_a_successor(city, goes_on, work):
    applied, successor = _successor(city, goes_on)
    assert reorg.why_not_undoable(applied) is None
    work(city, successor)
    assert reorg.why_not_undoable(applied) == "work_logged"
    with pytest.raises(reorg.ReorganisationError):
        reorg.undo(city["admin"], applied)
    assert db.session.get(Area, city["kim_tan"].id).valid_to == DAY  # nothing undone


def test_work_before_the_date_in_a_unit_that_goes_on_does_not_block_undo(city):
    leader = make_user("leader", "leader")
    set_target(
        leader, TargetChange("area", city["coc_leu"].id, "new_participants", parse("2026"), 40)
    )
    applied, coc_leu = _successor(city, goes_on=True)
    make_contact(city["lan"], coc_leu, date(2025, 6, 30))  # June's, entered late
    assert reorg.why_not_undoable(applied) is None
    reorg.undo(city["admin"], applied)
    assert db.session.get(Area, city["kim_tan"].id).valid_to is None
    assert db.session.get(Household, city["homes"][0].id).area_id == city["kim_tan"].id


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([MappingRow(2, "99999", "02647", "X", "ward", "15", DAY)], "unknown_code"),
        (
            [
                MappingRow(2, "02647", "02700", "A", "ward", "15", DAY, 6_000),
                MappingRow(3, "02647", "02701", "B", "ward", "15", DAY, 3_000),
            ],
            "shares_not_100",
        ),
        (
            [
                MappingRow(2, "02647", "07", "A", "district", "08", DAY),
                MappingRow(3, "02644", "08", "B", "district", "07", DAY),
            ],
            "cycle",
        ),
        ([MappingRow(2, "080", "", effective_on=DAY)], "children_left"),
        ([MappingRow(2, "02647", "02644", "X", "ward", "15", date(2099, 1, 1))], "in_the_future"),
        ([MappingRow(2, "02647", "02701", "X", "ward", "99", DAY)], "unknown_parent"),
    ],
)
def test_bad_mappings_are_refused_row_by_row_and_nothing_is_written(city, rows, code):
    plan = reorg.build_plan(rows)
    assert code in [problem.code for problem in plan.problems]
    assert all(problem.line >= 2 for problem in plan.problems)
    with pytest.raises(reorg.ReorganisationError):
        reorg.apply(city["admin"], plan)
    assert db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0


def test_merge_into_a_unit_that_ended_is_refused(city):
    reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    gone = [MappingRow(2, "02647", "02644", effective_on=date(2025, 9, 1))]
    assert [p.code for p in reorg.build_plan(gone).problems] == ["merge_into_ended"]


def test_a_dissolved_units_targets_after_its_end_are_refused(city):
    leader = make_user("leader", "leader")
    set_target(
        leader, TargetChange("area", city["kim_tan"].id, "participants_total", parse("2025"), 700)
    )
    reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    for period, metric, code in (
        ("2026", "new_participants", "unit_ended"),
        ("2025", "participants_total", "unit_not_on_last_day"),
    ):
        with pytest.raises(RuleBroken) as refused:
            set_target(leader, TargetChange("area", city["kim_tan"].id, metric, parse(period), 9))
        assert refused.value.code == code
    # a flow target over the year of the change covers the unit's part of it
    set_target(
        leader, TargetChange("area", city["kim_tan"].id, "new_participants", parse("2025"), 30)
    )
    from tracker.services.targets import predecessors_sum

    merged = db.session.scalar(select(Area.id).where(Area.code == "02647", Area.valid_to.is_(None)))
    assert predecessors_sum([merged], "participants_total", parse("2025")) == {merged: 700}


def _row_of(page: str, cell: str) -> str:
    """The targets grid's row holding the input named `cell`."""
    return next(row for row in page.split("<tr>") if f'name="{cell}"' in row)


def test_the_targets_grid_defaults_a_successor_to_its_predecessors_sum(city, client, auth):
    leader = make_user("leader", "leader")
    for name, value in (("kim_tan", 700), ("coc_leu", 400)):
        change = TargetChange("area", city[name].id, "participants_total", parse("2025"), value)
        set_target(leader, change)
    reorg.apply(city["admin"], reorg.build_plan(merge_rows("02647", "02644", "02665")))
    merged = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    cell = f"cell-{merged.id}-2025"
    auth.login("leader")
    row = _row_of(client.get("/targets/areas?year=2025").get_data(as_text=True), cell)
    assert 'value="1100"' in row and 'data-test="predecessors-default"' in row  # 700 + 400
    assert client.post("/targets/areas?year=2025", data={cell: "1100"}).status_code == 302
    saved = db.session.scalar(
        select(Target).where(Target.area_id == merged.id, Target.replaced_at.is_(None))
    )
    assert (saved.metric, saved.value, saved.period_start, saved.period_end) == (
        "participants_total",
        1100,
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    row = _row_of(client.get("/targets/areas?year=2025").get_data(as_text=True), cell)
    assert 'value="1100"' in row and "predecessors-default" not in row  # its own now
    assert client.post("/targets/areas?year=2025", data={cell: "1250"}).status_code == 302
    assert db.session.scalars(
        select(Target.value).where(Target.area_id == merged.id).order_by(Target.id)
    ).all() == [1100, 1250]


def test_a_successors_default_target_takes_its_share_and_only_from_the_date(city):
    """A split divides the predecessor's target by shares; a unit that went on has no default
    for a period that ended before it took the other in."""
    from tracker.services.targets import predecessors_sum

    leader = make_user("leader", "leader")
    for name, metric, value in (
        ("van_hoa", "participants_total", 200),
        ("kim_tan", "new_participants", 360),
    ):
        set_target(leader, TargetChange("area", city[name].id, metric, parse("2025"), value))
    rows = [
        MappingRow(2, "02665", "02700", "Xã Vạn Hòa Bắc", "commune", "15", DAY, 6_000),
        MappingRow(3, "02665", "02703", "Xã Vạn Hòa Nam", "commune", "15", DAY, 4_000),
        MappingRow(4, "02647", "02644", effective_on=DAY),  # into Cốc Lếu, which goes on
    ]
    reorg.apply(city["admin"], reorg.build_plan(rows))
    north, south = (
        db.session.scalar(select(Area.id).where(Area.code == code, Area.valid_to.is_(None)))
        for code in ("02700", "02703")
    )
    coc_leu = city["coc_leu"].id
    stock = predecessors_sum([north, south, coc_leu], "participants_total", parse("2025"))
    assert stock == {north: 120, south: 80}
    assert predecessors_sum([coc_leu], "new_participants", parse("2025")) == {coc_leu: 360}
    assert predecessors_sum([coc_leu], "new_participants", parse("2025-Q1")) == {}


def _areas_and_reorganisations() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(Area)),
        db.session.scalar(select(func.count()).select_from(Reorganisation)),
    )


def _row(**changes) -> dict:
    row = {
        "line": 2,
        "old_code": "02647",
        "new_code": "02644",
        "new_name": "",
        "kind": "",
        "parent": "",
        "effective_date": DAY.isoformat(),
        "share": "100",
    }
    return {**row, **changes}


@pytest.mark.parametrize(
    "row",
    [
        _row(effective_date="0001-01-01"),  # plan looked up the day before year 1: a 500
        _row(effective_date="01/01/0001"),
        _row(effective_date="²⁰²⁵-07-01"),
        _row(line=10**20),
        _row(old_code="\x00"),  # a NUL written as \u0000 in the JSON text of the form field
        _row(new_name="\ud800"),
    ],
)
def test_rows_sent_back_to_apply_are_read_like_any_input(city, client, auth, row):
    auth.login("admin")
    before = _areas_and_reorganisations()
    response = client.post(
        "/admin/reorganisations/apply",
        data={"rows": json.dumps([row]), "action": "apply", "household-²": "02644"},
    )
    assert response.status_code == 422
    assert _areas_and_reorganisations() == before


def test_the_preview_names_an_unknown_old_code_as_typed(city, client, auth):
    """A row merging a code no unit bears into one that exists: the preview looked the old
    unit up among those that end and failed (a 500) instead of showing the row's problem."""
    auth.login("admin")
    row = _row(old_code="99999", new_code="02644", new_name="", kind="", parent="")
    response = client.post("/admin/reorganisations/apply", data={"rows": json.dumps([row])})
    assert response.status_code == 422
    assert "99999" in response.get_data(as_text=True)


def test_a_mapping_file_dated_near_year_one_is_a_problem_not_a_crash(city, client, auth):
    auth.login("admin")
    before = _areas_and_reorganisations()
    body = "old_code,new_code,effective_date\n02647,02644,0001-01-01\n"
    response = client.post(
        "/admin/reorganisations/file",
        data={"file": (io.BytesIO(body.encode()), "mapping.csv")},
    )
    assert response.status_code == 422
    assert _areas_and_reorganisations() == before


def test_household_choices_name_households_by_ids_the_database_holds(app):
    from tracker.admin.reorganisations import _household_choices

    form = {"household-7": "02700", "household-²": "x", "household-" + "9" * 20: "y"}
    with app.test_request_context(method="POST", data=form):
        assert _household_choices() == {7: "02700"}


def test_xlsx_date_cells_are_read_as_their_day():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["old_code", "new_code", "effective_date"])
    book.active.append(["02647", "02644", datetime(2025, 7, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, problems = reorg.read_rows(reorg.table_cells(buffer.getvalue(), "mapping.xlsx"))
    assert problems == [] and rows[0].effective_on == DAY


def test_a_mapping_file_is_read_with_the_limits_of_an_import():
    """The mapping had a reader of its own: a CSV field over the csv module's limit was a 500,
    and a NUL in a code reached PostgreSQL (which refuses it) as another."""
    with pytest.raises(reorg.MappingError) as refused:
        reorg.table_cells(b"old_code,new_code,effective_date\n" + b"x" * 140_000 + b"\n", "m.csv")
    assert refused.value.code == "unreadable"
    header = ["old_code", "new_code", "effective_date"]
    rows, problems = reorg.read_rows([header, ["a\x00", "02644", "2025-07-01"]])
    assert rows == [] and [(p.column, p.code) for p in problems] == [("old_code", "unstorable")]
