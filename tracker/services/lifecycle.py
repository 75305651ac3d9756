"""Participants to win back: those whose paid-through date passed more than the office's grace
ago and who have not paid since (docs/design.md, "Schemes, lapses and net growth"). Today and
the team page list them, most recent lapses first: the easiest to bring back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Enrollment
from ..progress.lifecycle import lapse_day_of
from .settings import lapse_grace_days

SHOWN = 20


@dataclass(frozen=True)
class Lapses:
    rows: list[Enrollment]
    more: int  # how many more there are beyond the rows shown
    grace: int

    def lapsed_on(self, enrollment: Enrollment) -> date:
        return lapse_day_of(enrollment.paid_through_on, self.grace)


def to_win_back(officer_ids: list[int], today: date, scheme: str, shown: int = SHOWN) -> Lapses:
    """The lapsed participants credited to these officers, most recent lapse first."""
    grace = lapse_grace_days()
    last_paid = today - (lapse_day_of(today, grace) - today)  # lapsed by today
    where = (
        Enrollment.officer_id.in_(officer_ids),
        Enrollment.deleted_at.is_(None),
        Enrollment.scheme == scheme,
        Enrollment.paid_through_on <= last_paid,
    )
    rows = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.area), joinedload(Enrollment.officer))
        .where(*where)
        .order_by(Enrollment.paid_through_on.desc(), Enrollment.participant_name)
        .limit(shown)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Enrollment).where(*where))
    return Lapses(list(rows), max(total - len(rows), 0), grace)
