"""Participants to call (docs/design.md, "Schemes, lapses and net growth", "Winning back"): those
who lapsed (the paid-through date passed more than the office's grace ago, no payment since),
to win back, and those who will lapse within the next 30 days, to call before they do. Today
and the team page list them by the day they lapse, earliest first: the longest lapsed, then
the ones that lapse soonest. Ties in Vietnamese order of the name, so the list reads as a list
of people does everywhere else (collation.py), then by id, so it does not shuffle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..collation import in_order
from ..extensions import db
from ..i18n import short_date
from ..models import Enrollment
from ..progress.lifecycle import lapse_day_of
from .settings import lapse_grace_days

SHOWN = 20
AHEAD_DAYS = 30  # who lapses within this many days is listed, to be called before


@dataclass(frozen=True)
class Lapses:
    rows: list[Enrollment]  # by the day they lapse, earliest first
    more: int  # how many more there are beyond the rows shown
    grace: int
    today: date

    def lapsed_on(self, enrollment: Enrollment) -> date:
        """The day the participant lapsed, or will lapse if nothing is paid before it."""
        return lapse_day_of(enrollment.paid_through_on, self.grace)

    def has_lapsed(self, enrollment: Enrollment) -> bool:
        """Lapsed already (to win back), or not yet (to call before the day)."""
        return self.lapsed_on(enrollment) <= self.today

    def label(self, enrollment: Enrollment) -> str:
        """What the list says of the row: lapsed on a day, or lapses on one unless paid."""
        day = short_date(self.lapsed_on(enrollment))
        if self.has_lapsed(enrollment):
            return _("lapsed %(date)s", date=day)
        return _("lapses %(date)s unless paid", date=day)


def to_win_back(officer_ids: list[int], today: date, scheme: str, shown: int = SHOWN) -> Lapses:
    """The participants credited to these officers who lapsed, or lapse within AHEAD_DAYS
    days, in the scheme: by the day they lapse, earliest first."""
    grace = lapse_grace_days()
    # A spell paid through P lapses on P + grace + 1: on or before today + AHEAD_DAYS.
    last_paid = today + timedelta(days=AHEAD_DAYS - grace - 1)
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
        .order_by(Enrollment.paid_through_on, in_order(Enrollment.participant_name), Enrollment.id)
        .limit(shown)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Enrollment).where(*where))
    return Lapses(list(rows), max(total - len(rows), 0), grace, today)
