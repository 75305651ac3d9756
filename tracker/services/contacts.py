"""Logging contacts: validated, idempotent by client token, and moving the household along its
pipeline in the same transaction. The HTML form and the API both call log_contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_decimal
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Contact, Enrollment, Household, OutreachSession, User
from ..vocab import CONTACT_CHANNELS, CONTACT_OUTCOMES, HOUSEHOLD_CATEGORIES
from . import audit
from .fieldwork import (
    RuleBroken,
    area_for,
    check_day,
    check_editable,
    check_token,
    choice,
    home_of_new_households,
    household_in,
    replay,
    retry_when_locked,
    text,
)
from .households import MAX_PHONE, likely_duplicates, valid_phone
from .pipeline import next_status

MAX_PEOPLE_REACHED = 10_000
MAX_NOTES = 2_000
AUDITED = (
    "area_id",
    "household_id",
    "contacted_on",
    "channel",
    "outcome",
    "people_reached",
    "follow_up_on",
    "notes",
)


@dataclass
class NewHousehold:
    """A household created from the contact form, when the search found none."""

    head_name: str | None
    address: str | None = ""
    phone: str | None = None
    category: str | None = "other"
    # The officer saw the likely duplicates and says this is someone else.
    different_person: bool = False


@dataclass
class ContactInput:
    client_token: str | None
    area_id: int | None
    contacted_on: date | None
    channel: str | None
    outcome: str | None
    people_reached: int | None = 1
    household_id: int | None = None
    follow_up_on: date | None = None
    notes: str | None = ""
    session_id: int | None = None
    new_household: NewHousehold | None = None


def _validated(officer: User, data: ContactInput, errors: dict) -> dict:
    check_day(errors, "contacted_on", data.contacted_on, officer)
    area = area_for(errors, officer, data.area_id, data.contacted_on)
    household = household_in(errors, area, data.household_id)
    values = {
        "area": area,
        "household": household,
        "channel": choice(errors, "channel", data.channel, CONTACT_CHANNELS),
        "outcome": choice(errors, "outcome", data.outcome, CONTACT_OUTCOMES),
        "notes": text(errors, "notes", data.notes, MAX_NOTES),
    }
    people = data.people_reached
    if (
        isinstance(people, bool)
        or not isinstance(people, int)
        or not (1 <= people <= MAX_PEOPLE_REACHED)
    ):
        errors["people_reached"] = (
            "people_reached_range",
            {"max": format_decimal(MAX_PEOPLE_REACHED)},
        )
    if (
        data.follow_up_on is not None
        and data.contacted_on is not None
        and (data.follow_up_on < data.contacted_on)
    ):
        errors["follow_up_on"] = "follow_up_before_contact"
    if data.session_id is not None:
        session = (
            db.session.get(OutreachSession, data.session_id)
            if isinstance(data.session_id, int)
            else None
        )
        if session is None or (area is not None and session.area_id != area.id):
            errors["session"] = "session_not_in_area"
    if data.new_household is not None and household is None and "household" not in errors:
        new = data.new_household
        values["new_household"] = {
            "head_name": text(errors, "new_household.head_name", new.head_name, 120, True),
            "address": text(errors, "new_household.address", new.address, 200),
            "phone": text(errors, "new_household.phone", new.phone, MAX_PHONE) or None,
            "category": choice(
                errors, "new_household.category", new.category, HOUSEHOLD_CATEGORIES
            ),
        }
        phone = values["new_household"]["phone"]
        if phone and not valid_phone(phone):
            errors["new_household.phone"] = "phone_invalid"
        if not errors and not new.different_person:
            _refuse_likely_duplicates(officer, values, errors)
    _home_visit_needs_household(data, values, errors)
    return values


def _refuse_likely_duplicates(officer: User, values: dict, errors: dict) -> None:
    """No household is added silently twice: one that looks already registered is refused until
    the officer chooses it, or says it is a different person. Checked here, at saving, so a
    record queued offline meets the same check when it is sent (and is kept to fix)."""
    new = values["new_household"]
    likely = likely_duplicates(
        officer,
        new["head_name"],
        new["phone"],
        new["address"],
        home_of_new_households(values["area"]).id,
    )
    if likely:
        errors["new_household.different_person"] = (
            "likely_already_registered",
            {
                "households": "; ".join(
                    f"{d.household.head_name} ({d.household.area.name}"
                    + (f", {d.household.address}" if d.household.address else "")
                    + ")"
                    for d in likely
                )
            },
        )


def _home_visit_needs_household(data: ContactInput, values: dict, errors: dict) -> None:
    """A home visit is to a household: an untouched form once saved visits to nobody, which no
    household's pipeline ever counted. Other channels (a ward meeting, a session) may have none."""
    if (
        values["channel"] == "home_visit"
        and values["household"] is None
        and data.new_household is None
        and "household" not in errors
    ):
        errors["household"] = "home_visit_needs_household"


def _move_household(
    household: Household, officer: User, outcome: str, follow_up_on: date | None
) -> None:
    household.status = next_status(household.status, outcome)
    household.next_follow_up_on = follow_up_on
    if household.officer_id is None:
        household.officer_id = officer.id


@retry_when_locked
def log_contact(officer: User, data: ContactInput) -> tuple[Contact, bool]:
    """Save a contact, or return the one already sent with this client token.

    Returns (contact, created). Raises RuleBroken and writes nothing when input is bad."""
    errors: dict[str, str] = {}
    check_token(errors, data.client_token)
    if not errors and (existing := replay(Contact, officer, data.client_token)):
        return existing, False
    values = _validated(officer, data, errors)
    if errors:
        raise RuleBroken(errors)
    household = values["household"]
    if "new_household" in values:
        household = Household(
            area_id=home_of_new_households(values["area"]).id,
            officer_id=officer.id,
            status="prospect",
            **values["new_household"],
        )
        db.session.add(household)
    contact = Contact(
        officer_id=officer.id,
        area_id=values["area"].id,
        household=household,
        session_id=data.session_id,
        contacted_on=data.contacted_on,
        channel=values["channel"],
        outcome=values["outcome"],
        people_reached=data.people_reached,
        follow_up_on=data.follow_up_on,
        notes=values["notes"],
        client_token=data.client_token,
    )
    db.session.add(contact)
    if household is not None:
        _move_household(household, officer, values["outcome"], data.follow_up_on)
    try:
        db.session.commit()
    except IntegrityError:
        # Two sends of one token raced: the unique key kept one; answer with it.
        db.session.rollback()
        existing = replay(Contact, officer, data.client_token)
        if existing is None:
            raise
        return existing, False
    return contact, True


def recompute_household(household: Household | None) -> None:
    """Replay the pipeline over the household's remaining contacts (after an edit or delete)."""
    if household is None:
        return
    contacts = db.session.scalars(
        select(Contact)
        .where(Contact.household_id == household.id, Contact.deleted_at.is_(None))
        .order_by(Contact.contacted_on, Contact.id)
    ).all()
    status, follow_up = "prospect", None
    for contact in contacts:
        status, follow_up = next_status(status, contact.outcome), contact.follow_up_on
    enrolled = db.session.scalar(
        select(Enrollment.id)
        .where(Enrollment.household_id == household.id, Enrollment.deleted_at.is_(None))
        .limit(1)
    )
    household.status = "enrolled" if enrolled else status
    household.next_follow_up_on = follow_up


def update_contact(user: User, contact: Contact, data: ContactInput) -> Contact:
    check_editable(user, contact)
    errors: dict[str, str] = {}
    values = _validated(contact.officer, data, errors)
    if errors:
        raise RuleBroken(errors)
    before = audit.snapshot(contact, AUDITED)
    previous_household = contact.household
    contact.area_id = values["area"].id
    contact.household = values["household"]
    contact.contacted_on, contact.channel = data.contacted_on, values["channel"]
    contact.outcome, contact.people_reached = values["outcome"], data.people_reached
    contact.follow_up_on, contact.notes = data.follow_up_on, values["notes"]
    contact.updated_at = datetime.now(UTC)
    db.session.flush()
    recompute_household(previous_household)
    recompute_household(contact.household)
    audit.record(user, "update", "contact", contact.id, before, audit.snapshot(contact, AUDITED))
    db.session.commit()
    return contact


def set_deleted(user: User, contact: Contact, deleted: bool) -> None:
    """Soft delete (or undo it) within the edit window; audited."""
    check_editable(user, contact)
    contact.deleted_at = datetime.now(UTC) if deleted else None
    db.session.flush()
    recompute_household(contact.household)
    audit.record(user, "delete" if deleted else "restore", "contact", contact.id)
    db.session.commit()
