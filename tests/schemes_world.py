"""A world of both schemes for the tests that hold them apart (test_schemes_apart.py,
test_boards_schemes.py): a city of two wards whose voluntary social insurance (VSI)
participants join, lapse and come back in 2024, with targets, and the household health
insurance (HI) events that must move no VSI figure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import (
    make_area,
    make_city,
    make_enrollment,
    make_officer,
    make_org,
    make_user,
)
from tracker.extensions import db
from tracker.models import ParticipantCount, Renewal
from tracker.periods import add_months, parse
from tracker.progress.lifecycle import lapse_day_of
from tracker.services.targets import TargetChange, set_target

YEAR = date(2024, 1, 1)


@pytest.fixture
def in_2024(targets_today):
    """The day the target rules see: the targets of 2024 are still open."""
    targets_today(YEAR)


def through(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


def enroll(officer, area, on: date, months: int, scheme: str = "voluntary_si", org=None):
    enrollment = make_enrollment(
        officer,
        area,
        on,
        scheme=scheme,
        months_paid=months,
        collection_org_id=org.id if org else None,
    )
    enrollment.paid_through_on = through(on, months)
    db.session.commit()
    return enrollment


def renew(enrollment, on: date, months: int) -> Renewal:
    """A payment; on or after the lapse of the spell before it, a return (a new spell)."""
    before = enrollment.paid_through_on
    start = on if on >= lapse_day_of(before) else before + timedelta(days=1)
    renewal = Renewal(
        enrollment_id=enrollment.id,
        officer_id=enrollment.officer_id,
        renewed_on=on,
        method=str(months),
        months=months,
        paid_through_before=before,
        paid_through_after=through(start, months),
        client_token=f"r{enrollment.id}-{on.isoformat()}",
    )
    db.session.add(renewal)
    enrollment.paid_through_on = renewal.paid_through_after
    db.session.commit()
    return renewal


@pytest.fixture
def world(app, in_2024):
    """A city of two wards with VSI participants who join, lapse and come back in 2024, and
    targets; HI already has a count and a participant, so its pages are not empty either."""
    _, city = make_city()
    kim_tan = make_area("Phường Kim Tân", parent=city, code="KT")
    coc_leu = make_area("Phường Cốc Lếu", parent=city, code="CL")
    chief = make_user("chief", "supervisor", full_name="Chief")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan], full_name="Lan")
    minh = make_officer("minh", supervisor=chief, areas=[coc_leu], full_name="Minh")
    leader = make_user("leader", "leader")
    org = make_org()
    for area, count in ((kim_tan, 462), (coc_leu, 318)):
        db.session.add(
            ParticipantCount(area_id=area.id, as_of=date(2023, 12, 31), participants=count)
        )
    db.session.add(
        ParticipantCount(
            area_id=kim_tan.id, as_of=date(2023, 12, 31), participants=90, scheme="household_hi"
        )
    )
    db.session.commit()
    enroll(lan, kim_tan, date(2024, 2, 5), 12, org=org)
    enroll(lan, kim_tan, date(2024, 1, 10), 1)  # lapses in March
    back = enroll(minh, coc_leu, date(2023, 5, 2), 3)  # lapsed in 2023
    renew(back, date(2024, 4, 15), 6)  # returns in 2024
    enroll(minh, coc_leu, date(2024, 7, 1), 3, org=org)
    enroll(lan, kim_tan, date(2023, 9, 1), 6, scheme="household_hi")
    for officer, value in ((lan, 20), (minh, 15)):
        set_target(
            chief, TargetChange("officer", officer.id, "new_participants", parse("2024"), value)
        )
        set_target(chief, TargetChange("officer", officer.id, "net_growth", parse("2024"), 5))
    set_target(leader, TargetChange("area", city.id, "participants_total", parse("2024"), 900))
    set_target(
        leader, TargetChange("collection_org", org.id, "new_participants", parse("2024"), 10)
    )
    return city, kim_tan, coc_leu, chief, lan, minh, org


def move_household_health_insurance(kim_tan, coc_leu, lan, minh) -> None:
    """An HI enrollment, an HI return and an HI lapse, all in 2024."""
    enroll(lan, kim_tan, date(2024, 6, 3), 12, scheme="household_hi")  # new
    old = enroll(minh, coc_leu, date(2023, 4, 1), 3, scheme="household_hi")
    renew(old, date(2024, 5, 10), 12)  # lapsed in 2023, back in 2024
    enroll(minh, coc_leu, date(2024, 1, 15), 1, scheme="household_hi")  # lapses in March
