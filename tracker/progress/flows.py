"""Flow metrics (new participants, contacts, households reached) and the targets set for them,
as GROUP BY queries: one query answers for every officer, area or organization at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from ..models import Contact, Enrollment, Target, User
from ..periods import Period
from ..targets_math import compose_flow_target
from ..vocab import INTERESTED_OUTCOMES
from . import summary
from .sql import fetch, only_ids


def _flow_query(metric: str, group_column: str, period: Period):
    """SELECT key, count … for a flow metric, grouped by officer_id, area_id or org."""
    if metric == "new_participants":
        model, day = Enrollment, Enrollment.enrolled_on
        measure = func.count()
    else:
        model, day = Contact, Contact.contacted_on
        measure = (
            func.count() if metric == "contacts" else func.count(Contact.household_id.distinct())
        )
    key = getattr(model, group_column)
    return (
        select(key, measure)
        .where(model.deleted_at.is_(None), day.between(period.start, period.end))
        .group_by(key)
    ), key


def flow_actuals(
    metric: str, period: Period, by: str = "officer_id", ids: Iterable[int] | None = None
) -> dict[int, int]:
    """{officer, area or org id: count} for new_participants, contacts or households_reached:
    from the summary for a calendar period by officer or area, live otherwise."""
    return flow_activity([metric], period, by, ids)[metric]


def flow_activity(
    metrics: Iterable[str], period: Period, by: str = "officer_id", ids=None
) -> dict[str, dict[int, int]]:
    """{metric: {id: count}} for several flow metrics: one query from the summary."""
    ids = list(ids) if ids is not None else None
    if summary.covers(period, by):
        return summary.activity(metrics, period, by, ids)
    return {metric: live_flow_actuals(metric, period, by, ids) for metric in metrics}


def live_flow_actuals(
    metric: str, period: Period, by: str = "officer_id", ids: Iterable[int] | None = None
) -> dict[int, int]:
    """The same counts read from contacts and enrollments themselves."""
    query, key = _flow_query(metric, by, period)
    if ids is not None:
        query = query.where(key.in_(list(ids)))
    return {row[0]: row[1] for row in fetch(query) if row[0] is not None}


# Targets -----------------------------------------------------------------------------------

SUBJECT_COLUMNS = {
    "officer": Target.officer_id,
    "area": Target.area_id,
    "collection_org": Target.collection_org_id,
}


def current_targets(
    subject: str,
    metric: str,
    period: Period,
    ids: Iterable[int] | None = None,
    exact_wins: bool = False,
) -> dict[int, list]:
    """Current versions of the targets touching the period, by subject id. Plain rows, not
    Target objects: a province board reads thousands and only needs three columns.

    With exact_wins (flow targets: compose_flow_target), a target set for exactly this period
    is the whole answer, so those are read first and the overlapping ones only for subjects
    without one: a year board of 300 officers reads 300 rows, not 3,900 years and months."""
    column = SUBJECT_COLUMNS[subject]
    ids = list(ids) if ids is not None else None
    current = (Target.subject == subject, Target.metric == metric, Target.replaced_at.is_(None))
    columns = (column, Target.period_start, Target.period_end, Target.value)
    found: dict[int, list] = {}
    if exact_wins:
        exact = select(*columns).where(
            *current, Target.period_start == period.start, Target.period_end == period.end
        )
        exact, keep = only_ids(exact, column, ids)
        found = {row[0]: [row] for row in fetch(exact) if keep is None or row[0] in keep}
    overlapping = select(*columns).where(
        *current, Target.period_start <= period.end, Target.period_end >= period.start
    )
    wanted = None if ids is None else [i for i in ids if i not in found]
    if wanted == []:
        return found
    overlapping, keep = only_ids(overlapping, column, wanted)
    settled = set(found)
    for row in fetch(overlapping):
        if row[0] not in settled and (keep is None or row[0] in keep):
            found.setdefault(row[0], []).append(row)
    return found


def flow_targets(
    subject: str, metric: str, period: Period, ids: Iterable[int] | None = None
) -> dict[int, float | None]:
    rows = current_targets(subject, metric, period, ids, exact_wins=True)
    return {
        subject_id: compose_flow_target(targets, period) for subject_id, targets in rows.items()
    }


def last_contact_dates(officer_ids: Iterable[int]) -> dict[int, date]:
    """{officer id: day of the latest live contact}. One max() per officer, which both
    databases answer by reading one index entry; a GROUP BY would read every contact of the
    team (100 ms for a team at ten million contacts)."""
    latest = (
        select(func.max(Contact.contacted_on))
        .where(Contact.officer_id == User.id, Contact.deleted_at.is_(None))
        .scalar_subquery()
    )
    query = select(User.id, latest).where(User.id.in_(list(officer_ids)))
    return {officer_id: day for officer_id, day in fetch(query) if day is not None}


def monthly_actuals(metric: str, year: int, officer_ids: Iterable[int]) -> dict[int, list[int]]:
    """{officer id: [January … December counts]} of a flow metric, in one query."""
    return summary.monthly(metric, year, officer_ids)


def _day_column(metric: str):
    return Enrollment.enrolled_on if metric == "new_participants" else Contact.contacted_on


def daily_actuals(
    metric: str, period: Period, by: str | None = None, ids: Iterable[int] | None = None
) -> dict[date, int]:
    """{day: count} of a flow metric for some officers, areas or orgs together (burn-ups and
    the activity calendar): at most one row per day of the period."""
    model = Enrollment if metric == "new_participants" else Contact
    day = _day_column(metric)
    measure = (
        func.count()
        if metric != "households_reached"
        else func.count(Contact.household_id.distinct())
    )
    query = (
        select(day, measure)
        .where(model.deleted_at.is_(None), day.between(period.start, period.end))
        .group_by(day)
    )
    if by is not None and ids is not None:
        query = query.where(getattr(model, by).in_(list(ids)))
    return {row[0]: row[1] for row in fetch(query)}


def interested_households(
    period: Period, by: str = "officer_id", ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Distinct households whose contact in the period showed interest or enrolled: the middle
    step of the funnel contacts → interested → enrolled."""
    if summary.covers(period, by):
        return summary.activity(["interested_households"], period, by, ids)["interested_households"]
    return live_interested_households(period, by, ids)


def live_interested_households(
    period: Period, by: str = "officer_id", ids: Iterable[int] | None = None
) -> dict[int, int]:
    key = getattr(Contact, by)
    query = (
        select(key, func.count(Contact.household_id.distinct()))
        .where(
            Contact.deleted_at.is_(None),
            Contact.contacted_on.between(period.start, period.end),
            Contact.outcome.in_(INTERESTED_OUTCOMES),
        )
        .group_by(key)
    )
    if ids is not None:
        query = query.where(key.in_(list(ids)))
    return {row[0]: row[1] for row in fetch(query) if row[0] is not None}
