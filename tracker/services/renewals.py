"""Renewals: participants whose paid-through date is near or passed, and recording that they
paid again, with the amounts of the rules in force on the day they paid and the months of state
support left under the person's 120-month cap. A payment after a lapse is a return
(progress/lifecycle.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..access import visible_officer_ids, works_in_field
from ..collation import in_order
from ..extensions import db
from ..models import Enrollment, Renewal, User
from ..progress.lifecycle import lapse_day_of
from ..vocab import PAYMENT_METHODS
from . import audit, contributions, support_cap
from .enrollments import paid_through
from .fieldwork import (
    NotAllowed,
    RuleBroken,
    check_token,
    contribution_problem,
    replay,
    retry_when_locked,
)
from .settings import lapse_grace_days

WINDOW = timedelta(days=30)
WINDOWS = (7, 30, 60, 90)  # days ahead the list may look
# Where a participant stands: due (paid-through date today or ahead), overdue (passed, still
# within the office's grace: a payment now keeps them), lapsed (the grace is over).
STATUSES = ("overdue", "due", "lapsed")


@dataclass
class DueFilters:
    """What the renewals list shows; each filter narrows what the user may see, never widens it."""

    window: int = WINDOW.days
    status: str | None = None
    area_ids: list[int] | None = None  # a unit and the units it came from
    officer_id: int | None = None
    scheme: str | None = None


def grace_boundary(today: date) -> date:
    """The earliest paid-through date still within the office's grace: a participant paid
    through an earlier day has lapsed by today (progress/lifecycle.py: P + grace + 1)."""
    return today - timedelta(days=lapse_grace_days())


def due(user: User, today: date, filters: DueFilters | None = None):
    """A select of the participants lapsed or due within the window, among those the user sees.
    Those still within their grace come first (a payment now keeps them), then those due soonest,
    then the lapsed, the latest first; names in Vietnamese order. The view pages it in SQL."""
    filters = filters or DueFilters()
    kept_until = grace_boundary(today)
    lapsed = Enrollment.paid_through_on < kept_until
    rank = case((lapsed, 2), (Enrollment.paid_through_on < today, 0), else_=1)
    query = (
        select(Enrollment)
        .options(joinedload(Enrollment.area), joinedload(Enrollment.officer))
        .where(
            Enrollment.deleted_at.is_(None),
            Enrollment.paid_through_on.is_not(None),
            Enrollment.paid_through_on <= today + timedelta(days=filters.window),
        )
        .order_by(
            rank,
            case((lapsed, None), else_=Enrollment.paid_through_on),
            Enrollment.paid_through_on.desc(),
            in_order(Enrollment.participant_name),
            Enrollment.id,
        )
    )
    ids = visible_officer_ids(user)
    if ids is not None:
        query = query.where(Enrollment.officer_id.in_(ids))
    if filters.officer_id:
        query = query.where(Enrollment.officer_id == filters.officer_id)
    if filters.area_ids:
        query = query.where(Enrollment.area_id.in_(filters.area_ids))
    if filters.scheme:
        query = query.where(Enrollment.scheme == filters.scheme)
    if filters.status == "lapsed":
        query = query.where(lapsed)
    elif filters.status == "overdue":
        query = query.where(~lapsed, Enrollment.paid_through_on < today)
    elif filters.status == "due":
        query = query.where(Enrollment.paid_through_on >= today)
    return query


def may_renew(user: User, enrollment: Enrollment) -> bool:
    """Field roles record renewals of the participants they may see (own, or the team's)."""
    ids = visible_officer_ids(user)
    return works_in_field(user) and (ids is None or enrollment.officer_id in ids)


@dataclass
class RenewalInput:
    renewed_on: date | None
    method: str | None  # PAYMENT_METHODS; inferred from `months` for 1, 3, 6 or 12
    months: int | None = None  # for a lump sum or a back-payment
    income_basis: int | None = None  # default: the last one, within the range of the day
    client_token: str | None = None


def months_missed(paid_through_on: date, day: date) -> int:
    """Whole months from the day after `paid_through_on` that end on or before `day`."""
    start = paid_through_on + timedelta(days=1)
    months = max((day.year - start.year) * 12 + day.month - start.month, 0)
    while months > 0 and paid_through(start, months) > day:
        months -= 1
    while paid_through(start, months + 1) <= day:
        months += 1
    return months


def last_basis(enrollment: Enrollment) -> int | None:
    """The income basis of the person's latest payment (a renewal's, else the enrollment's)."""
    latest = db.session.scalar(
        select(Renewal.income_basis)
        .where(Renewal.enrollment_id == enrollment.id, Renewal.income_basis.is_not(None))
        .order_by(Renewal.renewed_on.desc(), Renewal.id.desc())
        .limit(1)
    )
    return latest or enrollment.income_basis


def default_basis(enrollment: Enrollment, day: date) -> int:
    """The last basis, moved into the range in force on `day` (from 2027-01-01 a basis below
    the new poverty line rises to it), in thousands of đồng."""
    rule = contributions.rule_on(day)
    basis = min(max(last_basis(enrollment) or 0, rule.minimum_basis), rule.maximum_basis)
    step = contributions.BASIS_STEP
    if basis % step:
        up = basis - basis % step + step
        basis = up if up <= rule.maximum_basis else basis - basis % step
    return basis


def _method(data: RenewalInput, errors: dict) -> tuple[str | None, int | None]:
    method = data.method or None
    if method is None and not isinstance(data.months, bool) and data.months in (1, 3, 6, 12):
        method = str(data.months)
    if method not in PAYMENT_METHODS:
        errors["method"] = "payment_method_missing"
        return None, None
    months = contributions.months_of(method, data.months)
    if months is None:
        errors["months"] = "lump_sum_months" if method == "lump_sum" else "back_payment_months"
    return method, months


def _amounts(
    enrollment: Enrollment, day: date, basis: int | None, months: int, errors: dict
) -> contributions.Payment | None:
    """Voluntary social insurance only: the figures of the day it was paid, with support for
    the months the person has left of 120."""
    if enrollment.scheme != "voluntary_si":
        return None
    if basis is not None and (isinstance(basis, bool) or not isinstance(basis, int)):
        errors["income_basis"] = "not_whole_dong"
        return None
    try:
        if basis is None:
            basis = default_basis(enrollment, day)
        figures = contributions.compute(day, enrollment.category, basis)
    except contributions.ContributionError as error:
        field = "renewed_on" if contributions.field_of(error) == "date" else "income_basis"
        errors[field] = contribution_problem(error)
        return None
    return contributions.payment(figures, months, support_cap.used(enrollment))


@retry_when_locked
def record(user: User, enrollment: Enrollment, data: RenewalInput) -> Renewal:
    """The participant paid `months` more: paid-through moves on from where it stood; a
    back-payment only over the months missed before the day it is paid."""
    if not may_renew(user, enrollment):
        raise NotAllowed
    errors: dict[str, str] = {}
    check_token(errors, data.client_token)
    if not errors and (existing := replay(Renewal, user, data.client_token)):
        return existing
    renewed_on = data.renewed_on
    if renewed_on is None or renewed_on > datetime.now(UTC).date() + timedelta(days=1):
        errors["renewed_on"] = "date_in_future"
        renewed_on = None
    elif renewed_on < enrollment.enrolled_on:
        errors["renewed_on"] = "date_before_enrollment"
        renewed_on = None
    method, months = _method(data, errors)
    # One renewal of a person at a time: the paid-through date and the support cap are read
    # under a lock of the enrollment's row (PostgreSQL; SQLite writes one at a time anyway).
    db.session.execute(
        select(Enrollment.id).where(Enrollment.id == enrollment.id).with_for_update()
    )
    db.session.refresh(enrollment)
    before = enrollment.paid_through_on or enrollment.enrolled_on - timedelta(days=1)
    # A payment after the participant lapsed is a return: a new spell from the day it is paid,
    # unless it is a back-payment of the months missed (progress/lifecycle.py).
    returning = renewed_on is not None and renewed_on >= lapse_day_of(before)
    start = renewed_on if returning and method != "back_payment" else before + timedelta(days=1)
    after = paid_through(start, months) if months else None
    if method == "back_payment" and renewed_on is not None and months:
        missed = months_missed(before, renewed_on)
        if missed == 0:
            errors["method"] = ("nothing_missed", {"date": before.strftime("%d/%m/%Y")})
        elif months > missed:
            errors["months"] = ("back_payment_too_long", {"months": missed})
    paid = None
    if months and renewed_on is not None:
        paid = _amounts(enrollment, renewed_on, data.income_basis, months, errors)
    if errors:
        raise RuleBroken(errors)
    renewal = Renewal(
        enrollment_id=enrollment.id,
        officer_id=user.id,
        renewed_on=renewed_on,
        method=method,
        months=months,
        paid_through_before=before,
        paid_through_after=after,
        income_basis=paid.figures.income_basis if paid else None,
        monthly_contribution=paid.figures.monthly_contribution if paid else None,
        monthly_state_support=paid.figures.monthly_state_support if paid else None,
        supported_months=paid.supported_months if paid else None,
        client_token=data.client_token,
    )
    enrollment.paid_through_on = after
    db.session.add(renewal)
    db.session.flush()
    audit.record(
        user,
        "renew",
        "enrollment",
        enrollment.id,
        {"paid_through_on": before.isoformat()},
        {
            "paid_through_on": after.isoformat(),
            "renewal": renewal.id,
            "method": method,
            "months": months,
            "income_basis": renewal.income_basis,
            "monthly_contribution": renewal.monthly_contribution,
            "monthly_state_support": renewal.monthly_state_support,
            "supported_months": renewal.supported_months,
        },
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = replay(Renewal, user, data.client_token)
        if existing is None:
            raise
        return existing
    return renewal
