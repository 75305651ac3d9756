"""The officer board's picker: office → ward or commune → team, and a search across the three.

A country holds some 700 offices, 3,400 communes and 2,000 teams: the board's filter selects
cannot list them all, so they list one office's (`teams_for`, `areas_for`) and the picker
searches the rest (`search`, behind GET /api/v1/boards/picker). Boards are open to every role
and unscoped (docs/design.md, "Roles"), so the picker offers each user what the board's own
selects would: active offices, active supervisors' teams, local units that exist on the day.

Names carry no folded column, so matching folds them here with `text.fold` (the household
search's fold) after SQL has narrowed them, and orders the matches by `collation.sort_key`
(the order of SQL's `vi` collation): a country's few thousand short names fold in
milliseconds, and the fold is cached across requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from sqlalchemy import select

from ..access import is_supervisor_clause
from ..collation import in_order, sort_key
from ..extensions import db
from ..models import Area, Office, User, office_areas
from ..text import fold
from ..vocab import LOCAL_AREA_KINDS
from . import people
from .areas import existing_on, local_areas

LIMIT = 20  # items of each kind a search answers
_NOT_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class Item:
    """One choice of the picker: what it sets on the board's form (`kind` = office, area or
    team, with `id`), its name, and the office it belongs to when known (to set that too)."""

    kind: str
    id: int
    name: str
    code: str | None = None
    office_id: int | None = None
    office_name: str | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "code": self.code,
            "office": self.office_id,
            "office_name": self.office_name,
        }


@dataclass(frozen=True)
class Found:
    offices: list[Item]
    areas: list[Item]
    teams: list[Item]


def _covered(office_id: int | None = None):
    """SQL: (office_id, area_id) for every area an office covers and every area below them, in
    any period (a recursive CTE: an office may cover a province, a city or single wards)."""
    start = select(office_areas.c.office_id, office_areas.c.area_id)
    if office_id is not None:
        start = start.where(office_areas.c.office_id == office_id)
    tree = start.cte("covered", recursive=True)
    below = select(tree.c.office_id, Area.id).join(Area, Area.parent_id == tree.c.area_id)
    return tree.union(below)


def _areas_query(day: date, office_id: int | None):
    """Local units existing on `day`, of one office's when given: (id, name, code)."""
    query = select(Area.id, Area.name, Area.code).where(
        Area.kind.in_(LOCAL_AREA_KINDS), *existing_on(day)
    )
    if office_id is not None:
        query = query.where(Area.id.in_(select(_covered(office_id).c.area_id)))
    return query


def _owners(area_ids: list[int]) -> dict[int, int]:
    """An office that covers each area (the smallest id when several do), walking up from the
    few areas found rather than down from every office."""
    if not area_ids:
        return {}
    start = select(Area.id.label("area_id"), Area.id.label("above"), Area.parent_id)
    up = start.where(Area.id.in_(area_ids)).cte("up", recursive=True)
    parent = select(up.c.area_id, Area.id, Area.parent_id).join(Area, Area.id == up.c.parent_id)
    up = up.union_all(parent)
    query = (
        select(up.c.area_id, db.func.min(office_areas.c.office_id))
        .join(office_areas, office_areas.c.area_id == up.c.above)
        .group_by(up.c.area_id)
    )
    return dict(db.session.execute(query).all())


def _teams_query(office_id: int | None):
    query = select(User.id, User.full_name, User.office_id).where(is_supervisor_clause())
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    return query


def _offices_query():
    return select(Office.id, Office.name, Office.code).where(Office.active)


def teams_for(office: Office) -> list[User]:
    """An office's teams (its active supervisors), by name: the board's team select."""
    query = (
        select(User)
        .where(is_supervisor_clause(), User.office_id == office.id)
        .order_by(in_order(User.full_name), User.id)
    )
    return list(db.session.scalars(query))


def areas_for(office: Office, day: date) -> list[Area]:
    """The wards, communes and special zones an office covers that exist on `day`, by name:
    the board's area select."""
    covered = _covered(office.id)
    query = (
        select(Area)
        .where(
            Area.id.in_(select(covered.c.area_id)),
            Area.kind.in_(LOCAL_AREA_KINDS),
            *existing_on(day),
        )
        .order_by(in_order(Area.name), Area.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Choices:
    """What the officer board's selects list: every team and unit in a single-office install;
    with several offices, the chosen office's (none until one is chosen), plus the team or
    unit the URL names, so that the form sends it back."""

    teams: list[User]
    areas: list[Area]
    bounded: bool


def board_choices(
    office_count: int, office: Office | None, day: date, team_id: int | None, area_id: int | None
) -> Choices:
    if office_count <= 1:
        return Choices(people.supervisors(), list(db.session.scalars(local_areas(day))), False)
    teams = teams_for(office) if office is not None else []
    areas = areas_for(office, day) if office is not None else []
    team = db.session.get(User, team_id) if team_id else None
    if team is not None and team not in teams:
        teams.insert(0, team)
    area = db.session.get(Area, area_id) if area_id else None
    if area is not None and area not in areas:
        areas.insert(0, area)
    return Choices(teams, areas, True)


@lru_cache(maxsize=65_536)
def _words(text: str) -> str:
    """Folded, with punctuation as spaces: "Phường 1 (Quận 3)" → "phuong 1 quan 3"."""
    return " ".join(_NOT_WORD.split(fold(text))).strip()


def _first(rows, wanted: str, kind: str) -> list[Item]:
    """The LIMIT first rows in Vietnamese order (collation.sort_key, the order of SQL's `vi`)
    whose folded name holds the folded query at a word's start ("kim tan", "KIM TÂN" and "tân"
    find "Phường Kim Tân"; "im t" does not), or whose code is the query. SQL leaves the order
    to this: SQLite would call the collation for every row, not only the matches."""
    found = [
        (row_id, name, code, office_id)
        for row_id, name, code, office_id in rows
        if f" {wanted}" in f" {_words(name)} " or (code is not None and wanted == _words(code))
    ]
    found.sort(key=lambda row: (sort_key(row[1]), row[0]))
    return [Item(kind, *row) for row in found[:LIMIT]]


def search(query: str, day: date, office: Office | None = None) -> Found:
    """Offices, areas and teams whose names match `query` (accents and case ignored), at most
    LIMIT of each, in Vietnamese order. `office` narrows the areas and the teams to its own;
    offices are always searched whole, so that the picker can move to another. An area or a
    team comes with its office (id and name), for the form to set and the reader to tell
    the many Tân Lập apart."""
    wanted = _words(query)
    if not wanted:
        return Found([], [], [])
    office_id = office.id if office is not None else None
    offices = db.session.execute(_offices_query()).all()
    names = {row_id: name for row_id, name, _code in offices}
    teams = _first(
        ((i, n, None, o) for i, n, o in db.session.execute(_teams_query(office_id))), wanted, "team"
    )
    areas = _first(
        ((i, n, c, office_id) for i, n, c in db.session.execute(_areas_query(day, office_id))),
        wanted,
        "area",
    )
    if office_id is None:
        owners = _owners([item.id for item in areas])
        areas = [replace(item, office_id=owners.get(item.id)) for item in areas]

    def named(items: list[Item]) -> list[Item]:
        return [replace(item, office_name=names.get(item.office_id)) for item in items]

    return Found(
        offices=named(_first(((i, n, c, i) for i, n, c in offices), wanted, "office")),
        areas=named(areas),
        teams=named(teams),
    )
