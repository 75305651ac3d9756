"""Likely duplicate households (same ward, and the same name once diacritics and case are
ignored, or the same phone), found and paged in SQL, and merging one into another without
losing anything."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select, union_all, update
from sqlalchemy.orm import joinedload

from ..access import visible_area_ids
from ..collation import in_order
from ..errors import RuleBroken
from ..extensions import db
from ..models import Area, Contact, Enrollment, Household, ReviewItem, User
from ..progress import kept, summary
from . import audit
from .contacts import recompute_household

MERGED_FIELDS = (
    "head_name",
    "address",
    "phone",
    "category",
    "status",
    "officer_id",
    "collection_org_id",
    "next_follow_up_on",
    "area_id",
)


# How sure a group is, strongest first: the same name (accents and capitals ignored) and the
# same phone; the same name; the same phone under different names (often one family's phone).
MATCHES = ("name_phone", "name", "phone")


@dataclass(frozen=True)
class GroupKey:
    """One group of likely duplicates: a ward, how they match, and the name key or phone."""

    area_id: int
    match: str
    key: str
    size: int


def group_keys(user: User, area_id: int | None = None, match: str | None = None):
    """A select of the groups in the user's wards, found by GROUP BY (strongest match first,
    then by ward in Vietnamese order); the view pages it in SQL and `members` fills a page."""
    allowed = visible_area_ids(user)

    def within(query):
        query = query.where(Household.area_id.in_(allowed)) if allowed is not None else query
        return query.where(Household.area_id == area_id) if area_id else query

    shares_one_phone = (func.count(func.distinct(Household.phone)) == 1) & (
        func.count(Household.phone) == func.count()
    )
    by_name = within(
        select(
            Household.area_id.label("area_id"),
            case((shares_one_phone, literal("name_phone")), else_=literal("name")).label("match"),
            Household.name_key.label("key"),
            func.count().label("size"),
        )
        .where(Household.name_key != "")
        .group_by(Household.area_id, Household.name_key)
        .having(func.count() > 1)
    )
    # A phone shared under one name is already its name's group (name_phone).
    by_phone = within(
        select(
            Household.area_id.label("area_id"),
            literal("phone").label("match"),
            Household.phone.label("key"),
            func.count().label("size"),
        )
        .where(Household.phone.is_not(None), Household.phone != "")
        .group_by(Household.area_id, Household.phone)
        .having(func.count() > 1, func.count(func.distinct(Household.name_key)) > 1)
    )
    found = union_all(by_name, by_phone).subquery()
    strength = case(
        *((found.c.match == code, rank) for rank, code in enumerate(MATCHES)), else_=len(MATCHES)
    )
    query = (
        select(found.c.area_id, found.c.match, found.c.key, found.c.size)
        .join(Area, Area.id == found.c.area_id)
        .order_by(strength, in_order(Area.name), found.c.area_id, found.c.key)
    )
    return query.where(found.c.match == match) if match in MATCHES else query


def members(
    keys: list[GroupKey],
) -> tuple[list[tuple[GroupKey, list[Household]]], dict[int, tuple[int, int]]]:
    """The households of one page of groups, with what each holds (`history`). The one offered
    to keep comes first: the one with the most contacts and enrollments, else the oldest."""
    if not keys:
        return [], {}
    conditions = [
        and_(
            Household.area_id == key.area_id,
            (Household.phone if key.match == "phone" else Household.name_key) == key.key,
        )
        for key in keys
    ]
    households = db.session.scalars(
        select(Household)
        .options(joinedload(Household.area), joinedload(Household.officer))
        .where(or_(*conditions))
        .order_by(Household.id)
    ).all()

    def belongs(household: Household, key: GroupKey) -> bool:
        value = household.phone if key.match == "phone" else household.name_key
        return household.area_id == key.area_id and value == key.key

    held = history([h.id for h in households])

    def kept_first(household: Household) -> tuple[int, int]:
        return -sum(held[household.id]), household.id

    groups = [
        (key, sorted((h for h in households if belongs(h, key)), key=kept_first)) for key in keys
    ]
    return groups, held


def history(household_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(live contacts, live enrollments) of each household: what a merge would move."""
    counts = {household_id: [0, 0] for household_id in household_ids}
    for position, model in enumerate((Contact, Enrollment)):
        for household_id, count in db.session.execute(
            select(model.household_id, func.count())
            .where(model.household_id.in_(household_ids), model.deleted_at.is_(None))
            .group_by(model.household_id)
        ):
            counts[household_id][position] = count
    return {household_id: (c, e) for household_id, (c, e) in counts.items()}


def merge(user: User, keep: Household, remove: Household) -> None:
    """Move the duplicate's contacts, enrollments and review items to the kept household,
    fill the kept one's blanks, delete the duplicate — one transaction, audited."""
    allowed = visible_area_ids(user)
    if keep.id == remove.id or keep.area_id != remove.area_id:
        raise RuleBroken("remove", "not_mergeable")
    if allowed is not None and keep.area_id not in allowed:
        raise PermissionError
    before = {
        "kept": audit.snapshot(keep, MERGED_FIELDS),
        "removed": {"id": remove.id, **audit.snapshot(remove, MERGED_FIELDS)},
    }
    moved = {}
    with kept.bulk() as touched:  # the kept counts of the rows moved are recounted after
        for model in (Contact, Enrollment):
            rows = db.session.execute(
                update(model)
                .where(model.household_id == remove.id)
                .values(household_id=keep.id)
                .returning(model.officer_id, model.area_id, getattr(model, summary.DAY_OF[model]))
            ).all()
            moved[model.__tablename__] = len(rows)
            touched.add(model, rows)
    already = set(
        db.session.scalars(select(ReviewItem.review_id).where(ReviewItem.household_id == keep.id))
    )
    for item in db.session.scalars(select(ReviewItem).where(ReviewItem.household_id == remove.id)):
        if item.review_id in already:
            db.session.delete(item)  # the same review listed both: keep one line
        else:
            item.household_id = keep.id
    for name in ("address", "phone", "officer_id", "collection_org_id"):
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
    db.session.flush()
    db.session.delete(remove)
    db.session.flush()
    db.session.expire(keep)
    recompute_household(keep)
    audit.record(user, "merge", "household", keep.id, before, {"moved": moved})
    db.session.commit()
