"""Loading a province from the official catalogue: the old units it came from (matched to the
areas an office already has, by code or by name, and added as history where missing), its 2025
reorganisation as a plan, and, once that is applied, the catalogue's later corrections (a unit
added or renamed by a newer release)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Area, AreaSuccession, User
from ...vocab import DISTRICT_LEVEL_KINDS, LOCAL_AREA_KINDS
from .. import audit
from ..areas import existing_on
from .addresses import bare
from .apply import apply
from .catalogue import EFFECTIVE_ON, SOURCE, Catalogue, Unit, official_catalogue
from .mapping import MappingRow
from .plan import Plan, build_plan


@dataclass
class LoadReport:
    catalogue: Catalogue
    added_history: list[Unit] = field(default_factory=list)
    matched: dict[str, Area] = field(default_factory=dict)  # old code → the office's own area
    plan: Plan | None = None  # None once the reorganisation is in the database
    added: list[Unit] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, was, now

    @property
    def can_apply(self) -> bool:
        return self.plan is None or self.plan.can_apply


def load_province(
    name: str, actor: User | None, apply_it: bool = False, catalogue: Catalogue | None = None
) -> LoadReport:
    """Everything a province needs; written only with apply_it (and only when the plan has no
    problems), else rolled back after the preview is built."""
    report = LoadReport(catalogue or official_catalogue(name))
    try:
        if _reorganised(report.catalogue):
            _catalogue_updates(report, actor)
        else:
            report.matched = ensure_old_units(report.catalogue, report.added_history)
            report.plan = build_plan(mapping_rows(report.catalogue, report.matched))
            if apply_it and report.plan.can_apply:
                apply(actor, report.plan, SOURCE, commit=False)
        if apply_it and report.can_apply:
            db.session.commit()
        else:
            db.session.rollback()
    except Exception:
        db.session.rollback()
        raise
    return report


def _reorganised(catalogue: Catalogue) -> bool:
    """Whether the province's 2025 units are already here, with their predecessors."""
    province = db.session.scalar(
        select(Area).where(
            Area.code == catalogue.province.code,
            Area.kind == "province",
            Area.valid_from == EFFECTIVE_ON,
        )
    )
    if province is None:
        return False
    return (
        db.session.scalar(
            select(AreaSuccession.id).where(AreaSuccession.successor_id == province.id).limit(1)
        )
        is not None
    )


def _level(kind: str) -> str:
    if kind in LOCAL_AREA_KINDS:
        return "local"
    return "district" if kind in DISTRICT_LEVEL_KINDS else kind


def ensure_old_units(catalogue: Catalogue, added: list[Unit] | None = None) -> dict[str, Area]:
    """The area standing for each old unit of the catalogue on the eve of the reorganisation:
    the office's own (same code, or same name under the same parent), else a new one added as
    history. {catalogue code: area}."""
    eve = EFFECTIVE_ON - timedelta(days=1)
    matched: dict[str, Area] = {}
    for unit in catalogue.old_units:
        parent = matched.get(unit.parent)
        area = db.session.scalar(select(Area).where(Area.code == unit.code, *existing_on(eve)))
        if area is not None and _level(area.kind) != _level(unit.kind):
            area = None
        if area is None:
            siblings = select(Area).where(
                Area.parent_id == (parent.id if parent else None), *existing_on(eve)
            )
            taken = {a.id for a in matched.values()}
            area = next(
                (
                    a
                    for a in db.session.scalars(siblings)
                    if bare(a.name) == bare(unit.name) and a.kind == unit.kind and a.id not in taken
                ),
                None,
            )
        if area is None:
            area = Area(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                parent_id=parent.id if parent else None,
            )
            db.session.add(area)
            db.session.flush()
            if added is not None:
                added.append(unit)
        matched[unit.code] = area
    return matched


def mapping_rows(catalogue: Catalogue, matched: dict[str, Area]) -> list[MappingRow]:
    """The catalogue's mapping, naming the office's own areas where their codes differ."""
    return [
        replace(row, old_code=matched[row.old_code].code) if row.old_code in matched else row
        for row in catalogue.mapping
    ]


def _catalogue_updates(report: LoadReport, actor: User | None) -> None:
    """Units of today the database lacks are added (existing since the reorganisation); names
    that a newer release corrected are corrected, audited."""
    catalogue = report.catalogue
    current = {
        area.code: area
        for area in db.session.scalars(
            select(Area).where(Area.valid_to.is_(None), Area.valid_from >= EFFECTIVE_ON)
        )
    }
    province = current[catalogue.province.code]
    for unit in (catalogue.province, *catalogue.units):
        area = current.get(unit.code)
        if area is None:
            area = Area(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                parent_id=province.id,
                valid_from=EFFECTIVE_ON,
            )
            db.session.add(area)
            db.session.flush()
            report.added.append(unit)
            after = {"code": unit.code, "name": unit.name, "release": catalogue.release}
            audit.record(actor, "catalogue_add", "area", area.id, None, after)
        elif area.name != unit.name:
            report.renamed.append((unit.code, area.name, unit.name))
            after = {"name": unit.name, "release": catalogue.release}
            audit.record(actor, "catalogue_rename", "area", area.id, {"name": area.name}, after)
            area.name = unit.name
