"""An officer's Today: progress, follow-ups due, renewals due this month, the latest contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import periods, progress
from ..collation import in_order
from ..extensions import db
from ..models import Contact, Enrollment, Household, User
from . import lifecycle

RECENT_CONTACTS = 5
OPEN_STATUSES = ("prospect", "contacted", "interested")


@dataclass
class Today:
    day: date
    month: progress.Progress
    year: progress.Progress
    follow_ups: list[Household]
    renewals: list[Enrollment]
    lapses: lifecycle.Lapses
    recent: list[Contact]

    @property
    def overdue(self) -> list[Household]:
        return [h for h in self.follow_ups if h.next_follow_up_on < self.day]

    @property
    def due_today(self) -> list[Household]:
        return [h for h in self.follow_ups if h.next_follow_up_on == self.day]


def for_officer(officer: User, day: date) -> Today:
    month = periods.current_month(day)
    follow_ups = db.session.scalars(
        select(Household)
        .options(joinedload(Household.area))
        .where(
            Household.officer_id == officer.id,
            Household.status.in_(OPEN_STATUSES),
            Household.next_follow_up_on <= day,
        )
        .order_by(Household.next_follow_up_on, in_order(Household.head_name))
    ).all()
    renewals = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.area))
        .where(
            Enrollment.officer_id == officer.id,
            Enrollment.deleted_at.is_(None),
            Enrollment.paid_through_on.between(month.start, month.end),
        )
        .order_by(Enrollment.paid_through_on)
    ).all()
    recent = db.session.scalars(
        select(Contact)
        .options(joinedload(Contact.area), joinedload(Contact.household))
        .where(Contact.officer_id == officer.id, Contact.deleted_at.is_(None))
        .order_by(Contact.contacted_on.desc(), Contact.id.desc())
        .limit(RECENT_CONTACTS)
    ).all()
    return Today(
        day=day,
        month=progress.officer_progress(officer.id, month, day)["new_participants"],
        year=progress.officer_progress(officer.id, periods.current_year(day), day)[
            "new_participants"
        ],
        follow_ups=list(follow_ups),
        renewals=list(renewals),
        lapses=lifecycle.to_win_back([officer.id], day, "voluntary_si"),
        recent=list(recent),
    )
