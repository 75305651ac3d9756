"""Targets, versioned: a change closes the current row (replaced_at) and adds a new one, so
earlier versions stay visible and past periods keep the targets they had."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..progress.metrics import TARGET_SCHEMES, target_codes
from ..vocab import TARGET_SUBJECTS, in_check
from .areas import Area, CollectionOrg
from .base import utcnow
from .users import User


def _one_current_version(column: str) -> Index:
    """One current version per subject, metric, scheme and period; replaced versions are
    history."""
    current = text(f"replaced_at IS NULL AND {column} IS NOT NULL")
    return Index(
        f"uq_targets_current_{column}",
        column,
        "metric",
        "scheme",
        "period_start",
        "period_end",
        unique=True,
        sqlite_where=current,
        postgresql_where=current,
    )


class Target(db.Model):
    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint(in_check("subject", TARGET_SUBJECTS), name="subject"),
        CheckConstraint(in_check("metric", target_codes()), name="metric"),
        CheckConstraint(in_check("scheme", TARGET_SCHEMES), name="scheme"),
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint(
            "(subject = 'officer' AND officer_id IS NOT NULL AND area_id IS NULL"
            " AND collection_org_id IS NULL)"
            " OR (subject = 'area' AND area_id IS NOT NULL AND officer_id IS NULL"
            " AND collection_org_id IS NULL)"
            " OR (subject = 'collection_org' AND collection_org_id IS NOT NULL"
            " AND officer_id IS NULL AND area_id IS NULL)",
            name="one_subject",
        ),
        Index("ix_targets_metric_period", "metric", "period_start", "period_end"),
        _one_current_version("officer_id"),
        _one_current_version("area_id"),
        _one_current_version("collection_org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    collection_org_id: Mapped[int | None] = mapped_column(ForeignKey("collection_orgs.id"))
    metric: Mapped[str] = mapped_column(String(20))
    # the scheme the metric counts (all: outreach, which is not about one scheme)
    scheme: Mapped[str] = mapped_column(String(16), default="voluntary_si")
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[int]
    # a pinned closed month's exact share (value is it rounded); None for a target a person set
    exact_value: Mapped[float | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")

    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    area: Mapped[Area | None] = relationship()
    collection_org: Mapped[CollectionOrg | None] = relationship()
    set_by: Mapped[User | None] = relationship(foreign_keys=[set_by_id])


class TargetReopening(db.Model):
    """A leader reopened the targets of a closed period for a while, with a reason: targets of
    periods that have ended are locked otherwise (services/targets.py)."""

    __tablename__ = "target_reopenings"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    open_until: Mapped[date]  # the last day edits are allowed
    reopened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime] = mapped_column(default=utcnow)

    reopened_by: Mapped[User] = relationship()
