"""Areas in time (province › district-level unit › ward or commune until 2025-07-01, province ›
ward, commune or special zone since), the reorganisations that end and begin them, the insurer's
offices that cover them, collection organizations and official counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import AREA_KINDS, COLLECTION_ORG_KINDS, ENROLLMENT_SCHEMES, LOCAL_AREA_KINDS, in_check
from .base import utcnow

collection_org_areas = Table(
    "collection_org_areas",
    db.metadata,
    Column(
        "collection_org_id", ForeignKey("collection_orgs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)

office_areas = Table(
    "office_areas",
    db.metadata,
    Column("office_id", ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)

CURRENT = text("valid_to IS NULL")


class Area(db.Model):
    """One administrative unit for as long as it existed. A merge, split, rename or re-parent
    ends the unit (valid_to) and begins its successors on the same day, so a record keeps the
    unit it was made in. A code names one unit on any given day, not forever: the official
    codes of 2025 reuse codes of 2008 (Phường Lào Cai took Kim Tân's 02647)."""

    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint(in_check("kind", AREA_KINDS), name="kind"),
        CheckConstraint("households IS NULL OR households >= 0", name="households"),
        CheckConstraint(
            "working_age_population IS NULL OR working_age_population >= 0",
            name="working_age_population",
        ),
        CheckConstraint(
            "valid_from IS NULL OR valid_to IS NULL OR valid_to > valid_from", name="validity"
        ),
        # At most one unit that still exists per code; overlaps in the past are checked by the
        # service (services/areas.py), which the database cannot express on both engines.
        Index(
            "uq_areas_current_code",
            "code",
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    households: Mapped[int | None]
    working_age_population: Mapped[int | None]
    valid_from: Mapped[date | None]  # empty: existed before anything the app records
    valid_to: Mapped[date | None]  # exclusive: the first day it no longer exists; empty: exists

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")

    @property
    def is_local(self) -> bool:
        """Wards, communes, townships and special zones are where officers work and households
        live."""
        return self.kind in LOCAL_AREA_KINDS

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def overlaps(self, start: date, end: date) -> bool:
        """Whether the unit existed on any day from start to end, both included."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or start < self.valid_to
        )

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"


class Reorganisation(db.Model):
    """A set of merges, splits, renames and re-parents taking effect on one day, applied in one
    transaction. `moves` remembers what was changed so that it can be undone until someone logs
    work in the units it created."""

    __tablename__ = "reorganisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_on: Mapped[date] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[datetime | None]
    moves: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    successions: Mapped[list[AreaSuccession]] = relationship(
        back_populates="reorganisation", cascade="all, delete-orphan"
    )


class AreaSuccession(db.Model):
    """Part of a predecessor went to a successor on a day: all of it in a merge, rename or
    re-parent (share 10,000 basis points), a share of it in a split. A successor's figures
    before it existed are the sum of its predecessors' shares."""

    __tablename__ = "area_successions"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id"),
        CheckConstraint("share BETWEEN 1 AND 10000", name="share"),
        CheckConstraint("predecessor_id <> successor_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reorganisation_id: Mapped[int] = mapped_column(
        ForeignKey("reorganisations.id", ondelete="CASCADE"), index=True
    )
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    effective_on: Mapped[date]
    share: Mapped[int] = mapped_column(default=10_000)  # basis points of the predecessor

    reorganisation: Mapped[Reorganisation] = relationship(back_populates="successions")
    predecessor: Mapped[Area] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[Area] = relationship(foreign_keys=[successor_id])


class Office(db.Model):
    """An office of the insurer (BHXH cơ sở or khu vực): a dimension of its own, covering a set
    of areas whatever the administrative tree says. Teams belong to an office."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    active: Mapped[bool] = mapped_column(default=True)

    areas: Mapped[list[Area]] = relationship(secondary=office_areas, order_by="Area.name")


class CollectionOrg(db.Model):
    """A collection-service organization: the agent that collects contributions."""

    __tablename__ = "collection_orgs"
    __table_args__ = (CheckConstraint(in_check("kind", COLLECTION_ORG_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)

    areas: Mapped[list[Area]] = relationship(secondary=collection_org_areas, order_by="Area.name")


class ParticipantCount(db.Model):
    """The insurer's official number of participants of an area on a date."""

    __tablename__ = "participant_counts"
    __table_args__ = (
        UniqueConstraint("area_id", "as_of", "scheme"),
        CheckConstraint("participants >= 0", name="participants"),
        CheckConstraint(in_check("scheme", ENROLLMENT_SCHEMES), name="scheme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    as_of: Mapped[date]
    participants: Mapped[int]
    scheme: Mapped[str] = mapped_column(String(16), default="voluntary_si")
    source: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()
