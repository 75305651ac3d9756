"""The demo's people and partners: users of every role in the office, and the collection
organizations that serve its wards."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Area, Assignment, CollectionOrg, Office, User
from .data import DEMO_PASSWORD, LOCAL_AREAS, ORGS, USERS
from .places import get_or_add


def users(units: dict[str, Area], office: Office, counter: dict) -> dict[str, User]:
    """Every demo user, assigned (once, when added) to the units of 2024; a reorganisation moves
    the assignments on."""
    found: dict[str, User] = {}
    for username, full_name, role, supervisor, codes in USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                locale="vi",
                supervisor_id=found[supervisor].id if supervisor else None,
                office_id=office.id,
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            counter["users"] += 1
            for index, code in enumerate(codes):
                db.session.add(
                    Assignment(officer_id=user.id, area_id=units[code].id, is_primary=index == 0)
                )
        found[username] = user
    db.session.flush()
    return found


def orgs(units: dict[str, Area], counter: dict) -> list[CollectionOrg]:
    result = []
    everywhere = [units[code] for code, *_ in LOCAL_AREAS]
    for name, kind, codes in ORGS:
        org, added = get_or_add(CollectionOrg, {"name": name}, kind=kind, active=True)
        if added:
            org.areas = [units[c] for c in codes] if codes else everywhere
        counter["collection organizations"] += added
        result.append(org)
    return result
