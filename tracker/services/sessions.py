"""Awareness and training sessions, and what followed them: enrollments in the session's ward
within 30 days after it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..access import visible_area_ids
from ..database import plus_days
from ..extensions import db
from ..models import Enrollment, OutreachSession, User
from ..vocab import SESSION_KINDS
from . import audit
from .fieldwork import RuleBroken, area_for, check_day, choice, text

FOLLOW_UP_DAYS = 30
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]", re.ASCII)


MAX_ATTENDEES = 10_000


@dataclass
class SessionInput:
    area_id: int | None
    held_on: date | None
    starts_at: str | None
    kind: str | None
    title: str | None
    partner_org: str | None
    attendees: int | None
    notes: str | None


def record(user: User, data: SessionInput) -> OutreachSession:
    errors: dict[str, str] = {}
    area = area_for(errors, user, data.area_id, data.held_on)
    check_day(errors, "held_on", data.held_on, user)
    values = {
        "kind": choice(errors, "kind", data.kind, SESSION_KINDS),
        "title": text(errors, "title", data.title, 200, True),
        "partner_org": text(errors, "partner_org", data.partner_org, 160),
        "notes": text(errors, "notes", data.notes, 2000),
    }
    starts_at = (data.starts_at or "").strip() or None
    if starts_at and not _CLOCK.fullmatch(starts_at):
        errors["starts_at"] = "not_a_clock_time"
    attendees = data.attendees
    if (
        isinstance(attendees, bool)
        or not isinstance(attendees, int)
        or not (0 <= attendees <= MAX_ATTENDEES)
    ):
        errors["attendees"] = ("attendees_range", {"max": format_decimal(MAX_ATTENDEES)})
    if errors:
        raise RuleBroken(errors)
    session = OutreachSession(
        area_id=area.id,
        held_on=data.held_on,
        starts_at=starts_at,
        organizer_id=user.id,
        attendees=attendees,
        **values,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(user, "create", "outreach_session", session.id)
    db.session.commit()
    return session


def report(user: User, start: date, end: date) -> list[tuple[OutreachSession, int]]:
    """Sessions held in the period, each with the enrollments recorded in its ward within 30
    days after it (one query)."""
    follow = (
        select(func.count(Enrollment.id))
        .where(
            Enrollment.area_id == OutreachSession.area_id,
            Enrollment.deleted_at.is_(None),
            Enrollment.enrolled_on >= OutreachSession.held_on,
            Enrollment.enrolled_on <= plus_days(OutreachSession.held_on, FOLLOW_UP_DAYS),
        )
        .scalar_subquery()
    )
    query = (
        select(OutreachSession, follow)
        .options(joinedload(OutreachSession.area), joinedload(OutreachSession.organizer))
        .where(OutreachSession.held_on.between(start, end))
        .order_by(OutreachSession.held_on.desc(), OutreachSession.id.desc())
    )
    allowed = visible_area_ids(user)
    if allowed is not None:
        query = query.where(OutreachSession.area_id.in_(allowed))
    return [(session, count) for session, count in db.session.execute(query)]


def recent_in(area_ids, since: date) -> list[OutreachSession]:
    """Sessions a contact or enrollment may link to: held in these wards lately."""
    return list(
        db.session.scalars(
            select(OutreachSession)
            .where(OutreachSession.area_id.in_(list(area_ids)), OutreachSession.held_on >= since)
            .order_by(OutreachSession.held_on.desc())
            .limit(30)
        )
    )
