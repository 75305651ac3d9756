"""The home page of supervisors, leaders and admins (officers land on Today)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from .. import progress
from ..access import sees_everyone, works_in_field
from ..dates import local_today
from ..extensions import db
from ..models import Area, AuditEvent, CollectionOrg, ParticipantCount, User
from ..periods import Period, current_month

RECENT_CHANGES = 8


@dataclass
class Overview:
    month: Period
    contacts: int = 0
    enrollments: int = 0
    team: list[tuple[User, int, int]] = field(default_factory=list)
    official_counts: list[ParticipantCount] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    recent_audit: list[AuditEvent] = field(default_factory=list)


def _team_activity(user: User, overview: Overview) -> None:
    """This month's contacts and enrollments of the user and their team: two GROUP BYs."""
    ids = [user.id, *(member.id for member in user.team)]
    contacts = progress.flow_actuals("contacts", overview.month, "officer_id", ids)
    enrolled = progress.flow_actuals("new_participants", overview.month, "officer_id", ids)
    overview.contacts, overview.enrollments = contacts.get(user.id, 0), enrolled.get(user.id, 0)
    overview.team = [(m, contacts.get(m.id, 0), enrolled.get(m.id, 0)) for m in user.team]


def _city_counts() -> list[ParticipantCount]:
    """Official counts of the first city under the top area (the office's own city)."""
    top = db.session.scalar(select(Area).where(Area.parent_id.is_(None)).order_by(Area.id))
    if top is None:
        return []
    city = db.session.scalar(select(Area).where(Area.parent_id == top.id).order_by(Area.id))
    return list(
        db.session.scalars(
            select(ParticipantCount)
            .where(ParticipantCount.area_id == (city or top).id)
            .order_by(ParticipantCount.as_of)
        )
    )


def for_user(user: User) -> Overview:
    overview = Overview(month=current_month(local_today()))
    if works_in_field(user) and not sees_everyone(user):
        _team_activity(user, overview)
    overview.official_counts = _city_counts()
    overview.totals = {
        "users": db.session.scalar(select(func.count()).select_from(User).where(User.active)),
        "areas": db.session.scalar(select(func.count()).select_from(Area)),
        "collection_orgs": db.session.scalar(
            select(func.count()).select_from(CollectionOrg).where(CollectionOrg.active)
        ),
    }
    overview.recent_audit = list(
        db.session.scalars(
            select(AuditEvent)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(RECENT_CHANGES)
        )
    )
    return overview
