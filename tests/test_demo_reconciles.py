"""The demo reconciles (docs/design.md, "Schemes, lapses and net growth"): its official counts
are exactly who pays on their dates, between two of them new + returned − lapsed equals the
difference, and the dashboard's movement block shows the same numbers as the progress
functions. One seed (a minute on this machine) serves all of it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tracker import demo, progress
from tracker.demo.data import CITY_COUNTS
from tracker.extensions import db
from tracker.models import Area, Enrollment, ParticipantCount, Renewal
from tracker.periods import Period
from tracker.progress.lifecycle import lapse_day_of

TODAY = date(2024, 6, 30)
GRACE = 30  # the demo keeps the default
FLOWS = ("new_participants", "returned", "lapsed")
TODAY_IN = (
    "tracker.boards.dashboard",
    "tracker.boards.views",
    "tracker.progress.lifecycle",
    "tracker.progress.participants",
    "tracker.progress.scopes",
    "tracker.services.areas",
)


def paying(day: date, area_ids: set[int]) -> int:
    """Who pays on a day, read from the records here, not by the app's SQL: enrolled by then,
    and not in a gap between a lapse and a return, nor after the last spell lapsed."""
    renewals: dict[int, list[Renewal]] = {}
    for renewal in db.session.scalars(select(Renewal)):
        renewals.setdefault(renewal.enrollment_id, []).append(renewal)
    count = 0
    enrollments = select(Enrollment).where(
        Enrollment.deleted_at.is_(None), Enrollment.scheme == "voluntary_si"
    )
    for enrollment in db.session.scalars(enrollments):
        if enrollment.area_id not in area_ids or enrollment.enrolled_on > day:
            continue
        gaps = [(lapse_day_of(enrollment.paid_through_on, GRACE), date.max)]
        for renewal in renewals.get(enrollment.id, []):
            lapsed = lapse_day_of(renewal.paid_through_before, GRACE)
            if renewal.renewed_on >= lapsed:
                gaps.append((lapsed, renewal.renewed_on))
        count += not any(start <= day < end for start, end in gaps)
    return count


def movement(period: Period, area_ids: set[int]) -> dict[str, int]:
    """New, returned and lapsed in the areas, from the progress functions."""
    return {
        code: sum(
            count
            for area_id, count in progress.flow_actuals(code, period, "area_id").items()
            if area_id in area_ids
        )
        for code in FLOWS
    }


@pytest.fixture
def seeded(app, monkeypatch):
    for module in TODAY_IN:
        monkeypatch.setattr(f"{module}.local_today", lambda: TODAY)
    demo.seed(today=TODAY)
    city = db.session.scalar(select(Area).where(Area.name == "Thành phố Lào Cai"))
    kim_tan = db.session.scalar(select(Area).where(Area.name == "Phường Kim Tân"))
    return city, kim_tan


def test_the_demo_reconciles_and_the_dashboard_shows_it(seeded, client, auth):
    city, kim_tan = seeded
    below = set(progress.area_ids_below(progress.area_scope(city)))
    # The official counts are who pays on their dates, in the city and in Kim Tân.
    for day, official in CITY_COUNTS:
        assert paying(day, below) == official, day
    counted = db.session.scalar(
        select(ParticipantCount.participants).where(ParticipantCount.area_id == kim_tan.id)
    )
    assert paying(CITY_COUNTS[-1][0], {kim_tan.id}) == counted == 462
    # Between consecutive counts, new + returned − lapsed is the difference.
    for (first, before), (second, after) in zip(CITY_COUNTS, CITY_COUNTS[1:], strict=False):
        span = Period(first + timedelta(days=1), second)
        moved = movement(span, below)
        assert moved["new_participants"] + moved["returned"] - moved["lapsed"] == after - before
        ward = movement(span, {kim_tan.id})
        difference = paying(second, {kim_tan.id}) - paying(first, {kim_tan.id})
        assert ward["new_participants"] + ward["returned"] - ward["lapsed"] == difference
    # After the last count, the estimate moves by exactly the same flows.
    last_count = CITY_COUNTS[-1][0]
    since = movement(Period(last_count + timedelta(days=1), TODAY), {kim_tan.id})
    estimate = progress.participants_on(TODAY, [kim_tan.id])[kim_tan.id].value
    assert estimate == 462 + since["new_participants"] + since["returned"] - since["lapsed"]
    assert estimate == paying(TODAY, {kim_tan.id})

    # The dashboard's movement block shows the progress functions' numbers.
    auth.login("leader", demo.DEMO_PASSWORD)
    page = client.get(f"/dashboard?period=2024&parent={city.id}").get_data(as_text=True)
    shown = {
        key: int(re.sub(r"[^\d]", "", value))
        for key, value in re.findall(r'data-test="movement-(\w+)">([^<]*)<', page)
    }
    moved = movement(Period(date(2024, 1, 1), date(2024, 12, 31)), below)
    assert shown == {
        "new": moved["new_participants"],
        "returned": moved["returned"],
        "lapsed": moved["lapsed"],
        "net": abs(moved["new_participants"] + moved["returned"] - moved["lapsed"]),
    }
    sign = re.search(r'data-test="movement-net">([^<]*)<', page).group(1)[0]
    assert sign == (
        "+" if moved["new_participants"] + moved["returned"] >= moved["lapsed"] else "-"
    )
