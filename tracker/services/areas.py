"""Areas in time and collection organizations: the reads every picker and admin page share (the
units that exist on a day), and audited writes that keep the tree true on every day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ..access import visible_area_ids
from ..collation import in_order, sort_key
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..models import Area, AreaSuccession, CollectionOrg, User
from ..vocab import DISTRICT_LEVEL_KINDS, LOCAL_AREA_KINDS
from . import audit

AREA_FIELDS = (
    "code",
    "name",
    "kind",
    "parent_id",
    "households",
    "working_age_population",
    "valid_from",
    "valid_to",
)
ORG_FIELDS = ("name", "kind", "active")
# The day Vietnam abolished the district level (Resolution 202/2025/QH15): from it on, wards,
# communes and special zones sit directly under a province.
DISTRICTS_ABOLISHED = date(2025, 7, 1)
# A child's kind must sit below its parent's; the second table holds what is allowed only for
# units that begin on or after DISTRICTS_ABOLISHED.
ALLOWED_PARENTS = {
    "province": (None,),
    **dict.fromkeys(DISTRICT_LEVEL_KINDS, ("province",)),
    "ward": DISTRICT_LEVEL_KINDS,
    "commune": DISTRICT_LEVEL_KINDS,
    "township": DISTRICT_LEVEL_KINDS,
    "special_zone": (),
}
ALLOWED_PARENTS_SINCE_2025 = {
    "ward": ("province",),
    "commune": ("province",),
    "special_zone": ("province",),
}


def existing_on(day: date):
    """SQL condition: the area exists on `day`."""
    return (
        or_(Area.valid_from.is_(None), Area.valid_from <= day),
        or_(Area.valid_to.is_(None), Area.valid_to > day),
    )


def overlapping(start: date | None, end: date | None) -> tuple:
    """SQL conditions: the area exists on some day from `start` up to `end` excluded (either
    may be None: unbounded)."""
    conditions = []
    if end is not None:
        conditions.append(or_(Area.valid_from.is_(None), Area.valid_from < end))
    if start is not None:
        conditions.append(or_(Area.valid_to.is_(None), Area.valid_to > start))
    return tuple(conditions)


def local_areas(on: date | None = None):
    """Wards, communes and special zones that exist on `on` (today by default), by name: where
    officers work and households live."""
    return (
        select(Area)
        .where(Area.kind.in_(LOCAL_AREA_KINDS), *existing_on(on or local_today()))
        .order_by(in_order(Area.name), Area.id)
    )


def visible_local_areas(user: User, on: date | None = None) -> list[Area]:
    """The units whose records `user` may see, for filter lists."""
    allowed = visible_area_ids(user)
    return [a for a in db.session.scalars(local_areas(on)) if allowed is None or a.id in allowed]


def all_areas():
    return select(Area).order_by(in_order(Area.name), Area.valid_from.desc())


def label_in_time(area: Area) -> str:
    """A unit's name with its years when it no longer exists: "Thành phố Lào Cai (–2025)"."""
    if area.valid_to is None:
        return area.name
    since = f"{area.valid_from.year}" if area.valid_from else ""
    return f"{area.name} ({since}–{area.valid_to.year})"


def area_by_code(code: str, on: date | None = None) -> Area | None:
    """The unit that bears `code` on `on` (today by default): a code names one unit a day."""
    return db.session.scalar(
        select(Area).where(Area.code == code, *existing_on(on or local_today()))
    )


def area_tree(on: date | None = None) -> list[tuple[Area, int]]:
    """Every area with its depth, parents before children, for an indented listing; only the
    units that exist on `on` when a day is given."""
    query = all_areas() if on is None else all_areas().where(*existing_on(on))
    areas = db.session.scalars(query).all()
    present = {area.id for area in areas}
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        parent = area.parent_id if area.parent_id in present else None
        children.setdefault(parent, []).append(area)
    ordered: list[tuple[Area, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for area in children.get(parent_id, []):
            ordered.append((area, depth))
            walk(area.id, depth + 1)

    walk(None, 0)
    return ordered


@dataclass(frozen=True)
class Step:
    """One succession as a person reads it: which unit, on what day, what share."""

    area: Area
    effective_on: date
    share: int  # basis points


def area_history(area: Area) -> dict[str, list[Step]]:
    """The units this one came from and the units it went to, with the days and shares."""
    rows = db.session.scalars(
        select(AreaSuccession).where(
            or_(AreaSuccession.predecessor_id == area.id, AreaSuccession.successor_id == area.id)
        )
    )
    history: dict[str, list[Step]] = {"from": [], "into": []}
    for row in rows:
        if row.successor_id == area.id:
            history["from"].append(Step(row.predecessor, row.effective_on, row.share))
        else:
            history["into"].append(Step(row.successor, row.effective_on, row.share))
    for steps in history.values():
        steps.sort(key=lambda step: (step.effective_on, sort_key(step.area.name)))
    return history


def check_area(area: Area, values: dict) -> None:
    """Raise RuleBroken unless the unit fits the tree on every day it exists: its code used by
    no other unit at the same time, a parent of the right kind that exists throughout, no
    cycle, and no unit under it that exists on a day it does not."""
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is not None and end is not None and end <= start:
        raise RuleBroken("valid_to", "ends_before_it_begins")
    same_code = select(Area.id).where(Area.code == values["code"], *overlapping(start, end))
    if area.id is not None:
        same_code = same_code.where(Area.id != area.id)
    if db.session.scalar(same_code.limit(1)) is not None:
        raise RuleBroken("code", "area_code_taken")
    parent = db.session.get(Area, values["parent_id"]) if values["parent_id"] else None
    allowed = ALLOWED_PARENTS[values["kind"]]
    if start is not None and start >= DISTRICTS_ABOLISHED:
        allowed = allowed + ALLOWED_PARENTS_SINCE_2025.get(values["kind"], ())
    if (parent.kind if parent else None) not in allowed:
        raise RuleBroken("parent_id", "wrong_parent")
    if parent is not None and not _covers(parent, start, end):
        raise RuleBroken("parent_id", "parent_not_in_time")
    ancestor = parent
    while ancestor is not None:
        if ancestor is area:
            raise RuleBroken("parent_id", "cycle")
        ancestor = ancestor.parent
    if area.id is not None:
        _check_children(area, start, end)


def _check_children(area: Area, start: date | None, end: date | None) -> None:
    """A unit's children must not outlive it: ending a city (or beginning it later) while its
    wards go on would leave them under a parent that does not exist. They end or move first,
    by a reorganisation, which ends a unit and its children together."""
    children = select(Area.id).where(Area.parent_id == area.id)
    if end is not None:
        later = children.where(or_(Area.valid_to.is_(None), Area.valid_to > end))
        if db.session.scalar(later.limit(1)) is not None:
            raise RuleBroken("valid_to", "children_outlive_it")
    if start is not None:
        earlier = children.where(or_(Area.valid_from.is_(None), Area.valid_from < start))
        if db.session.scalar(earlier.limit(1)) is not None:
            raise RuleBroken("valid_from", "children_before_it")


def _covers(parent: Area, start: date | None, end: date | None) -> bool:
    """Whether the parent exists on every day from start to end (end exclusive)."""
    begins_in_time = parent.valid_from is None or (start is not None and parent.valid_from <= start)
    ends_in_time = parent.valid_to is None or (end is not None and end <= parent.valid_to)
    return begins_in_time and ends_in_time


def save_area(actor: User, area: Area | None, values: dict) -> Area:
    target = area or Area()
    check_area(target, values)
    before = audit.snapshot(target, AREA_FIELDS) if area else None
    for name in AREA_FIELDS:
        setattr(target, name, values[name])
    db.session.add(target)
    db.session.flush()
    after = audit.snapshot(target, AREA_FIELDS)
    if after != before:
        audit.record(actor, "update" if area else "create", "area", target.id, before, after)
    db.session.commit()
    return target


def active_orgs() -> list[CollectionOrg]:
    """The collection organizations a form offers: the active ones, in Vietnamese order."""
    return db.session.scalars(
        select(CollectionOrg).where(CollectionOrg.active).order_by(in_order(CollectionOrg.name))
    ).all()


def save_collection_org(actor: User, org: CollectionOrg | None, values: dict) -> CollectionOrg:
    target = org or CollectionOrg()
    clash = db.session.scalar(select(CollectionOrg).where(CollectionOrg.name == values["name"]))
    if clash is not None and clash is not target:
        raise RuleBroken("name", "org_name_taken")

    def state(o: CollectionOrg) -> dict:
        return {**audit.snapshot(o, ORG_FIELDS), "area_ids": sorted(a.id for a in o.areas)}

    before = state(target) if org else None
    for name in ORG_FIELDS:
        setattr(target, name, values[name])
    target.areas = list(
        db.session.scalars(select(Area).where(Area.id.in_(values["area_ids"]))).all()
    )
    db.session.add(target)
    db.session.flush()
    after = state(target)
    if after != before:
        audit.record(
            actor, "update" if org else "create", "collection_org", target.id, before, after
        )
    db.session.commit()
    return target
