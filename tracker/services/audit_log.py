"""Reading the audit log: events filtered by who, what, which kind of record and when (the
office's days), newest first, for the view to page in SQL; and the filters' choices in words,
in Vietnamese order. services/audit_entries.py describes a page of events for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import get_timezone
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..collation import in_order, sort_key
from ..extensions import db
from ..models import AuditEvent, User
from .audit_labels import ACTIONS, ENTITIES


@dataclass
class AuditFilters:
    actor_id: int | None = None
    action: str | None = None  # a code of audit_labels.ACTIONS
    entity: str | None = None  # a code of audit_labels.ENTITIES
    start: date | None = None  # the office's calendar days, both included
    end: date | None = None


def _moment(day: date) -> datetime:
    """The first moment of the office's day, in UTC as events are stored."""
    return datetime.combine(day, time.min, tzinfo=get_timezone()).astimezone(UTC)


def events(filters: AuditFilters):
    """A select of the events that match, newest first, each with its actor."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if filters.actor_id:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.entity:
        query = query.where(AuditEvent.entity == filters.entity)
    if filters.start:
        query = query.where(AuditEvent.at >= _moment(filters.start))
    if filters.end:
        query = query.where(AuditEvent.at < _moment(filters.end + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


@dataclass
class Choices:
    actors: list[User]
    actions: list[tuple[str, str]]  # (code, label), by label
    entities: list[tuple[str, str]]


def choices() -> Choices:
    """What the filters offer: the people, actions and kinds of record the log holds."""

    def labelled(column, labels) -> list[tuple[str, str]]:
        codes = db.session.scalars(select(column).distinct())
        found = [(code, str(labels[code])) for code in codes if code in labels]
        return sorted(found, key=lambda pair: sort_key(pair[1]))

    actors = db.session.scalars(
        select(User)
        .where(User.id.in_(select(AuditEvent.actor_id)))
        .order_by(in_order(User.full_name), User.id)
    ).all()
    return Choices(
        list(actors), labelled(AuditEvent.action, ACTIONS), labelled(AuditEvent.entity, ENTITIES)
    )
