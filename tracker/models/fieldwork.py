"""What officers do in the field: households (the prospect list), contacts, enrollments and
awareness sessions. The progress queries filter and group these by officer, area and date, so
those are the indexed columns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import search_text as folded_search_text
from ..vocab import (
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    ENROLLMENT_CATEGORIES,
    ENROLLMENT_SCHEMES,
    HOUSEHOLD_CATEGORIES,
    HOUSEHOLD_STATUSES,
    INSURER_STATUSES,
    PAYMENT_PERIODS,
    SESSION_KINDS,
    in_check,
)
from .areas import Area, CollectionOrg
from .base import utcnow
from .users import User


class Household(db.Model):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint(in_check("category", HOUSEHOLD_CATEGORIES), name="category"),
        CheckConstraint(in_check("status", HOUSEHOLD_STATUSES), name="status"),
        Index("ix_households_area_status", "area_id", "status"),
        Index("ix_households_area_name_key", "area_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    head_name: Mapped[str] = mapped_column(String(120))
    # Name and address without diacritics, lower-cased: what search-as-you-type matches;
    # kept in step with head_name and address by the listener below.
    search_text: Mapped[str] = mapped_column(String(400), default="")
    # The head's name folded the same way: how likely duplicates are found, in SQL.
    name_key: Mapped[str] = mapped_column(String(120), default="", server_default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(20), default="other")
    status: Mapped[str] = mapped_column(String(16), default="prospect")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    collection_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_orgs.id"), index=True
    )
    next_follow_up_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship()
    officer: Mapped[User | None] = relationship()
    collection_org: Mapped[CollectionOrg | None] = relationship()


@event.listens_for(Household, "before_insert")
@event.listens_for(Household, "before_update")
def _refresh_search_text(_mapper, _connection, household: Household) -> None:
    household.search_text = folded_search_text(household.head_name, household.address or "")
    household.name_key = folded_search_text(household.head_name)


class OutreachSession(db.Model):
    """An awareness session in a ward (often in the evening), or a training for collectors."""

    __tablename__ = "outreach_sessions"
    __table_args__ = (
        CheckConstraint(in_check("kind", SESSION_KINDS), name="kind"),
        CheckConstraint("attendees >= 0", name="attendees"),
        Index("ix_outreach_sessions_area_held_on", "area_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    held_on: Mapped[date]
    starts_at: Mapped[str | None] = mapped_column(String(5))  # "19:30", local time
    kind: Mapped[str] = mapped_column(String(16), default="awareness")
    title: Mapped[str] = mapped_column(String(200))
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    partner_org: Mapped[str] = mapped_column(String(160), default="")
    attendees: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[Area] = relationship()
    organizer: Mapped[User | None] = relationship()


def live_covering_index(table: str, key: str, day: str, *more: str) -> Index:
    """ix_<table>_<key>_<day> over live rows, holding every column the progress queries read."""
    live = text("deleted_at IS NULL")
    return Index(
        f"ix_{table}_{key.removesuffix('_id')}_{day}",
        key,
        day,
        *more,
        "deleted_at",
        sqlite_where=live,
        postgresql_where=live,
    )


class Contact(db.Model):
    """One logged contact. (officer_id, client_token) is unique: a replay creates nothing."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("officer_id", "client_token"),
        CheckConstraint(in_check("channel", CONTACT_CHANNELS), name="channel"),
        CheckConstraint(in_check("outcome", CONTACT_OUTCOMES), name="outcome"),
        CheckConstraint("people_reached BETWEEN 1 AND 10000", name="people_reached"),
        CheckConstraint(
            "follow_up_on IS NULL OR follow_up_on >= contacted_on", name="follow_up_after_contact"
        ),
        # Covering, and only over live rows: the progress queries (counts by officer or area
        # over a date range, distinct households, interested ones) read these indexes and never
        # the table. deleted_at is always NULL in them, but SQLite reads the table to check it
        # unless the index holds the column (docs/performance.md).
        live_covering_index("contacts", "officer_id", "contacted_on", "household_id", "outcome"),
        live_covering_index("contacts", "area_id", "contacted_on", "household_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_sessions.id"))
    contacted_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(16))
    people_reached: Mapped[int] = mapped_column(default=1)
    follow_up_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    client_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    officer: Mapped[User] = relationship()
    area: Mapped[Area] = relationship()
    household: Mapped[Household | None] = relationship()
    session: Mapped[OutreachSession | None] = relationship()


class Enrollment(db.Model):
    """A new participant developed: what new_participants targets count.

    The contribution figures are computed by the service from the dated rules in force on the
    enrollment date and stored, so a later change of rules does not rewrite history.
    """

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("officer_id", "client_token"),
        CheckConstraint(in_check("scheme", ENROLLMENT_SCHEMES), name="scheme"),
        CheckConstraint(in_check("category", ENROLLMENT_CATEGORIES), name="category"),
        CheckConstraint(in_check("payment_period", PAYMENT_PERIODS), name="payment_period"),
        CheckConstraint("income_basis IS NULL OR income_basis > 0", name="income_basis"),
        CheckConstraint("months_paid IS NULL OR months_paid BETWEEN 1 AND 600", name="months_paid"),
        CheckConstraint(
            "supported_months IS NULL OR supported_months BETWEEN 0 AND 120",
            name="supported_months",
        ),
        CheckConstraint(
            "paid_through_on IS NULL OR paid_through_on >= enrolled_on",
            name="paid_through_after_enrolled",
        ),
        live_covering_index("enrollments", "officer_id", "enrolled_on"),
        live_covering_index("enrollments", "area_id", "enrolled_on"),
        Index("ix_enrollments_collection_org_enrolled_on", "collection_org_id", "enrolled_on"),
        # Lapses are counted live from the paid-through dates (progress/lifecycle.py): a year's
        # lapses in a province are tens of thousands of rows, read from this index alone.
        live_covering_index(
            "enrollments",
            "paid_through_on",
            "scheme",
            "area_id",
            "officer_id",
            "collection_org_id",
        ),
        # A person is enrolled once per scheme; a deleted (mistaken) record does not block
        # re-entry.
        Index(
            "uq_enrollments_live_citizen_id",
            "citizen_id",
            "scheme",
            unique=True,
            sqlite_where=text("deleted_at IS NULL AND citizen_id IS NOT NULL"),
            postgresql_where=text("deleted_at IS NULL AND citizen_id IS NOT NULL"),
        ),
        CheckConstraint(
            f"insurer_status IS NULL OR {in_check('insurer_status', INSURER_STATUSES)}",
            name="insurer_status",
        ),
        Index("ix_enrollments_social_insurance_number", "social_insurance_number"),
        Index("ix_enrollments_name_key_birth_date", "name_key", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_sessions.id"))
    collection_org_id: Mapped[int | None] = mapped_column(ForeignKey("collection_orgs.id"))
    participant_name: Mapped[str] = mapped_column(String(120))
    citizen_id: Mapped[str | None] = mapped_column(String(12))
    social_insurance_number: Mapped[str | None] = mapped_column(String(10))  # the insurer's
    birth_date: Mapped[date | None]
    # The participant's name folded (no diacritics, lower case): how the insurer's list is
    # matched by name, in SQL; kept in step by the listener below.
    name_key: Mapped[str] = mapped_column(String(120), default="", server_default="")
    enrolled_on: Mapped[date]
    scheme: Mapped[str] = mapped_column(String(16), default="voluntary_si")
    category: Mapped[str] = mapped_column(String(20), default="other")
    income_basis: Mapped[int | None]  # VND per month, chosen by the participant
    payment_period: Mapped[str] = mapped_column(String(8), default="1")
    months_paid: Mapped[int | None]  # the period's months; for a lump sum, what was paid for
    paid_through_on: Mapped[date | None] = mapped_column(index=True)
    monthly_contribution: Mapped[int | None]  # VND, 22 % of the income basis
    monthly_state_support: Mapped[int | None]  # VND
    # Of months_paid, how many the state supported: the 120-month cap counts these.
    supported_months: Mapped[int | None]
    # What the insurer's list says of this enrollment (services/reconciliation): confirmed,
    # mismatched, or dismissed by a supervisor (with the reason); None: not in any list yet.
    insurer_status: Mapped[str | None] = mapped_column(String(12))
    insurer_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    client_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    officer: Mapped[User] = relationship()
    area: Mapped[Area] = relationship()
    household: Mapped[Household | None] = relationship()
    collection_org: Mapped[CollectionOrg | None] = relationship()
    session: Mapped[OutreachSession | None] = relationship()

    @property
    def amount_due(self) -> int | None:
        """What the participant paid on enrolling: every month's contribution less the
        supported months' support."""
        if self.monthly_contribution is None or not self.months_paid:
            return None
        support = (self.monthly_state_support or 0) * (self.supported_months or 0)
        return self.monthly_contribution * self.months_paid - support


@event.listens_for(Enrollment, "before_insert")
@event.listens_for(Enrollment, "before_update")
def _refresh_name_key(_mapper, _connection, enrollment: Enrollment) -> None:
    enrollment.name_key = folded_search_text(enrollment.participant_name)
