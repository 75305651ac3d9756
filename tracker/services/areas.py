"""Areas and collection organizations: reads the admin pages and forms share, and audited writes."""

from __future__ import annotations

from sqlalchemy import select

from ..access import visible_area_ids
from ..extensions import db
from ..models import Area, CollectionOrg, User
from ..vocab import LOCAL_AREA_KINDS
from . import audit

AREA_FIELDS = ("code", "name", "kind", "parent_id", "households", "working_age_population")
ORG_FIELDS = ("name", "kind", "active")
# A child's kind must sit below its parent's.
ALLOWED_PARENTS = {
    "province": (None,),
    "district": ("province",),
    "ward": ("district",),
    "commune": ("district",),
}


class AreaError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def local_areas():
    """Wards and communes, by name: where officers work and households live."""
    return select(Area).where(Area.kind.in_(LOCAL_AREA_KINDS)).order_by(Area.name)


def visible_local_areas(user: User) -> list[Area]:
    """The wards and communes whose records `user` may see, for filter lists."""
    allowed = visible_area_ids(user)
    return [a for a in db.session.scalars(local_areas()) if allowed is None or a.id in allowed]


def all_areas():
    return select(Area).order_by(Area.name)


def area_tree() -> list[tuple[Area, int]]:
    """Every area with its depth, parents before children, for an indented listing."""
    areas = db.session.scalars(all_areas()).all()
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    ordered: list[tuple[Area, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for area in children.get(parent_id, []):
            ordered.append((area, depth))
            walk(area.id, depth + 1)

    walk(None, 0)
    return ordered


def _check_area(area: Area, values: dict) -> None:
    clash = db.session.scalar(select(Area).where(Area.code == values["code"]))
    if clash is not None and clash is not area:
        raise AreaError("code", "taken")
    parent = db.session.get(Area, values["parent_id"]) if values["parent_id"] else None
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[values["kind"]]:
        raise AreaError("parent_id", "wrong_parent")
    ancestor = parent
    while ancestor is not None:
        if ancestor is area:
            raise AreaError("parent_id", "cycle")
        ancestor = ancestor.parent


def save_area(actor: User, area: Area | None, values: dict) -> Area:
    target = area or Area()
    _check_area(target, values)
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


def save_collection_org(actor: User, org: CollectionOrg | None, values: dict) -> CollectionOrg:
    target = org or CollectionOrg()
    clash = db.session.scalar(select(CollectionOrg).where(CollectionOrg.name == values["name"]))
    if clash is not None and clash is not target:
        raise AreaError("name", "taken")

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
