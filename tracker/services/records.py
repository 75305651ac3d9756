"""Reading contacts and enrollments: what each user may see, filtered, newest first; the
officers a user may filter by; and the deleted record an officer may still bring back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..access import visible_officer_ids
from ..collation import in_order
from ..extensions import db
from ..models import Contact, Enrollment, User
from .fieldwork import EDIT_WINDOW, still_editable


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
        query = query.where(Contact.area_id.in_(with_lineage(filters.area_id)))
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
        query = query.where(Enrollment.area_id.in_(with_lineage(filters.area_id)))
    if filters.officer_id:
        query = query.where(Enrollment.officer_id == filters.officer_id)
    return query.order_by(Enrollment.enrolled_on.desc(), Enrollment.id.desc())


def with_lineage(area_id: int | None) -> list[int] | None:
    """A unit and the units it came from: records keep the unit they were made in, so a ward
    of today lists the records of the wards it was made of too."""
    if not area_id:
        return None
    from ..progress import area_tree

    return list(area_tree().lineage(area_id))


def visible_officers(user: User) -> list[User]:
    """The people whose work `user` may filter by, in Vietnamese order: none for a user who sees
    only their own work (an officer), the team for a supervisor, everyone for the rest."""
    ids = visible_officer_ids(user)
    if ids == {user.id}:
        return []
    query = select(User).order_by(in_order(User.full_name), User.id)
    if ids is not None:
        query = query.where(User.id.in_(ids))
    return list(db.session.scalars(query))


MODELS = {"contacts": Contact, "enrollments": Enrollment}


def restorable(user: User, kind: str, record_id: int | None) -> Contact | Enrollment | None:
    """The deleted record `user` may still bring back (their own, within its 7 days), if the id
    names one; anything else (another's record, a live one, a made-up id) is None."""
    if record_id is None or kind not in MODELS:
        return None
    record = db.session.get(MODELS[kind], record_id)
    if record is None or record.deleted_at is None or not still_editable(user, record):
        return None
    return record


def editable_until(record: Contact | Enrollment) -> datetime:
    """The moment its officer can no longer edit, delete or bring back a record."""
    return record.created_at + EDIT_WINDOW
