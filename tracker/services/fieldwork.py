"""Rules shared by the contact and enrollment services: who may log where, dates, the 7-day
edit window, and replays of a client token."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import wraps
from time import sleep

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ..access import loggable_area_ids, may_edit_record
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..i18n import number
from ..models import Area, Household, User
from .areas import local_areas

EDIT_WINDOW = timedelta(days=7)
MAX_TOKEN_LENGTH = 64


class NotAllowed(PermissionError):
    """The user may not touch this record (403)."""


def local_date_of(moment: datetime) -> date:
    """The office's calendar date of a stored timestamp (SQLite gives them back naive, UTC)."""
    from flask_babel import get_timezone

    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(get_timezone()).date()


def check_day(errors: dict, field: str, day: date | None, officer: User) -> None:
    """Not in the future, and not before the officer's account existed."""
    if day is None:
        errors.setdefault(field, "date_missing")
    elif day > local_today():
        errors.setdefault(field, "date_in_future")
    elif day < local_date_of(officer.created_at):
        errors.setdefault(field, "date_before_account")


def check_token(errors: dict, token: str | None) -> None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        # an error code, not a secret (bandit reads "token" as a password)
        errors["client_token"] = "client_token_invalid"  # nosec B105


def area_for(
    errors: dict, officer: User, area_id: int | None, day: date | None = None
) -> Area | None:
    """The ward or commune a record is made in: one the officer covers, or one that became
    theirs in a reorganisation, and one that existed on the record's day (a record dated
    before a merge keeps its old unit)."""
    allowed = loggable_area_ids(officer)
    area = db.session.get(Area, area_id) if isinstance(area_id, int) else None
    if area is None or not area.is_local or not _covers(allowed, area):
        errors["area"] = "area_not_yours"
        return None
    if day is not None and not area.exists_on(day):
        errors["area"] = ("area_not_on_that_day", {"name": area.name})
        return None
    return area


def _covers(allowed: set[int] | None, area: Area) -> bool:
    if allowed is None or area.id in allowed:
        return True
    from ..progress import area_tree

    return any(unit in allowed for unit in area_tree().current_successors(area.id))


def household_in(errors: dict, area: Area | None, household_id: int | None) -> Household | None:
    """A household of the area, or one that lived in it before a reorganisation moved it on."""
    if household_id is None:
        return None
    household = db.session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None or (area is not None and not _lived_in(household, area)):
        errors["household"] = "household_not_in_area"
        return None
    return household


def _lived_in(household: Household, area: Area) -> bool:
    if household.area_id == area.id:
        return True
    from ..progress import area_tree

    return household.area_id in set(area_tree().current_successors(area.id))


def home_of_new_households(area: Area) -> Area:
    """Where a household added with a back-dated record lives: the unit of today."""
    if area.valid_to is None:
        return area
    from ..progress import area_tree

    tree = area_tree()
    return tree.areas[next(tree.current_successors(area.id), area.id)]


def text(errors: dict, field: str, value: str | None, maximum: int, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = "required"
    elif len(value) > maximum:
        errors[field] = ("too_long", {"count": maximum})
    return value


def choice(errors: dict, field: str, value: str | None, vocabulary) -> str | None:
    if value not in vocabulary:
        errors[field] = "not_a_listed_value"
        return None
    return value


def replay(model, officer: User, token: str | None):
    """The record this officer already sent with this token, if any."""
    if not token:
        return None
    return db.session.scalar(
        select(model).where(model.officer_id == officer.id, model.client_token == token)
    )


def check_editable(user: User, record) -> None:
    """Own records (admins: any), and only within 7 days of logging them."""
    if not may_edit_record(user, record.officer_id):
        raise NotAllowed
    created = (
        record.created_at if record.created_at.tzinfo else record.created_at.replace(tzinfo=UTC)
    )
    if datetime.now(UTC) - created > EDIT_WINDOW:
        raise RuleBroken({"form": "edit_window_over"})


def contribution_problem(error) -> tuple[str, dict]:
    """A contributions.ContributionError as a broken rule's (code, params)."""
    if error.rule is None or error.code != "income_basis_out_of_range":
        return f"contribution_{error.code}", {}
    low, high = number(error.rule.minimum_basis), number(error.rule.maximum_basis)
    return "contribution_income_basis_out_of_range", {"low": low, "high": high}


def loggable_areas(user: User) -> list[Area]:
    """The wards and communes offered in `user`'s forms, primary first."""
    allowed = loggable_area_ids(user)
    if allowed is not None:
        return user.areas
    return list(db.session.scalars(local_areas()))


def still_editable(user: User, record) -> bool:
    """For templates: show the edit, delete and undo buttons?"""
    try:
        check_editable(user, record)
    except (NotAllowed, RuleBroken):
        return False
    return True


def retry_when_locked(action):
    """Run a write once more if SQLite answered "database is locked" after its busy timeout,
    so a burst of writers never shows that error to a user."""

    @wraps(action)
    def wrapped(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except OperationalError as error:
            if "locked" not in str(error).lower():
                raise
            db.session.rollback()
            sleep(0.05)
            return action(*args, **kwargs)

    return wrapped
