"""The household register (prospect list): who may see which, search that ignores diacritics,
and a household's timeline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..access import loggable_area_ids, visible_area_ids
from ..collation import in_order
from ..extensions import db
from ..models import Contact, Enrollment, Household, User
from ..parsing import ascii_digits
from ..text import fold, like_pattern
from ..text import search_text as folded

SEARCH_LIMIT = 20
MAX_PHONE = 20


def valid_phone(phone: str) -> bool:
    """What a household's phone may hold, whoever sends it (form, API, import): ASCII digits,
    spaces and one leading +, at most 20 characters."""
    digits = phone.replace(" ", "").removeprefix("+")
    return len(phone) <= MAX_PHONE and ascii_digits(digits)


@dataclass
class HouseholdFilters:
    area_id: int | None = None
    status: str | None = None
    category: str | None = None
    officer_id: int | None = None
    collection_org_id: int | None = None
    query: str | None = None


def may_see(user: User, household: Household) -> bool:
    ids = visible_area_ids(user)
    return ids is None or household.area_id in ids


def _visible(query, user: User):
    ids = visible_area_ids(user)
    return query if ids is None else query.where(Household.area_id.in_(ids))


def register(user: User, filters: HouseholdFilters):
    query = _visible(select(Household), user).options(
        joinedload(Household.area),
        joinedload(Household.officer),
        joinedload(Household.collection_org),
    )
    for column, value in (
        (Household.area_id, filters.area_id),
        (Household.status, filters.status),
        (Household.category, filters.category),
        (Household.officer_id, filters.officer_id),
        (Household.collection_org_id, filters.collection_org_id),
    ):
        if value:
            query = query.where(column == value)
    pattern = like_pattern(filters.query or "")
    if pattern:
        query = query.where(
            Household.search_text.like(pattern) | Household.search_text.like("% " + pattern)
        )
    return query.order_by(in_order(Household.head_name), Household.id)


def search(user: User, text: str, area_id: int | None = None) -> list[Household]:
    """Search-as-you-type: "kim tan", "KIM TAN" and "Kim Tân" find the same; "ng van a" finds
    "Nguyễn Văn A" (each word typed starts a word of the name or address, in order).

    Without `area_id` it searches every ward the user sees: the field forms ask so, because a
    search limited to the ward selected found nothing for a household of the officer's other
    ward and the officer then added it again (each result carries its ward's name)."""
    if not like_pattern(text):
        return []
    filters = HouseholdFilters(area_id=area_id, query=text)
    return list(db.session.scalars(register(user, filters).limit(SEARCH_LIMIT)).unique())


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # contact or enrollment
    record: Contact | Enrollment


def timeline(household: Household) -> list[TimelineEntry]:
    contacts = db.session.scalars(
        select(Contact)
        .options(joinedload(Contact.officer))
        .where(Contact.household_id == household.id, Contact.deleted_at.is_(None))
    )
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.officer))
        .where(Enrollment.household_id == household.id, Enrollment.deleted_at.is_(None))
    )
    entries = [TimelineEntry(c.contacted_on, "contact", c) for c in contacts]
    entries += [TimelineEntry(e.enrolled_on, "enrollment", e) for e in enrollments]
    return sorted(entries, key=lambda e: (e.day, e.kind == "enrollment", e.record.id), reverse=True)


OFFLINE_LIMIT = 20_000


def in_areas(area_ids: list[int]) -> list[Household]:
    """The registers of some wards, for the officer's phone (bounded: a phone, not an export)."""
    return list(
        db.session.scalars(
            select(Household)
            .options(joinedload(Household.area))
            .where(Household.area_id.in_(area_ids))
            .order_by(Household.area_id, in_order(Household.head_name))
            .limit(OFFLINE_LIMIT)
        )
    )


# Likely duplicates of a household about to be added ------------------------------------------

DUPLICATES_SHOWN = 5
# An address names one home only with a house number ("Số 12, Nguyễn Huệ", "12 Nguyễn Huệ",
# "SN 12"); "Tổ 3" is a neighbourhood group of many families, and matching on it would warn on
# every neighbour.
_HOUSE_NUMBER = re.compile(r"^(so nha |so |sn )?[0-9]+")


@dataclass(frozen=True)
class LikelyDuplicate:
    household: Household
    reasons: tuple[str, ...]  # name, phone, address


def phone_digits(phone: str | None) -> str:
    return (phone or "").replace(" ", "").removeprefix("+")


def likely_duplicates(
    user: User,
    head_name: str | None,
    phone: str | None = None,
    address: str | None = None,
    area_id: int | None = None,
) -> list[LikelyDuplicate]:
    """Households the one about to be added may already be, in SQL: the same name once accents,
    capitals and spaces are ignored (the name key the duplicates review groups by,
    services/duplicates.py) in any ward the user logs in; the same phone; or, in its own ward,
    the same address with a house number. The strongest first, at most a handful."""
    name_key = folded(head_name or "")
    digits = phone_digits(phone)
    home = fold(address or "")
    matches = []
    if name_key:
        matches.append(Household.name_key == name_key)
    if digits:
        matches.append(func.replace(Household.phone, " ", "") == digits)
    if area_id is not None and _HOUSE_NUMBER.match(home):
        matches.append(
            (Household.area_id == area_id)
            & Household.search_text.endswith(" " + home, autoescape=True)
        )
    if not matches:
        return []
    query = select(Household).options(joinedload(Household.area)).where(or_(*matches))
    allowed = loggable_area_ids(user)
    if allowed is not None:
        query = query.where(Household.area_id.in_(allowed))
    found = db.session.scalars(
        query.order_by(in_order(Household.head_name), Household.id).limit(DUPLICATES_SHOWN * 4)
    ).unique()
    likely = []
    for household in found:
        reasons = tuple(
            reason
            for reason, holds in (
                ("name", bool(name_key) and household.name_key == name_key),
                ("phone", bool(digits) and phone_digits(household.phone) == digits),
                (
                    "address",
                    household.area_id == area_id
                    and bool(home)
                    and household.search_text.endswith(" " + home),
                ),
            )
            if holds
        )
        likely.append(LikelyDuplicate(household, reasons))
    likely.sort(key=lambda d: -len(d.reasons))  # stable: name order within a strength
    return likely[:DUPLICATES_SHOWN]
