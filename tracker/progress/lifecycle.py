"""A participant's life as events (docs/design.md, "Schemes, lapses and net growth"): enrolled,
paying (each payment moves the paid-through date), lapsed (the paid-through date passed and no
payment came within the office's grace), returned (a payment after a lapse).

These queries count the events live; activity_summaries keeps their counts per officer and
area (progress/lapse_book.py), booked by the same rules. A payment spell that ended at
paid-through date P lapses on P + grace + 1:
- the latest spell of an enrollment, on that day if it has come;
- an earlier spell, when a renewal came on or after that day: the renewal is a return.
Each event carries the officer, area and organization it counts for, and its day, so the flow
queries of progress/flows.py count them like any records.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, func, select, type_coerce, union_all

from ..dates import local_today
from ..extensions import db
from ..models import Enrollment, Renewal
from ..services.settings import lapse_grace_days


def lapse_day(paid_through, grace: int | None = None):
    """SQL: the day a spell paid through `paid_through` lapses."""
    days = (lapse_grace_days() if grace is None else grace) + 1
    if db.session.get_bind().dialect.name == "postgresql":
        return type_coerce(paid_through + days, Date)
    return type_coerce(func.date(paid_through, f"+{days} days"), Date)


def lapse_day_of(paid_through: date, grace: int | None = None) -> date:
    return paid_through + timedelta(days=(lapse_grace_days() if grace is None else grace) + 1)


def _live(scheme: str):
    return (Enrollment.deleted_at.is_(None), Enrollment.scheme == scheme)


def _paid_through_range(
    start: date, end: date, today: date, grace: int | None = None
) -> tuple[date, date]:
    """The paid-through dates whose spells lapse from start to end (and not after today): a
    range on the column itself, so its index serves where a range on the lapse day would not."""
    shift = lapse_day_of(date(2000, 1, 1), grace) - date(2000, 1, 1)
    return start - shift, min(end, today) - shift


def lapse_events(
    scheme: str,
    today: date | None = None,
    start: date | None = None,
    end: date | None = None,
    grace: int | None = None,
):
    """Every lapse up to today (from start to end, when both are given):
    (enrollment_id, officer_id, area_id, collection_org_id, day)."""
    today = today or local_today()
    final = lapse_day(Enrollment.paid_through_on, grace)
    latest = select(
        Enrollment.id.label("enrollment_id"),
        Enrollment.officer_id,
        Enrollment.area_id,
        Enrollment.collection_org_id,
        final.label("day"),
    ).where(*_live(scheme), Enrollment.paid_through_on.is_not(None), final <= today)
    earlier_end = lapse_day(Renewal.paid_through_before, grace)
    earlier = (
        select(
            Renewal.enrollment_id,
            Enrollment.officer_id,
            Enrollment.area_id,
            Enrollment.collection_org_id,
            earlier_end.label("day"),
        )
        .join(Enrollment, Enrollment.id == Renewal.enrollment_id)
        .where(*_live(scheme), Renewal.renewed_on >= earlier_end)
    )
    if start is not None and end is not None:
        window = _paid_through_range(start, end, today, grace)
        latest = latest.where(Enrollment.paid_through_on.between(*window))
        # Implied (the renewal came on or after the lapse, which is on or after start), and
        # an indexed range: the planner then starts from the renewals of those days, not from
        # every enrollment (a province's 100,000, each probed for renewals).
        earlier = earlier.where(
            Renewal.paid_through_before.between(*window), Renewal.renewed_on >= start
        )
    return union_all(latest, earlier).subquery("lapses")


def return_events(
    scheme: str, start: date | None = None, end: date | None = None, grace: int | None = None
):
    """Every return (from start to end, when both are given): a payment on or after the lapse
    of the spell before it. Credited to the officer who won the participant back, in the
    enrollment's area."""
    query = (
        select(
            Renewal.enrollment_id,
            Renewal.officer_id,
            Enrollment.area_id,
            Enrollment.collection_org_id,
            Renewal.renewed_on.label("day"),
        )
        .join(Enrollment, Enrollment.id == Renewal.enrollment_id)
        .where(*_live(scheme), Renewal.renewed_on >= lapse_day(Renewal.paid_through_before, grace))
    )
    if start is not None and end is not None:
        query = query.where(Renewal.renewed_on.between(start, end))
    return query.subquery("returns")
