"""POST contacts and enrollments, and household search, for API clients and the offline queue."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import parsing
from ..access import requires
from ..errors import RuleBroken, json_error, rule_json
from ..models import Contact, Enrollment, Household
from ..services import contacts as contact_service
from ..services import enrollments as enrollment_service
from ..services import households as household_service
from ..services.fieldwork import loggable_areas
from ..web import int_arg
from . import bp
from .json_fields import JSONFields, json_body
from .schemas import (
    ContactIn,
    ContactOut,
    DuplicateQuery,
    DuplicatesOut,
    EnrollmentIn,
    EnrollmentOut,
    HouseholdQuery,
    HouseholdsOut,
)
from .spec import declare


def _invalid(fields: dict):
    return json_error(422, _("Some fields are not valid."), "invalid", fields)


def contact_json(contact: Contact) -> dict:
    return {
        "id": contact.id,
        "client_token": contact.client_token,
        "officer": contact.officer_id,
        "area": contact.area_id,
        "household": contact.household_id,
        "contacted_on": contact.contacted_on.isoformat(),
        "channel": contact.channel,
        "outcome": contact.outcome,
        "people_reached": contact.people_reached,
        "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else None,
        "notes": contact.notes,
        "household_status": contact.household.status if contact.household else None,
    }


def enrollment_json(enrollment: Enrollment) -> dict:
    return {
        "id": enrollment.id,
        "client_token": enrollment.client_token,
        "officer": enrollment.officer_id,
        "area": enrollment.area_id,
        "household": enrollment.household_id,
        "participant_name": enrollment.participant_name,
        "citizen_id": enrollment.citizen_id,
        "birth_date": enrollment.birth_date.isoformat() if enrollment.birth_date else None,
        "social_insurance_number": enrollment.social_insurance_number,
        "enrolled_on": enrollment.enrolled_on.isoformat(),
        "scheme": enrollment.scheme,
        "category": enrollment.category,
        "income_basis": enrollment.income_basis,
        "payment_period": enrollment.payment_period,
        "paid_through_on": enrollment.paid_through_on.isoformat()
        if enrollment.paid_through_on
        else None,
        "months_paid": enrollment.months_paid,
        "monthly_contribution": enrollment.monthly_contribution,
        "monthly_state_support": enrollment.monthly_state_support,
        "supported_months": enrollment.supported_months,
        "amount_due": enrollment.amount_due,
        "collection_org": enrollment.collection_org_id,
    }


def household_json(household: Household) -> dict:
    return {
        "id": household.id,
        "head_name": household.head_name,
        "address": household.address,
        "area": household.area_id,
        "area_name": household.area.name,
        "status": household.status,
        "category": household.category,
    }


@bp.route("/contacts", methods=["POST"])
@requires("log_fieldwork")
@declare(json=ContactIn, ok=ContactOut, status=201, errors=(400,), tags=["fieldwork"])
def post_contact():
    read = JSONFields(json_body())
    new = read.body.get("new_household")
    new_household = None
    if new is not None:
        if not isinstance(new, dict):
            read.errors["new_household"] = _("An object with head_name, address, phone.")
        else:
            inner = JSONFields(new)
            new_household = contact_service.NewHousehold(
                inner.text("head_name", True),
                inner.text("address"),
                inner.text("phone"),
                inner.text("category") or "other",
                different_person=new.get("different_person") is True,
            )
            read.errors.update({f"new_household.{k}": v for k, v in inner.errors.items()})
    data = contact_service.ContactInput(
        client_token=read.text("client_token", True),
        area_id=read.integer("area", True),
        household_id=read.integer("household"),
        contacted_on=read.day("contacted_on", True),
        channel=read.text("channel", True),
        outcome=read.text("outcome", True),
        people_reached=read.integer("people_reached", True),
        follow_up_on=read.day("follow_up_on"),
        notes=read.text("notes") or "",
        session_id=read.integer("session"),
        new_household=new_household,
    )
    if read.errors:
        return _invalid(read.errors)
    try:
        contact, created = contact_service.log_contact(current_user, data)
    except RuleBroken as error:
        return rule_json(error)
    return jsonify(contact_json(contact)), 201 if created else 200


@bp.route("/enrollments", methods=["POST"])
@requires("log_fieldwork")
@declare(json=EnrollmentIn, ok=EnrollmentOut, status=201, errors=(400,), tags=["fieldwork"])
def post_enrollment():
    read = JSONFields(json_body())
    data = enrollment_service.EnrollmentInput(
        client_token=read.text("client_token", True),
        area_id=read.integer("area", True),
        household_id=read.integer("household"),
        participant_name=read.text("participant_name", True),
        enrolled_on=read.day("enrolled_on", True),
        scheme=read.text("scheme", True),
        category=read.text("category", True),
        citizen_id=read.text("citizen_id"),
        birth_date=read.day("birth_date", earliest=parsing.EARLIEST_BIRTH),
        social_insurance_number=read.text("social_insurance_number"),
        income_basis=read.integer("income_basis"),
        payment_period=read.text("payment_period") or "1",
        months_paid=read.integer("months_paid"),
        collection_org_id=read.integer("collection_org"),
        session_id=read.integer("session"),
    )
    if read.errors:
        return _invalid(read.errors)
    try:
        enrollment, created = enrollment_service.record_enrollment(current_user, data)
    except RuleBroken as error:
        return rule_json(error)
    return jsonify(enrollment_json(enrollment)), 201 if created else 200


@bp.route("/households")
@requires("view_households")
@declare(query=HouseholdQuery, ok=HouseholdsOut, tags=["households"])
def search_households():
    found = household_service.search(current_user, request.args.get("q", "")[:120], int_arg("area"))
    return jsonify(households=[household_json(h) for h in found])


@bp.route("/households/mine")
@requires("log_fieldwork")
@declare(ok=HouseholdsOut, tags=["households"])
def my_households():
    """Every household of the wards this user logs in, for search on the phone when offline."""
    found = household_service.in_areas([a.id for a in loggable_areas(current_user)])
    return jsonify(households=[household_json(h) for h in found])


@bp.route("/households/duplicates")
@requires("log_fieldwork")
@declare(query=DuplicateQuery, ok=DuplicatesOut, tags=["households"])
def household_duplicates():
    """Households a new one may already be (services/households.likely_duplicates): the contact
    form asks before the officer adds one; saving checks the same."""
    likely = household_service.likely_duplicates(
        current_user,
        request.args.get("name", "")[:120],
        request.args.get("phone", "")[:20],
        request.args.get("address", "")[:200],
        int_arg("area"),
    )
    return jsonify(
        households=[{**household_json(d.household), "reasons": list(d.reasons)} for d in likely]
    )
