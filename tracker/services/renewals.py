"""Renewals: participants whose paid-through date is near or passed, and recording that they
paid again. Lapses reach the participant counts only through official counts (DESIGN.md);
here they are work to do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..access import visible_officer_ids, works_in_field
from ..extensions import db
from ..models import Enrollment, Renewal, User
from . import audit
from .enrollments import paid_through
from .fieldwork import NotAllowed, ValidationError, check_token, replay, retry_when_locked

WINDOW = timedelta(days=30)


def due(
    user: User, today: date, officer_id: int | None = None, area_id: int | None = None
) -> list[Enrollment]:
    """Participants lapsed or due within 30 days, oldest first, among those the user sees."""
    query = (
        select(Enrollment)
        .options(joinedload(Enrollment.area), joinedload(Enrollment.officer))
        .where(
            Enrollment.deleted_at.is_(None),
            Enrollment.paid_through_on.is_not(None),
            Enrollment.paid_through_on <= today + WINDOW,
        )
        .order_by(Enrollment.paid_through_on, Enrollment.participant_name)
    )
    ids = visible_officer_ids(user)
    if ids is not None:
        query = query.where(Enrollment.officer_id.in_(ids))
    if officer_id:
        query = query.where(Enrollment.officer_id == officer_id)
    if area_id:
        query = query.where(Enrollment.area_id == area_id)
    return list(db.session.scalars(query.limit(500)))


def may_renew(user: User, enrollment: Enrollment) -> bool:
    """Field roles record renewals of the participants they may see (own, or the team's)."""
    ids = visible_officer_ids(user)
    return works_in_field(user) and (ids is None or enrollment.officer_id in ids)


@retry_when_locked
def record(
    user: User,
    enrollment: Enrollment,
    renewed_on: date | None,
    months: int | None,
    client_token: str | None,
) -> Renewal:
    """The participant paid `months` more: paid-through moves on from where it stood."""
    if not may_renew(user, enrollment):
        raise NotAllowed
    errors: dict[str, str] = {}
    check_token(errors, client_token)
    if not errors and (existing := replay(Renewal, user, client_token)):
        return existing
    if renewed_on is None or renewed_on > datetime.now(UTC).date() + timedelta(days=1):
        errors["renewed_on"] = _("The date cannot be in the future.")
    elif renewed_on < enrollment.enrolled_on:
        errors["renewed_on"] = _("The date cannot be before the enrollment.")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 600:
        errors["months"] = _("From 1 to 600 months.")
    if errors:
        raise ValidationError(errors)
    # An enrollment recorded without a paid-through date is covered from the renewal on.
    before = enrollment.paid_through_on or renewed_on - timedelta(days=1)
    after = paid_through(before + timedelta(days=1), months)
    renewal = Renewal(
        enrollment_id=enrollment.id,
        officer_id=user.id,
        renewed_on=renewed_on,
        months=months,
        paid_through_before=before,
        paid_through_after=after,
        client_token=client_token,
    )
    enrollment.paid_through_on = after
    db.session.add(renewal)
    db.session.flush()
    audit.record(
        user,
        "renew",
        "enrollment",
        enrollment.id,
        {"paid_through_on": before.isoformat()},
        {"paid_through_on": after.isoformat()},
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = replay(Renewal, user, client_token)
        if existing is None:
            raise
        return existing
    return renewal
