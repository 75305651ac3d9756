"""Creating and changing users, with their ward assignments, always audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..access import can_be_supervisor, reports_to_supervisor
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..models import Area, Assignment, Office, User
from ..vocab import LOCAL_AREA_KINDS
from . import audit
from .areas import existing_on

AUDITED_FIELDS = (
    "username",
    "full_name",
    "role",
    "supervisor_id",
    "office_id",
    "active",
    "locale",
    "area_ids",
    "primary_area_id",
)


@dataclass
class UserChanges:
    username: str
    full_name: str
    role: str
    supervisor_id: int | None = None
    office_id: int | None = None
    active: bool = True
    locale: str = "vi"
    area_ids: list[int] = field(default_factory=list)
    primary_area_id: int | None = None


def find_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == User.normalize_username(username)))


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash made the way users' hashes are, to check a password against for nobody."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(username: str, password: str) -> User | None:
    """The user these credentials belong to, or None. Takes as long for a username that does
    not exist as for a wrong password (one scrypt check either way, ~140 ms), so timing does not
    tell which usernames exist."""
    user = find_by_username(username)
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return None
    return user if user.check_password(password) else None


def _state(user: User) -> dict:
    state = audit.snapshot(user, AUDITED_FIELDS[:-2])
    state["area_ids"] = sorted(a.area_id for a in user.assignments)
    primary = next((a.area_id for a in user.assignments if a.is_primary), None)
    state["primary_area_id"] = primary
    return state


def _check(changes: UserChanges, user: User | None) -> None:
    username = User.normalize_username(changes.username)
    clash = find_by_username(username)
    if clash is not None and clash is not user:
        raise RuleBroken("username", "username_taken")
    if changes.supervisor_id is not None:
        supervisor = db.session.get(User, changes.supervisor_id)
        if supervisor is None or not can_be_supervisor(supervisor) or supervisor is user:
            raise RuleBroken("supervisor_id", "not_a_supervisor")
        if supervisor.office_id is not None and changes.office_id != supervisor.office_id:
            raise RuleBroken("office_id", "not_the_supervisors_office")
    if changes.office_id is not None and db.session.get(Office, changes.office_id) is None:
        raise RuleBroken("office_id", "unknown_office")
    if changes.area_ids:
        found = db.session.scalar(
            select(func.count())
            .select_from(Area)
            .where(
                Area.id.in_(changes.area_ids),
                Area.kind.in_(LOCAL_AREA_KINDS),
                *existing_on(local_today()),
            )
        )
        if found != len(set(changes.area_ids)):
            raise RuleBroken("area_ids", "unknown_area")
    if changes.primary_area_id is not None and changes.primary_area_id not in changes.area_ids:
        raise RuleBroken("primary_area_id", "primary_not_assigned")


def _apply(user: User, changes: UserChanges) -> None:
    user.username = User.normalize_username(changes.username)
    user.full_name = changes.full_name.strip()
    user.role = changes.role
    user.supervisor_id = changes.supervisor_id if reports_to_supervisor(changes.role) else None
    user.office_id = changes.office_id
    user.active = changes.active
    user.locale = changes.locale
    wanted = set(changes.area_ids)
    for assignment in list(user.assignments):
        if assignment.area_id not in wanted:
            user.assignments.remove(assignment)
    have = {a.area_id for a in user.assignments}
    for area_id in sorted(wanted - have):
        user.assignments.append(Assignment(area_id=area_id))
    db.session.flush()  # the one-primary index sees the old flag cleared before the new one
    for assignment in user.assignments:
        assignment.is_primary = False
    db.session.flush()
    for assignment in user.assignments:
        assignment.is_primary = assignment.area_id == changes.primary_area_id


def create_user(
    actor: User | None, changes: UserChanges, password: str, must_change_password: bool = False
) -> User:
    _check(changes, None)
    # Why B106 does not apply: replaced by set_password on the next line
    user = User(password_hash="")  # nosec B106
    user.set_password(password)
    user.must_change_password = must_change_password
    db.session.add(user)
    _apply(user, changes)
    db.session.flush()
    audit.record(actor, "create", "user", user.id, None, _state(user))
    db.session.commit()
    return user


def update_user(actor: User, user: User, changes: UserChanges) -> User:
    _check(changes, user)
    before = _state(user)
    _apply(user, changes)
    db.session.flush()
    after = _state(user)
    if after != before:
        audit.record(actor, "update", "user", user.id, before, after)
    db.session.commit()
    return user


def reset_password(actor: User, user: User, new_password: str) -> None:
    """An admin sets a temporary password; the user must change it at next sign-in."""
    user.set_password(new_password)
    user.must_change_password = True
    user.session_epoch += 1  # whoever knew the old password is signed out
    audit.record(actor, "reset_password", "user", user.id)
    db.session.commit()


def change_own_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.session_epoch += 1  # other devices signed in with the old password are signed out
    audit.record(user, "change_password", "user", user.id)
    db.session.commit()
