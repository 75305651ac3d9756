"""What each role's home page shows first. Counts are computed in SQL, never in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..access import carries_personal_targets, sees_everyone, works_in_field
from ..extensions import db
from ..models import Area, AuditEvent, CollectionOrg, Contact, Enrollment, ParticipantCount, User
from ..periods import Period, current_month, current_year
from ..progress import Progress, officer_progress
from ..web import local_today


@dataclass
class Overview:
    month: Period
    contacts: int = 0
    enrollments: int = 0
    team: list[tuple[User, int, int]] = field(default_factory=list)
    official_counts: list[ParticipantCount] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    recent_audit: list[AuditEvent] = field(default_factory=list)
    month_progress: Progress | None = None
    year_progress: Progress | None = None


def _counts_by_officer(officer_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    contacts = dict(
        db.session.execute(
            select(Contact.officer_id, func.count())
            .where(
                Contact.officer_id.in_(officer_ids),
                Contact.deleted_at.is_(None),
                Contact.contacted_on.between(period.start, period.end),
            )
            .group_by(Contact.officer_id)
        ).all()
    )
    enrollments = dict(
        db.session.execute(
            select(Enrollment.officer_id, func.count())
            .where(
                Enrollment.officer_id.in_(officer_ids),
                Enrollment.deleted_at.is_(None),
                Enrollment.enrolled_on.between(period.start, period.end),
            )
            .group_by(Enrollment.officer_id)
        ).all()
    )
    return {i: (contacts.get(i, 0), enrollments.get(i, 0)) for i in officer_ids}


def for_user(user: User) -> Overview:
    today = local_today()
    overview = Overview(month=current_month(today))
    if carries_personal_targets(user):
        overview.month_progress = officer_progress(user.id, overview.month, today)[
            "new_participants"
        ]
        overview.year_progress = officer_progress(user.id, current_year(today), today)[
            "new_participants"
        ]
    if works_in_field(user) and not sees_everyone(user):
        members = [user, *user.team]
        counts = _counts_by_officer([m.id for m in members], overview.month)
        overview.contacts, overview.enrollments = counts[user.id]
        overview.team = [(m, *counts[m.id]) for m in user.team]
    top = db.session.scalar(select(Area).where(Area.parent_id.is_(None)).order_by(Area.id))
    if top is not None:
        district = db.session.scalar(select(Area).where(Area.parent_id == top.id).order_by(Area.id))
        overview.official_counts = db.session.scalars(
            select(ParticipantCount)
            .where(ParticipantCount.area_id == (district or top).id)
            .order_by(ParticipantCount.as_of)
        ).all()
    overview.totals = {
        "users": db.session.scalar(select(func.count()).select_from(User).where(User.active)),
        "areas": db.session.scalar(select(func.count()).select_from(Area)),
        "collection_orgs": db.session.scalar(
            select(func.count()).select_from(CollectionOrg).where(CollectionOrg.active)
        ),
    }
    overview.recent_audit = db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(8)
    ).all()
    return overview
