"""Areas (province › city › ward/commune), collection organizations, official counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import AREA_KINDS, COLLECTION_ORG_KINDS, LOCAL_AREA_KINDS, in_check

collection_org_areas = Table(
    "collection_org_areas",
    db.metadata,
    Column(
        "collection_org_id", ForeignKey("collection_orgs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Area(db.Model):
    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint(in_check("kind", AREA_KINDS), name="kind"),
        CheckConstraint("households IS NULL OR households >= 0", name="households"),
        CheckConstraint(
            "working_age_population IS NULL OR working_age_population >= 0",
            name="working_age_population",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    households: Mapped[int | None]
    working_age_population: Mapped[int | None]

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")

    @property
    def is_local(self) -> bool:
        """Wards and communes are where officers work and households live."""
        return self.kind in LOCAL_AREA_KINDS

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"


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
        UniqueConstraint("area_id", "as_of"),
        CheckConstraint("participants >= 0", name="participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    as_of: Mapped[date]
    participants: Mapped[int]
    source: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()
