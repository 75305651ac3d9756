"""The insurer's books: its per-person list of participants, imported every month and held
against the enrollments officers reported (services/reconciliation). A row is one person in
one scheme, known by their social insurance number, so a list imported again updates its rows
in place."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import ENROLLMENT_SCHEMES, MATCH_RULES, RESOLUTIONS, in_check
from .areas import Area, Office
from .base import utcnow
from .fieldwork import Enrollment
from .users import User

ROW_STATUSES = ("confirmed", "mismatched", "only_insurer", "dismissed")


class InsurerRecord(db.Model):
    __tablename__ = "insurer_records"
    __table_args__ = (
        UniqueConstraint("scheme", "social_insurance_number"),
        CheckConstraint(in_check("scheme", ENROLLMENT_SCHEMES), name="scheme"),
        CheckConstraint(in_check("status", ROW_STATUSES), name="status"),
        CheckConstraint(
            f"match_rule IS NULL OR {in_check('match_rule', MATCH_RULES)}", name="match_rule"
        ),
        CheckConstraint(
            f"resolution IS NULL OR {in_check('resolution', RESOLUTIONS)}", name="resolution"
        ),
        CheckConstraint(
            "paid_through IS NULL OR paid_from IS NULL OR paid_through >= paid_from",
            name="paid_in_order",
        ),
        Index("ix_insurer_records_office_status", "office_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    scheme: Mapped[str] = mapped_column(String(16))
    social_insurance_number: Mapped[str] = mapped_column(String(10))
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))  # folded: diacritic-blind matching
    birth_date: Mapped[date | None]
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    paid_from: Mapped[date | None]
    paid_through: Mapped[date | None]
    monthly_contribution: Mapped[int | None]  # VND
    state_support: Mapped[int | None]  # VND a month
    collection_agent: Mapped[str] = mapped_column(String(160), default="")
    receipt: Mapped[str] = mapped_column(String(60), default="")
    listed_on: Mapped[date]  # the day of the newest list that held this row
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    match_rule: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="only_insurer")
    # {field: [the app's value, the insurer's value]} for a matched row whose fields differ
    differences: Mapped[dict] = mapped_column(JSON, default=dict)
    resolution: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(300), default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    office: Mapped[Office | None] = relationship()
    area: Mapped[Area] = relationship()
    enrollment: Mapped[Enrollment | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()
