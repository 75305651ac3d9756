"""What a board of areas covers: an office of the insurer (the areas it covers, whatever the
administrative tree says) or a parent area (its children), and which units that means in a
period. Offices are how leadership reads its work; a parent area is how it reads the map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..collation import in_order, sort_key
from ..dates import local_today
from ..extensions import db
from ..models import Area, Office, office_areas
from ..periods import Period
from ..vocab import DISTRICT_LEVEL_KINDS
from .tree import AreaTree, area_tree


@dataclass(frozen=True)
class Scope:
    kind: str  # "office" or "area"
    id: int
    code: str
    name: str
    covered: tuple[int, ...]  # an office: the areas it covers; an area: itself

    @property
    def is_office(self) -> bool:
        return self.kind == "office"

    def rows_in(self, tree: AreaTree, period: Period) -> list[int]:
        """The units a board of this scope shows for the period: those that existed in it.
        An office shows the wards and communes it covers (those of a covered city, before
        2025, for one); an area shows its children."""
        if not self.is_office:
            return tree.children_in(self.id, period)
        rows: list[int] = []
        for area_id in self.covered:
            for unit in tree.descendants(area_id):
                area = tree.areas[unit]
                if area.is_local and tree.overlaps(unit, period) and unit not in rows:
                    rows.append(unit)
        return sorted(rows, key=lambda i: (sort_key(tree.areas[i].name), i))

    def areas_on(self, tree: AreaTree, day: date) -> list[int]:
        """The areas whose figures make this scope's on a day."""
        return [i for i in self.covered if tree.exists_on(i, day)]

    def areas_in(self, tree: AreaTree, period: Period) -> list[int]:
        return [i for i in self.covered if tree.overlaps(i, period)]


def office_scope(office: Office) -> Scope:
    covered = db.session.scalars(
        select(office_areas.c.area_id).where(office_areas.c.office_id == office.id)
    ).all()
    return Scope("office", office.id, office.code, office.name, tuple(sorted(covered)))


def area_scope(area: Area) -> Scope:
    return Scope("area", area.id, area.code, area.name, (area.id,))


def default_scope(office: Office | None, day: date) -> Scope | None:
    """The board a user sees first: their office's, else the first office's, else the first
    district-level unit (or province) that exists on the day."""
    office = office or db.session.scalar(
        select(Office).where(Office.active).order_by(in_order(Office.name), Office.id)
    )
    if office is not None:
        return office_scope(office)
    area = default_parent(day)
    return area_scope(area) if area is not None else None


def default_parent(day: date | None = None) -> Area | None:
    """The city or district (else the province) whose units a board shows when none is chosen:
    the first ones that exist on the day (today by default)."""
    day = day or local_today()
    tree = area_tree()
    tops = sorted(a for a in tree.children.get(None, []) if tree.exists_on(a, day))
    if not tops:
        return None
    below = sorted(
        c for c in tree.children_on(tops[0], day) if tree.areas[c].kind in DISTRICT_LEVEL_KINDS
    )
    return tree.areas[below[0] if below else tops[0]]


def area_ids_below(scope: Scope) -> list[int]:
    """Every area whose records count for the scope: the covered ones and all below them."""
    tree = area_tree()
    return sorted({a for area_id in scope.covered for a in tree.descendants(area_id)})
