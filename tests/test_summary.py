"""The kept counts (activity_summaries) always equal the live counts: after random adds, edits
(scheme included), deletions, restores and household merges, after a rebuild, and for every
calendar period."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_officer,
    make_user,
)
from tracker import periods, progress
from tracker.extensions import db
from tracker.models import ActivitySummary, Contact, Enrollment
from tracker.progress import flows, summary
from tracker.progress.metrics import DEFAULT_SCHEME, kept_metrics
from tracker.services import duplicates
from tracker.vocab import CONTACT_OUTCOMES

OUTCOMES = tuple(CONTACT_OUTCOMES)
# Every kept count, as (code, scheme): new_participants is kept once per scheme (new VSI and
# new HI participants, two columns), so each is compared with its own live count.
KEPT = [(item.code, item.scheme or DEFAULT_SCHEME) for item in kept_metrics()]
FIRST_DAY = date(2024, 1, 1)


@pytest.fixture
def world(app):
    _, city = make_city()
    areas = [make_area(name, parent=city) for name in ("Kim Tân", "Cốc Lếu", "Bắc Cường")]
    boss = make_user("chief", "supervisor")
    officers = [make_officer(f"officer{i}", supervisor=boss, areas=areas) for i in range(3)]
    households = [make_household(areas[i % 3], f"Hộ {i}") for i in range(6)]
    return areas, officers, households


def calendar_periods(first: date, last: date) -> list[periods.Period]:
    found, day = [], first
    while day <= last:
        found.extend(periods.containing(day).values())
        day = periods.add_months(day, 1)
    return sorted(set(found))


def nonzero(counts: dict[int, int]) -> dict[int, int]:
    """Live GROUP BY queries give 0 for a group of contacts without households; kept rows
    leave them out, and readers take a missing id as 0."""
    return {key: value for key, value in counts.items() if value}


def assert_summary_is_live(first=FIRST_DAY, last=date(2025, 12, 31)):
    db.session.expire_all()
    for period in calendar_periods(first, last):
        for by in ("officer_id", "area_id"):
            for metric, scheme in KEPT:
                kept = flows.flow_actuals(metric, period, by, scheme=scheme)
                live = flows.live_flow_actuals(metric, period, by, scheme=scheme)
                assert kept == nonzero(live), (metric, scheme, period, by)
            kept = flows.flow_actuals("interested_households", period, by)
            live = flows.live_flow_actuals("interested_households", period, by)
            assert kept == nonzero(live), ("interested", period, by)


def random_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(730))


def random_changes(rng, areas, officers, households, steps: int) -> None:
    """Adds, edits of every counted column, soft deletions, restores and hard deletions."""
    for _step in range(steps):
        action = rng.random()
        contacts = db.session.scalars(select(Contact)).all()
        enrollments = db.session.scalars(select(Enrollment)).all()
        if action < 0.35 or not contacts:
            make_contact(
                rng.choice(officers),
                rng.choice(areas),
                random_day(rng),
                rng.choice(OUTCOMES),
                rng.choice([*households, None]),
            )
        elif action < 0.5 or not enrollments:
            make_enrollment(
                rng.choice(officers),
                rng.choice(areas),
                random_day(rng),
                scheme=rng.choice(["voluntary_si", "household_hi"]),
            )
        elif action < 0.75:
            contact = rng.choice(contacts)
            field = rng.choice(["officer", "area", "day", "household", "outcome", "deleted"])
            if field == "officer":
                contact.officer_id = rng.choice(officers).id
            elif field == "area":
                contact.area_id = rng.choice(areas).id
            elif field == "day":
                contact.contacted_on = random_day(rng)
                contact.follow_up_on = None
            elif field == "household":
                home = rng.choice([*households, None])
                contact.household_id = home.id if home else None
            elif field == "outcome":
                contact.outcome = rng.choice(OUTCOMES)
            else:
                contact.deleted_at = None if contact.deleted_at else datetime.now(UTC)
            db.session.commit()
        elif action < 0.9:
            enrollment = rng.choice(enrollments)
            field = rng.choice(["officer", "area", "day", "scheme", "deleted"])
            if field == "officer":
                enrollment.officer_id = rng.choice(officers).id
            elif field == "scheme":
                enrollment.scheme = rng.choice(["voluntary_si", "household_hi"])
            elif field == "area":
                enrollment.area_id = rng.choice(areas).id
            elif field == "day":
                enrollment.enrolled_on = random_day(rng)
            else:
                enrollment.deleted_at = None if enrollment.deleted_at else datetime.now(UTC)
            db.session.commit()
        else:
            db.session.delete(rng.choice(contacts + enrollments))
            db.session.commit()


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(20, 80))
def test_kept_counts_equal_live_counts_after_random_changes(world, seed, steps):
    """Examples run one after another on the same database: each adds to the last's history."""
    areas, officers, households = world
    random_changes(random.Random(seed), areas, officers, households, steps=steps)
    assert db.session.scalar(select(ActivitySummary.subject_id).limit(1)) is not None
    assert_summary_is_live()


def test_two_contacts_with_one_household_count_it_once_until_both_go(world):
    areas, officers, households = world
    lan, kim_tan, home = officers[0], areas[0], households[0]
    first = make_contact(lan, kim_tan, date(2024, 3, 5), "interested", home)
    make_contact(lan, kim_tan, date(2024, 3, 20), "informed", home)
    march = periods.parse("2024-03")
    reached = {m: progress.flow_actuals(m, march, "officer_id", scheme=s) for m, s in KEPT}
    assert reached["contacts"] == {lan.id: 2}
    assert reached["households_reached"] == {lan.id: 1}
    assert flows.flow_actuals("interested_households", march)[lan.id] == 1
    first.deleted_at = datetime.now(UTC)
    db.session.commit()
    assert progress.flow_actuals("households_reached", march, "officer_id") == {lan.id: 1}
    assert flows.flow_actuals("interested_households", march) == {}
    assert_summary_is_live()


def test_rebuild_gives_the_rows_the_flushes_kept(world):
    areas, officers, households = world
    random_changes(random.Random(3), areas, officers, households, steps=80)

    def rows():
        columns = ActivitySummary.__table__.columns
        return sorted(
            tuple(row)
            for row in db.session.execute(select(*columns))
            if row.contacts or row.new_participants
        )

    kept = rows()
    summary.rebuild(db.session.connection())
    db.session.commit()
    assert rows() == kept


def test_merging_households_recounts_households_reached(world):
    areas, officers, _households = world
    lan, kim_tan = officers[0], areas[0]
    keep = make_household(kim_tan, "Nguyễn Văn An")
    twin = make_household(kim_tan, "Nguyễn Văn An")
    make_contact(lan, kim_tan, date(2024, 5, 2), household=keep)
    make_contact(lan, kim_tan, date(2024, 5, 9), "interested", household=twin)
    may = periods.parse("2024-05")
    assert progress.flow_actuals("households_reached", may, "officer_id") == {lan.id: 2}
    admin = make_user("admin", "admin")
    duplicates.merge(admin, keep, twin)
    assert progress.flow_actuals("households_reached", may, "officer_id") == {lan.id: 1}
    assert_summary_is_live(date(2024, 1, 1), date(2024, 12, 31))


def test_custom_periods_and_organizations_are_counted_live(world):
    areas, officers, _households = world
    make_enrollment(officers[0], areas[0], date(2024, 2, 10))
    make_enrollment(officers[0], areas[0], date(2024, 3, 10))
    custom = periods.parse(start="2024-02-05", end="2024-03-01")
    assert not summary.covers(custom, "officer_id")
    assert not summary.covers(periods.parse("2024"), "collection_org_id")
    assert progress.flow_actuals("new_participants", custom, "officer_id") == {officers[0].id: 1}


def test_monthly_series_match_live_counts(world):
    areas, officers, households = world
    random_changes(random.Random(4), areas, officers, households, steps=60)
    ids = [officer.id for officer in officers]
    for metric, scheme in KEPT:
        series = progress.monthly_actuals(metric, 2024, ids, scheme)
        for month in range(1, 13):
            span = periods.month(2024, month)
            live = flows.live_flow_actuals(metric, span, "officer_id", ids, scheme)
            assert nonzero({i: series[i][month - 1] for i in ids}) == nonzero(live), scheme


def test_rebuild_counts_command_repairs_rows_written_behind_the_apps_back(world, app):
    areas, officers, households = world
    make_contact(officers[0], areas[0], date(2024, 6, 3), "interested", households[0])
    db.session.execute(ActivitySummary.__table__.update().values(contacts=999))  # "by hand"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["rebuild-counts"])
    assert result.exit_code == 0, result.output
    assert "kept counts rebuilt:" in result.output
    assert_summary_is_live(date(2024, 1, 1), date(2024, 12, 31))


def test_every_kept_column_is_compared():
    """The loops above walk (code, scheme): the HI kept column is not left out."""
    from tracker.progress.metrics import metric

    columns = {metric(code, scheme).kept for code, scheme in KEPT}
    assert {"new_participants", "new_hi_participants", "contacts"} <= columns
    kept = {c.name for c in ActivitySummary.__table__.columns} & {m.kept for m in kept_metrics()}
    assert columns == kept
