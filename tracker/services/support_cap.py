"""The 120 months of state support a person may have (Decree 134/2015 art. 14; Decree
159/2025), counted across every payment: the enrollment and its renewals.

A person is the enrollment's citizen ID when it has one (so the count follows them if they are
enrolled again), else the enrollment itself. Each payment stores the months it was supported
for (`supported_months`); rows written outside the app (demo, SQL loads) without it count every
month they were supported for.
"""

from __future__ import annotations

from sqlalchemy import String, case, cast, func, literal, or_, select

from ..extensions import db
from ..models import Enrollment, Renewal
from .contributions import SUPPORT_MONTHS_CAP


def _enrollment_months():
    return func.coalesce(
        Enrollment.supported_months,
        case((Enrollment.monthly_state_support > 0, Enrollment.months_paid), else_=0),
    )


def _renewal_months():
    return func.coalesce(
        Renewal.supported_months,
        case((Renewal.monthly_state_support > 0, Renewal.months), else_=0),
    )


def _same_person(enrollment: Enrollment):
    if enrollment.citizen_id:
        return or_(Enrollment.citizen_id == enrollment.citizen_id, Enrollment.id == enrollment.id)
    return Enrollment.id == enrollment.id


def used(
    enrollment: Enrollment,
    without_enrollment: bool = False,
    without_renewal_id: int | None = None,
) -> int:
    """Months of support the person of `enrollment` already had, over live enrollments and
    their renewals; `without_enrollment` leaves out this enrollment's own payment (when it is
    being edited), `without_renewal_id` one renewal."""
    person = _same_person(enrollment)
    from_enrollments = select(func.coalesce(func.sum(_enrollment_months()), 0)).where(
        person, Enrollment.deleted_at.is_(None)
    )
    if without_enrollment:
        from_enrollments = from_enrollments.where(Enrollment.id != enrollment.id)
    from_renewals = (
        select(func.coalesce(func.sum(_renewal_months()), 0))
        .join(Enrollment, Renewal.enrollment_id == Enrollment.id)
        .where(person, Enrollment.deleted_at.is_(None))
    )
    if without_renewal_id is not None:
        from_renewals = from_renewals.where(Renewal.id != without_renewal_id)
    return int(db.session.scalar(from_enrollments)) + int(db.session.scalar(from_renewals))


def remaining(enrollment: Enrollment) -> int:
    return max(SUPPORT_MONTHS_CAP - used(enrollment), 0)


def remaining_for(enrollments: list[Enrollment]) -> dict[int, int]:
    """Months of support left, by enrollment id, for a page of enrollments in two queries."""
    if not enrollments:
        return {}
    keys = {e.id: (e.citizen_id or f"#{e.id}") for e in enrollments}
    citizen_ids = {e.citizen_id for e in enrollments if e.citizen_id}
    person_key = case(
        (Enrollment.citizen_id.is_not(None), Enrollment.citizen_id),
        else_=literal("#", String) + cast(Enrollment.id, String),
    )
    people = or_(Enrollment.id.in_(list(keys)), Enrollment.citizen_id.in_(citizen_ids))
    totals: dict[str, int] = {}
    for key, months in db.session.execute(
        select(person_key, func.sum(_enrollment_months()))
        .where(people, Enrollment.deleted_at.is_(None))
        .group_by(person_key)
    ):
        totals[key] = totals.get(key, 0) + int(months or 0)
    for key, months in db.session.execute(
        select(person_key, func.sum(_renewal_months()))
        .join(Enrollment, Renewal.enrollment_id == Enrollment.id)
        .where(people, Enrollment.deleted_at.is_(None))
        .group_by(person_key)
    ):
        totals[key] = totals.get(key, 0) + int(months or 0)
    return {
        enrollment_id: max(SUPPORT_MONTHS_CAP - totals.get(key, 0), 0)
        for enrollment_id, key in keys.items()
    }
