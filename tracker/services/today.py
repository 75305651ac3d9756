"""An officer's Today: progress, follow-ups due, renewals due this month, the latest contacts.

The lists hold the first few, counted in SQL: an officer with thousands of follow-ups due gets
the same small page, with "and N more" (the memory a request takes does not grow with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from .. import periods, progress
from ..collation import in_order
from ..extensions import db
from ..models import Contact, Enrollment, Household, User
from . import lifecycle

RECENT_CONTACTS = 5
SHOWN = 10  # follow-ups and renewals listed on the page; the rest are counted
OPEN_STATUSES = ("prospect", "contacted", "interested")


@dataclass
class Today:
    day: date
    month: progress.Progress
    year: progress.Progress
    follow_ups: list[Household]  # the first SHOWN due, the longest overdue first
    follow_ups_due: int
    overdue: int
    renewals: list[Enrollment]  # the first SHOWN due this month
    renewals_due: int
    lapses: lifecycle.Lapses
    recent: list[Contact]

    @property
    def more_follow_ups(self) -> int:
        return self.follow_ups_due - len(self.follow_ups)

    @property
    def more_renewals(self) -> int:
        return self.renewals_due - len(self.renewals)


def _new_participants(officer_id: int, period: periods.Period, day: date) -> progress.Progress:
    return progress.officer_progress(officer_id, period, day, metrics=("new_participants",))[
        "new_participants"
    ]


def for_officer(officer: User, day: date) -> Today:
    month = periods.current_month(day)
    due = (
        Household.officer_id == officer.id,
        Household.status.in_(OPEN_STATUSES),
        Household.next_follow_up_on <= day,
    )
    follow_ups = db.session.scalars(
        select(Household)
        .options(joinedload(Household.area))
        .where(*due)
        .order_by(Household.next_follow_up_on, in_order(Household.head_name), Household.id)
        .limit(SHOWN)
    ).all()
    follow_ups_due, overdue = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Household.next_follow_up_on < day, 1), else_=0)), 0),
        ).where(*due)
    ).one()
    renewing = (
        Enrollment.officer_id == officer.id,
        Enrollment.deleted_at.is_(None),
        Enrollment.paid_through_on.between(month.start, month.end),
    )
    renewals = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.area))
        .where(*renewing)
        .order_by(Enrollment.paid_through_on, Enrollment.id)
        .limit(SHOWN)
    ).all()
    renewals_due = db.session.scalar(select(func.count()).select_from(Enrollment).where(*renewing))
    recent = db.session.scalars(
        select(Contact)
        .options(joinedload(Contact.area), joinedload(Contact.household))
        .where(Contact.officer_id == officer.id, Contact.deleted_at.is_(None))
        .order_by(Contact.contacted_on.desc(), Contact.id.desc())
        .limit(RECENT_CONTACTS)
    ).all()
    return Today(
        day=day,
        month=_new_participants(officer.id, month, day),
        year=_new_participants(officer.id, periods.current_year(day), day),
        follow_ups=list(follow_ups),
        follow_ups_due=follow_ups_due,
        overdue=overdue,
        renewals=list(renewals),
        renewals_due=renewals_due,
        lapses=lifecycle.to_win_back([officer.id], day, "voluntary_si"),
        recent=list(recent),
    )
