"""Reading contacts and enrollments: what each user may see, filtered, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..access import visible_officer_ids
from ..models import Contact, Enrollment, User


@dataclass
class RecordFilters:
    start: date | None = None
    end: date | None = None
    area_id: int | None = None
    officer_id: int | None = None
    channel: str | None = None
    outcome: str | None = None


def _visible(query, model, user: User):
    """Visible officers' live records, plus the viewer's own deleted ones (to undo)."""
    ids = visible_officer_ids(user)
    if ids is not None:
        query = query.where(model.officer_id.in_(ids))
    return query.where(or_(model.deleted_at.is_(None), model.officer_id == user.id))


def contacts(user: User, filters: RecordFilters):
    query = _visible(select(Contact), Contact, user).options(
        joinedload(Contact.area), joinedload(Contact.household), joinedload(Contact.officer)
    )
    if filters.start:
        query = query.where(Contact.contacted_on >= filters.start)
    if filters.end:
        query = query.where(Contact.contacted_on <= filters.end)
    if filters.area_id:
        query = query.where(Contact.area_id.in_(_with_lineage(filters.area_id)))
    if filters.officer_id:
        query = query.where(Contact.officer_id == filters.officer_id)
    if filters.channel:
        query = query.where(Contact.channel == filters.channel)
    if filters.outcome:
        query = query.where(Contact.outcome == filters.outcome)
    return query.order_by(Contact.contacted_on.desc(), Contact.id.desc())


def enrollments(user: User, filters: RecordFilters):
    query = _visible(select(Enrollment), Enrollment, user).options(
        joinedload(Enrollment.area),
        joinedload(Enrollment.household),
        joinedload(Enrollment.officer),
        joinedload(Enrollment.collection_org),
    )
    if filters.start:
        query = query.where(Enrollment.enrolled_on >= filters.start)
    if filters.end:
        query = query.where(Enrollment.enrolled_on <= filters.end)
    if filters.area_id:
        query = query.where(Enrollment.area_id.in_(_with_lineage(filters.area_id)))
    if filters.officer_id:
        query = query.where(Enrollment.officer_id == filters.officer_id)
    return query.order_by(Enrollment.enrolled_on.desc(), Enrollment.id.desc())


def _with_lineage(area_id: int) -> list[int]:
    """A unit and the units it came from: records keep the unit they were made in, so a ward
    of today lists the records of the wards it was made of too."""
    from ..progress import area_tree

    return list(area_tree().lineage(area_id))
