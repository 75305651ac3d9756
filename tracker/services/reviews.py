"""The monthly review of potential participants, handed to collection organizations.

A review records which households were reviewed for a month, and to which organization and
officer each was handed; the households' assignments move in the same transaction. Later, each
hand-over shows how many of its households enrolled, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import parsing
from ..access import sees_everyone, visible_area_ids
from ..collation import in_order
from ..errors import RuleBroken
from ..extensions import db
from ..models import (
    Area,
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    ProspectReview,
    ReviewItem,
    User,
)
from . import audit, households

OPEN_STATUSES = ("prospect", "interested")


@dataclass
class ProspectFilters:
    """What the review lists; each filter narrows the user's wards, never widens them."""

    area_id: int | None = None
    status: str | None = None  # one of OPEN_STATUSES; both when None
    officer_id: int | None = None
    category: str | None = None
    query: str | None = None  # the head's name or address, accents and capitals ignored


def prospects(user: User, filters: ProspectFilters | None = None):
    """A select of the open prospects in the user's wards, by ward and name in Vietnamese
    order; the view pages it in SQL and asks `last_contacts` for the page's dates."""
    filters = filters or ProspectFilters()
    status = filters.status if filters.status in OPEN_STATUSES else None
    query = households.register(
        user,
        households.HouseholdFilters(
            area_id=filters.area_id,
            status=status,
            category=filters.category,
            officer_id=filters.officer_id,
            query=filters.query,
        ),
    )
    return (
        query.where(Household.status.in_(OPEN_STATUSES))
        .join(Area, Household.area_id == Area.id)
        .order_by(None)
        .order_by(in_order(Area.name), in_order(Household.head_name), Household.id)
    )


def last_contacts(household_ids: list[int]) -> dict[int, date]:
    """The day of each household's latest live contact, for one page of households."""
    if not household_ids:
        return {}
    return dict(
        db.session.execute(
            select(Contact.household_id, func.max(Contact.contacted_on))
            .where(Contact.deleted_at.is_(None), Contact.household_id.in_(household_ids))
            .group_by(Contact.household_id)
        ).all()
    )


def record_review(
    user: User,
    month: date,
    household_ids: list[int],
    org_id: int | None,
    officer_id: int | None,
    note: str = "",
) -> ProspectReview:
    """One review, one transaction: the items, the households' new assignments, the audit."""
    if not parsing.FIRST_DAY <= month <= parsing.LAST_DAY:
        raise RuleBroken("month", "bad_month")
    if not household_ids:
        raise RuleBroken("households", "no_household_selected")
    allowed = visible_area_ids(user)
    households = db.session.scalars(select(Household).where(Household.id.in_(household_ids))).all()
    if len(households) != len(set(household_ids)) or any(
        allowed is not None and h.area_id not in allowed for h in households
    ):
        raise RuleBroken("households", "not_yours")
    org = db.session.get(CollectionOrg, org_id) if org_id else None
    if org_id and (org is None or not org.active):
        raise RuleBroken("collection_org", "unknown_org")
    officer = db.session.get(User, officer_id) if officer_id else None
    if officer_id and (
        officer is None
        or not officer.active
        or (not sees_everyone(user) and officer.supervisor_id != user.id)
    ):
        raise RuleBroken("officer", "not_your_officer")
    review = ProspectReview(month=month.replace(day=1), supervisor_id=user.id, note=note.strip())
    for household in households:
        review.items.append(
            ReviewItem(
                household_id=household.id,
                collection_org_id=org_id,
                officer_id=officer_id or household.officer_id,
                status_at_review=household.status,
            )
        )
        if org_id:
            household.collection_org_id = org_id
        if officer_id:
            household.officer_id = officer_id
    db.session.add(review)
    db.session.flush()
    audit.record(
        user,
        "review",
        "prospect_review",
        review.id,
        None,
        {
            "month": review.month.isoformat(),
            "households": len(households),
            "collection_org_id": org_id,
            "officer_id": officer_id,
        },
    )
    db.session.commit()
    return review


@dataclass(frozen=True)
class Handover:
    review: ProspectReview
    org: CollectionOrg | None
    households: int
    enrolled: int
    last_enrolled_on: date | None


def handovers(user: User) -> list[Handover]:
    """Every hand-over the user may see, newest first, with the enrollments that followed."""
    first_enrollment = (
        select(Enrollment.household_id, func.min(Enrollment.enrolled_on).label("enrolled_on"))
        .where(Enrollment.deleted_at.is_(None), Enrollment.household_id.is_not(None))
        .group_by(Enrollment.household_id)
        .subquery()
    )
    after_review = first_enrollment.c.enrolled_on >= func.date(ProspectReview.reviewed_at)
    query = (
        select(
            ProspectReview.id,
            ReviewItem.collection_org_id,
            func.count(ReviewItem.id),
            func.count(first_enrollment.c.household_id).filter(after_review),
            func.max(first_enrollment.c.enrolled_on).filter(after_review),
        )
        .join(ReviewItem, ReviewItem.review_id == ProspectReview.id)
        .outerjoin(first_enrollment, first_enrollment.c.household_id == ReviewItem.household_id)
        .group_by(ProspectReview.id, ReviewItem.collection_org_id)
        .order_by(ProspectReview.id.desc())
    )
    if not sees_everyone(user):
        query = query.where(ProspectReview.supervisor_id == user.id)
    rows = db.session.execute(query).all()
    reviews = {
        r.id: r
        for r in db.session.scalars(
            select(ProspectReview)
            .options(joinedload(ProspectReview.supervisor))
            .where(ProspectReview.id.in_({r[0] for r in rows}))
        )
    }
    orgs = {o.id: o for o in db.session.scalars(select(CollectionOrg))}
    return [
        Handover(reviews[review_id], orgs.get(org_id), count, enrolled, last)
        for review_id, org_id, count, enrolled, last in rows
    ]


def handover_items(review: ProspectReview, org_id: int | None) -> list[tuple[ReviewItem, date]]:
    """The households of one hand-over, with the date each enrolled (if it did)."""
    first = (
        select(func.min(Enrollment.enrolled_on))
        .where(Enrollment.household_id == ReviewItem.household_id, Enrollment.deleted_at.is_(None))
        .scalar_subquery()
    )
    query = (
        select(ReviewItem, first)
        .options(
            joinedload(ReviewItem.household).joinedload(Household.area),
            joinedload(ReviewItem.officer),
        )
        .where(
            ReviewItem.review_id == review.id,
            ReviewItem.collection_org_id.is_(None)
            if org_id is None
            else ReviewItem.collection_org_id == org_id,
        )
    )
    return [(item, enrolled) for item, enrolled in db.session.execute(query)]


def may_see_review(user: User, review: ProspectReview) -> bool:
    return sees_everyone(user) or review.supervisor_id == user.id
