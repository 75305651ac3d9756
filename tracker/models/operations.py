"""What running the office's server needs beyond its domain: import jobs, which outlive the
request that started them (a queue worker or a thread writes them while the user watches their
progress), and the row the readiness check rewrites to prove the database takes writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import IMPORT_STATUSES, in_check
from .base import utcnow
from .users import User

IMPORT_JOB_STATUSES = [status for status in IMPORT_STATUSES if status != "stalled"]


class ImportJob(db.Model):
    """An import from its preview to its last written row. The preview's rows are kept here
    (not in a file of one machine), so any worker can commit them."""

    __tablename__ = "import_jobs"
    __table_args__ = (CheckConstraint(in_check("status", IMPORT_JOB_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    preview: Mapped[str] = mapped_column(Text)  # JSON: rows ready to write, duplicates, problems
    # The uploaded file itself, for imports read again when they are written (the insurer's
    # list of 100,000 people is streamed twice rather than held as rows in memory).
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(16), default="previewed")
    total: Mapped[int] = mapped_column(default=0)  # rows to write
    done: Mapped[int] = mapped_column(default=0)  # rows gone through (written or skipped)
    written: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # also the job's heartbeat
    finished_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class HealthCheck(db.Model):
    """One row, rewritten by GET /readyz: a database that answers but cannot write (disk full,
    read-only) is not ready."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
