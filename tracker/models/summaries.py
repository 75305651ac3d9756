"""Counts kept ready for the boards: per officer and per ward or commune, per calendar month,
quarter and year. progress.summary writes them in the same transaction as the contacts and
enrollments they count, and tests hold them equal to the live counts (docs/performance.md)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..vocab import SUMMARY_KINDS, SUMMARY_SUBJECTS, in_check


class ActivitySummary(db.Model):
    """One officer's (or one area's) live contacts, distinct households reached, distinct
    households interested, and the new participants, returns and lapses of each scheme in one
    calendar period: the columns the metrics declare as kept (progress/metrics.py). Lapses
    are kept up to the day lapse_bookings says was booked (progress/lapse_book.py). The key
    starts with subject, kind and start, so a board reads one contiguous slice of it."""

    __tablename__ = "activity_summaries"
    __table_args__ = (
        CheckConstraint(in_check("subject", SUMMARY_SUBJECTS), name="subject"),
        CheckConstraint(in_check("kind", SUMMARY_KINDS), name="kind"),
    )

    subject: Mapped[str] = mapped_column(String(8), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    period_start: Mapped[date] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    period_end: Mapped[date]
    contacts: Mapped[int] = mapped_column(default=0)
    households_reached: Mapped[int] = mapped_column(default=0)
    interested_households: Mapped[int] = mapped_column(default=0)
    new_participants: Mapped[int] = mapped_column(default=0)  # voluntary social insurance
    new_hi_participants: Mapped[int] = mapped_column(default=0, server_default="0")  # household HI
    returned: Mapped[int] = mapped_column(default=0, server_default="0")  # voluntary SI
    returned_hi: Mapped[int] = mapped_column(default=0, server_default="0")
    lapsed: Mapped[int] = mapped_column(default=0, server_default="0")  # voluntary SI
    lapsed_hi: Mapped[int] = mapped_column(default=0, server_default="0")


class LapseBooking(db.Model):
    """How far the kept lapses go: every lapse on or before `booked_through`, under a grace of
    `grace_days`, is in activity_summaries (progress/lapse_book.py). One row, or none before
    the counts were first built; the kept lapses and returns are read only while the grace
    is still the office's setting."""

    __tablename__ = "lapse_bookings"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    booked_through: Mapped[date]
    grace_days: Mapped[int]
