"""People who sign in, the wards they cover, and their personal API tokens."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..collation import sort_key
from ..extensions import db
from ..vocab import LOCALES, ROLES, in_check
from .areas import Area, Office
from .base import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(in_check("role", ROLES), name="role"),
        CheckConstraint(in_check("locale", LOCALES), name="locale"),
        # Usernames are stored lower-cased, which makes the unique key case-insensitive.
        CheckConstraint("username = lower(username)", name="username_lower"),
        CheckConstraint("supervisor_id IS NULL OR supervisor_id <> id", name="not_own_supervisor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The insurer's office the user works for; a team belongs to its supervisor's office.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    password_hash: Mapped[str] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Bumped at sign-out and password changes: every session signed with an older epoch ends,
    # on every device, although the session itself lives in a cookie.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supervisor: Mapped[User | None] = relationship(remote_side=[id], back_populates="team")
    office: Mapped[Office | None] = relationship()
    team: Mapped[list[User]] = relationship(back_populates="supervisor", order_by="User.full_name")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="officer", cascade="all, delete-orphan"
    )

    @staticmethod
    def normalize_username(username: str) -> str:
        return username.strip().lower()

    def set_password(self, password: str) -> None:
        # NFC, as every request's text (tracker/inputs.py): "ệ" typed composed on one phone and
        # decomposed on another is the same password.
        self.password_hash = generate_password_hash(unicodedata.normalize("NFC", password))

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, unicodedata.normalize("NFC", password))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users through this
        return self.active

    def get_id(self) -> str:
        """The session remembers the user and the epoch it was signed in under."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def areas(self) -> list[Area]:
        """The wards and communes this user covers, primary first."""
        ordered = sorted(self.assignments, key=lambda a: (not a.is_primary, sort_key(a.area.name)))
        return [assignment.area for assignment in ordered]

    @property
    def primary_area(self) -> Area | None:
        return next((a.area for a in self.assignments if a.is_primary), None)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class Assignment(db.Model):
    """An officer covers a ward or commune; at most one of an officer's is primary."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("officer_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)

    officer: Mapped[User] = relationship(back_populates="assignments")
    area: Mapped[Area] = relationship()


Index(
    "uq_assignments_one_primary",
    Assignment.officer_id,
    unique=True,
    sqlite_where=text("is_primary"),
    postgresql_where=text("is_primary"),
)


class ApiToken(db.Model):
    """A personal API token; only its hash is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
