"""The office's working methods: the monthly review of prospects handed to collection
organizations, and renewals that keep participants from lapsing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import PAYMENT_METHODS, in_check
from .areas import CollectionOrg
from .base import utcnow
from .fieldwork import Enrollment, Household
from .users import User


class ProspectReview(db.Model):
    """A supervisor's monthly review of the prospect list: what was reviewed and handed over."""

    __tablename__ = "prospect_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(index=True)  # the first day of the reviewed month
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    supervisor: Mapped[User] = relationship()
    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )


class ReviewItem(db.Model):
    """One household in a review, with the organization and officer it was handed to."""

    __tablename__ = "review_items"
    __table_args__ = (
        UniqueConstraint("review_id", "household_id"),
        Index("ix_review_items_org", "collection_org_id", "review_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("prospect_reviews.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    collection_org_id: Mapped[int | None] = mapped_column(ForeignKey("collection_orgs.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_at_review: Mapped[str] = mapped_column(String(16))

    review: Mapped[ProspectReview] = relationship(back_populates="items")
    household: Mapped[Household] = relationship()
    collection_org: Mapped[CollectionOrg | None] = relationship()
    officer: Mapped[User | None] = relationship()


class Renewal(db.Model):
    """A participant paid again: the paid-through date moved from `before` to `after`.

    The amounts are computed by the rules in force on `renewed_on` and stored, as for
    enrollments; `supported_months` counts toward the person's 120 months of state support.
    """

    __tablename__ = "renewals"
    __table_args__ = (
        UniqueConstraint("officer_id", "client_token"),
        CheckConstraint("months BETWEEN 1 AND 600", name="months"),
        CheckConstraint("paid_through_after > paid_through_before", name="moves_forward"),
        CheckConstraint(in_check("method", PAYMENT_METHODS), name="method"),
        CheckConstraint("income_basis IS NULL OR income_basis > 0", name="income_basis"),
        CheckConstraint(
            "supported_months IS NULL OR supported_months BETWEEN 0 AND 120",
            name="supported_months",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    renewed_on: Mapped[date] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(String(16))  # PAYMENT_METHODS
    months: Mapped[int]
    paid_through_before: Mapped[date]
    paid_through_after: Mapped[date]
    income_basis: Mapped[int | None]  # VND; None outside voluntary social insurance
    monthly_contribution: Mapped[int | None]
    monthly_state_support: Mapped[int | None]
    supported_months: Mapped[int | None]
    client_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrollment: Mapped[Enrollment] = relationship()
    officer: Mapped[User] = relationship()

    @property
    def amount_due(self) -> int | None:
        """What the participant paid: every month's contribution less the supported months'
        support."""
        if self.monthly_contribution is None:
            return None
        support = (self.monthly_state_support or 0) * (self.supported_months or 0)
        return self.monthly_contribution * self.months - support
