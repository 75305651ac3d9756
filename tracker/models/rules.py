"""The dated rules of voluntary social insurance, kept as data (docs/design.md, "Contributions
and the rules of the law").

Each row is in force from `valid_from` until the day before `valid_to` (empty: until a later
rule ends it), like areas in time. The rows of one kind (income bases; the support rate of one
category) follow each other with no overlap and no gap; tracker/services/rules.py keeps that
true when an administrator adds one. A new decree is a new row with its source, never an edit
of code.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..vocab import ENROLLMENT_CATEGORIES, in_check


class IncomeBasisRule(db.Model):
    """Contribution rate and the legal range of the chosen monthly income basis."""

    __tablename__ = "income_basis_rules"
    __table_args__ = (
        CheckConstraint("minimum_basis > 0 AND maximum_basis >= minimum_basis", name="range"),
        CheckConstraint("contribution_percent > 0", name="contribution_percent"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(unique=True)
    valid_to: Mapped[date | None]  # exclusive: the first day the rule is no longer in force
    contribution_percent: Mapped[int]  # 22
    minimum_basis: Mapped[int]  # the rural poverty line, VND
    maximum_basis: Mapped[int]  # 20 × the base salary (the reference level since 2025-07-01)
    source: Mapped[str] = mapped_column(String(200))


class SupportRate(db.Model):
    """The state's share of the minimum contribution for a category, from a date on."""

    __tablename__ = "support_rates"
    __table_args__ = (
        UniqueConstraint("valid_from", "category"),
        CheckConstraint(in_check("category", ENROLLMENT_CATEGORIES), name="category"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]  # exclusive, as for IncomeBasisRule
    category: Mapped[str] = mapped_column(String(20))
    percent: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))
