"""Recording enrollments: validated, idempotent by client token, with the contribution
computed by the dated rules and stored with the months of state support it used (the person's
120-month cap); the household becomes enrolled in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CollectionOrg, Enrollment, OutreachSession, User
from ..parsing import ascii_digits
from ..periods import add_months
from ..vocab import ENROLLMENT_CATEGORIES, ENROLLMENT_SCHEMES, PAYMENT_PERIODS
from . import audit, contributions, support_cap
from .contacts import recompute_household
from .fieldwork import (
    RuleBroken,
    area_for,
    check_day,
    check_editable,
    check_token,
    choice,
    contribution_problem,
    household_in,
    replay,
    retry_when_locked,
    text,
)

AUDITED = (
    "area_id",
    "household_id",
    "participant_name",
    "citizen_id",
    "social_insurance_number",
    "birth_date",
    "enrolled_on",
    "scheme",
    "category",
    "income_basis",
    "payment_period",
    "months_paid",
    "supported_months",
    "collection_org_id",
)


@dataclass
class EnrollmentInput:
    client_token: str | None
    area_id: int | None
    participant_name: str | None
    enrolled_on: date | None
    scheme: str | None = "voluntary_si"
    category: str | None = "other"
    household_id: int | None = None
    citizen_id: str | None = None
    birth_date: date | None = None
    social_insurance_number: str | None = None
    income_basis: int | None = None
    payment_period: str | None = "1"
    months_paid: int | None = None
    collection_org_id: int | None = None
    session_id: int | None = None


def paid_through(start: date, months: int) -> date:
    """Paid for `months` months from `start`: covered up to the day before the same date."""
    return add_months(start, months) - timedelta(days=1)


def _validated(
    officer: User, data: EnrollmentInput, errors: dict, current: Enrollment | None = None
) -> dict:
    check_day(errors, "enrolled_on", data.enrolled_on, officer)
    area = area_for(errors, officer, data.area_id, data.enrolled_on)
    values = {
        "area": area,
        "household": household_in(errors, area, data.household_id),
        "participant_name": text(errors, "participant_name", data.participant_name, 120, True),
        "scheme": choice(errors, "scheme", data.scheme, ENROLLMENT_SCHEMES),
        "category": choice(errors, "category", data.category, ENROLLMENT_CATEGORIES),
        "payment_period": choice(errors, "payment_period", data.payment_period, PAYMENT_PERIODS),
    }
    citizen_id = (data.citizen_id or "").strip() or None
    if citizen_id is not None:
        if len(citizen_id) != 12 or not ascii_digits(citizen_id):
            errors["citizen_id"] = "citizen_id_invalid"
        elif db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.citizen_id == citizen_id,
                Enrollment.scheme == values["scheme"],
                Enrollment.deleted_at.is_(None),
                Enrollment.id != (current.id if current else -1),
            )
        ):
            errors["citizen_id"] = "already_enrolled_in_scheme"
    values["citizen_id"] = citizen_id
    _identity(errors, data, values)
    months = None
    if values["payment_period"]:
        months = contributions.months_of(values["payment_period"], data.months_paid)
        if months is None:
            errors["months_paid"] = "lump_sum_months"
    values["months_paid"] = months
    if data.collection_org_id is not None:
        org = (
            db.session.get(CollectionOrg, data.collection_org_id)
            if isinstance(data.collection_org_id, int)
            else None
        )
        if org is None or not org.active:
            errors["collection_org"] = "unknown_org"
    if data.session_id is not None:
        session = (
            db.session.get(OutreachSession, data.session_id)
            if isinstance(data.session_id, int)
            else None
        )
        if session is None or (area is not None and session.area_id != area.id):
            errors["session"] = "session_not_in_area"
    values["contribution"] = _contribution(data, values, errors, current)
    return values


def _contribution(
    data: EnrollmentInput, values: dict, errors: dict, current: Enrollment | None
) -> contributions.Payment | None:
    """Voluntary social insurance only; the basis defaults to the legal minimum. Support only
    for the months the person still has under the cap (their renewals count when editing)."""
    if values["scheme"] != "voluntary_si" or data.enrolled_on is None or not values["category"]:
        return None
    basis = data.income_basis
    if basis is not None and (isinstance(basis, bool) or not isinstance(basis, int)):
        errors["income_basis"] = "not_whole_dong"
        return None
    try:
        figures = contributions.compute(data.enrolled_on, values["category"], basis)
    except contributions.ContributionError as error:
        field = "enrolled_on" if contributions.field_of(error) == "date" else "income_basis"
        errors[field] = contribution_problem(error)
        return None
    if values["months_paid"] is None:
        return None
    used = 0
    if current is not None:
        used = support_cap.used(current, without_enrollment=True)
    return contributions.payment(figures, values["months_paid"], used)


def _identity(errors: dict, data: EnrollmentInput, values: dict) -> None:
    """What the insurer's list is matched on beside the citizen ID: its number for the person
    and the date of birth (services/reconciliation)."""
    number = (data.social_insurance_number or "").replace(" ", "") or None
    if number is not None and (len(number) != 10 or not ascii_digits(number)):
        errors["social_insurance_number"] = "si_number_invalid"
    values["social_insurance_number"] = number
    born = data.birth_date
    if born is not None and data.enrolled_on is not None and born > data.enrolled_on:
        errors["birth_date"] = "born_after_enrollment"
    values["birth_date"] = born


def _apply(enrollment: Enrollment, data: EnrollmentInput, values: dict) -> None:
    paid = values["contribution"]
    figures = paid.figures if paid else None
    enrollment.area_id = values["area"].id
    enrollment.household = values["household"]
    enrollment.participant_name = values["participant_name"]
    enrollment.citizen_id = values["citizen_id"]
    enrollment.social_insurance_number = values["social_insurance_number"]
    enrollment.birth_date = values["birth_date"]
    enrollment.enrolled_on = data.enrolled_on
    enrollment.scheme, enrollment.category = values["scheme"], values["category"]
    enrollment.payment_period, enrollment.months_paid = (
        values["payment_period"],
        values["months_paid"],
    )
    enrollment.paid_through_on = paid_through(data.enrolled_on, values["months_paid"])
    enrollment.income_basis = figures.income_basis if figures else None
    enrollment.monthly_contribution = figures.monthly_contribution if figures else None
    enrollment.monthly_state_support = figures.monthly_state_support if figures else None
    enrollment.supported_months = paid.supported_months if paid else None
    enrollment.collection_org_id = data.collection_org_id
    enrollment.session_id = data.session_id


@retry_when_locked
def record_enrollment(officer: User, data: EnrollmentInput) -> tuple[Enrollment, bool]:
    """Save an enrollment, or return the one already sent with this client token."""
    errors: dict[str, str] = {}
    check_token(errors, data.client_token)
    if not errors and (existing := replay(Enrollment, officer, data.client_token)):
        return existing, False
    values = _validated(officer, data, errors)
    if errors:
        raise RuleBroken(errors)
    enrollment = Enrollment(officer_id=officer.id, client_token=data.client_token)
    _apply(enrollment, data, values)
    db.session.add(enrollment)
    if enrollment.household is not None:
        enrollment.household.status = "enrolled"
        enrollment.household.next_follow_up_on = None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = replay(Enrollment, officer, data.client_token)
        if existing is None:
            raise RuleBroken({"citizen_id": "already_enrolled"}) from None
        return existing, False
    return enrollment, True


def update_enrollment(user: User, enrollment: Enrollment, data: EnrollmentInput) -> Enrollment:
    check_editable(user, enrollment)
    errors: dict[str, str] = {}
    values = _validated(enrollment.officer, data, errors, current=enrollment)
    if errors:
        raise RuleBroken(errors)
    before = audit.snapshot(enrollment, AUDITED)
    previous_household = enrollment.household
    _apply(enrollment, data, values)
    enrollment.updated_at = datetime.now(UTC)
    db.session.flush()
    recompute_household(previous_household)
    recompute_household(enrollment.household)
    audit.record(
        user, "update", "enrollment", enrollment.id, before, audit.snapshot(enrollment, AUDITED)
    )
    db.session.commit()
    return enrollment


def set_deleted(user: User, enrollment: Enrollment, deleted: bool) -> None:
    """Delete or restore. A citizen ID is unique per scheme (one person may hold voluntary
    social insurance and household health insurance), so a restore is refused only when the
    person is enrolled again in the same scheme meanwhile."""
    check_editable(user, enrollment)
    if (
        not deleted
        and enrollment.citizen_id
        and db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.citizen_id == enrollment.citizen_id,
                Enrollment.scheme == enrollment.scheme,
                Enrollment.deleted_at.is_(None),
                Enrollment.id != enrollment.id,
            )
        )
    ):
        raise RuleBroken({"form": "already_enrolled_in_scheme"})
    enrollment.deleted_at = datetime.now(UTC) if deleted else None
    db.session.flush()
    recompute_household(enrollment.household)
    audit.record(user, "delete" if deleted else "restore", "enrollment", enrollment.id)
    db.session.commit()
