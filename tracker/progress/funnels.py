"""The funnel from contact to enrollment (docs/design.md, "The funnel"), counted by household so
that each step is a subset of the one before it: the households contacted in the period; of
those, the ones a contact in the period found interested (or enrolling); of those, the ones
that enrolled in the scheme within the period. A funnel of contacts, households and
enrollments counted apart is not one (an enrollment need not follow a contact of the same
period, nor name a household), and showed 21 enrolled out of 16 interested."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, exists, func, select

from ..models import Contact, Enrollment
from ..periods import Period
from ..vocab import INTERESTED_OUTCOMES
from .metrics import DEFAULT_SCHEME
from .sql import fetch

STEPS = ("contacted", "interested", "enrolled")
SUBJECTS = {"officer_id": Contact.officer_id, "area_id": Contact.area_id}


def funnel(
    period: Period,
    by: str,
    ids: Iterable[int] | None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[str, int]:
    """{step: households} for the contacts of some officers or areas (by = officer_id or
    area_id; ids None: everyone's), in one query. An enrollment counts whoever recorded it: the
    funnel follows the households an officer or an area worked on."""
    enrolled = exists().where(
        Enrollment.household_id == Contact.household_id,
        Enrollment.deleted_at.is_(None),
        Enrollment.scheme == scheme,
        Enrollment.enrolled_on.between(period.start, period.end),
    )
    interested = Contact.outcome.in_(INTERESTED_OUTCOMES)
    household = Contact.household_id
    query = select(
        func.count(household.distinct()),
        func.count(case((interested, household)).distinct()),
        func.count(case((and_(interested, enrolled), household)).distinct()),
    ).where(
        Contact.deleted_at.is_(None),
        household.is_not(None),
        Contact.contacted_on.between(period.start, period.end),
    )
    if ids is not None:
        query = query.where(SUBJECTS[by].in_(list(ids)))
    counts = fetch(query).one()
    return dict(zip(STEPS, counts, strict=True))
