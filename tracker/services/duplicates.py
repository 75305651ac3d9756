"""Likely duplicate households (same ward, and the same name once diacritics and case are
ignored, or the same phone), and merging one into another without losing anything."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..access import visible_area_ids
from ..extensions import db
from ..models import Contact, Enrollment, Household, ReviewItem, User
from ..progress import kept, summary
from . import audit
from .contacts import recompute_household

MAX_GROUPS = 200
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


class MergeError(ValueError):
    pass


def groups(user: User) -> list[list[Household]]:
    """Groups of two or more households that are probably the same, found by GROUP BY."""
    allowed = visible_area_ids(user)

    def keyed(column):
        query = (
            select(Household.area_id, column)
            .where(column.is_not(None), column != "")
            .group_by(Household.area_id, column)
            .having(func.count() > 1)
        )
        if allowed is not None:
            query = query.where(Household.area_id.in_(allowed))
        return db.session.execute(query.limit(MAX_GROUPS)).all()

    by_name, by_phone = keyed(Household.name_key), keyed(Household.phone)
    if not by_name and not by_phone:
        return []
    names = {(area_id, key) for area_id, key in by_name}
    phones = {(area_id, phone) for area_id, phone in by_phone}
    candidates = db.session.scalars(
        select(Household)
        .options(joinedload(Household.area), joinedload(Household.officer))
        .where(Household.area_id.in_({a for a, _key in names | phones}))
        .where(
            Household.name_key.in_({k for _a, k in names})
            | Household.phone.in_({p for _a, p in phones})
        )
        .order_by(Household.id)
    ).all()
    found: dict[tuple, list[Household]] = {}
    for household in candidates:
        for key in (
            ("name", household.area_id, household.name_key),
            ("phone", household.area_id, household.phone),
        ):
            if key[1:] in (names if key[0] == "name" else phones):
                found.setdefault(key, []).append(household)
    unique, seen = [], set()
    for members in found.values():
        ids = tuple(h.id for h in members)
        if ids not in seen:
            seen.add(ids)
            unique.append(members)
    return unique


def merge(user: User, keep: Household, remove: Household) -> None:
    """Move the duplicate's contacts, enrollments and review items to the kept household,
    fill the kept one's blanks, delete the duplicate — one transaction, audited."""
    allowed = visible_area_ids(user)
    if keep.id == remove.id or keep.area_id != remove.area_id:
        raise MergeError("not_mergeable")
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
