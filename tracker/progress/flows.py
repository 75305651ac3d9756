"""Flow metrics and the targets set for them, as GROUP BY queries: one query answers for every
officer, area or organization at once. What each metric counts is its declaration
(progress/metrics.py); this module only knows how to count a declaration."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from ..data_versions import memoized
from ..models import Contact, Target, User
from ..periods import Period
from ..services.settings import credit_rests_on_confirmed
from ..targets_math import compose_flow_target
from . import lapse_book, summary
from .metrics import DEFAULT_SCHEME, Metric, condition, credited, metric
from .sql import fetch, only_ids


def _source(item: Metric, period: Period):
    """(day column, key getter, filters, measure) of a flow over its records or events (those
    of the period, for events computed from other rows)."""
    if item.model is not None:
        table = item.model
        columns = {column.key: column for column in table.__table__.columns}
        live = [table.deleted_at.is_(None), condition(item, table)]
    else:
        events = item.source(period.start, period.end)
        columns = dict(events.c.items())
        live = []
    measure = func.count(columns[item.distinct].distinct()) if item.distinct else func.count()
    return columns[item.day], columns, live, measure


def _flow_query(item: Metric, group_column: str, period: Period):
    """SELECT key, count … of one flow, grouped by officer_id, area_id or collection_org_id."""
    day, columns, live, measure = _source(item, period)
    key = columns[group_column]
    query = select(key, measure).where(*live, day.between(period.start, period.end))
    return query.group_by(key), key


def flow_actuals(
    code: str,
    period: Period,
    by: str = "officer_id",
    ids: Iterable[int] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[int, int]:
    """{officer, area or org id: count} of one flow metric in the period."""
    return flow_activity([code], period, by, ids, scheme)[code]


def flow_activity(
    codes: Iterable[str],
    period: Period,
    by: str = "officer_id",
    ids=None,
    scheme=DEFAULT_SCHEME,
    credit: bool = True,
) -> dict[str, dict[int, int]]:
    """{code: {id: count}} for several flow metrics: the kept ones in one query of the summary
    when it holds the period, the others counted live; derived ones from their parts. Officers
    get what they are credited with (metrics.credited) unless `credit` is False: what they
    reported."""
    ids = list(ids) if ids is not None else None
    wanted = [metric(code, scheme) for code in codes]
    needed = {part: metric(part, scheme) for item in wanted for part, _sign in item.parts}
    plain = {item.code: item for item in [*wanted, *needed.values()] if item.kind == "flow"}
    if credit and by == "officer_id" and "new_participants" in plain:  # read only then
        confirmed_only = credit_rests_on_confirmed()
        plain = {code: credited(item, by, confirmed_only) for code, item in plain.items()}
    kept = [item for item in plain.values() if item.kept and summary.covers(period, by)]
    through = lapse_book.kept_through() if any(not i.records for i in kept) else None
    kept = [item for item in kept if lapse_book.reads_kept(item, through)]
    found: dict[str, dict[int, int]] = {}
    if kept:
        columns = summary.activity([item.kept for item in kept], period, by, ids)
        found.update({code: columns[item.kept] for code, item in plain.items() if item in kept})
    for code, item in plain.items():
        unbooked = lapse_book.tail(item, period, through) if item in kept and through else None
        if unbooked is not None:  # the lapses of the days the job has not booked yet
            counts = dict(found[code])
            for key, count in live_flow(item, unbooked, by, ids).items():
                counts[key] = counts.get(key, 0) + count
            found[code] = {key: value for key, value in counts.items() if value}
    for code, item in plain.items():
        if code not in found:
            found[code] = live_flow(item, period, by, ids)
    for item in wanted:
        if item.kind == "derived":
            total: dict[int, int] = {}
            for part, sign in item.parts:
                for subject_id, count in found[part].items():
                    total[subject_id] = total.get(subject_id, 0) + sign * count
            found[item.code] = {key: value for key, value in total.items() if value}
    return {item.code: found[item.code] for item in wanted}


def live_flow(item: Metric, period: Period, by: str, ids: Iterable[int] | None = None):
    """One flow counted from its records or events, not the kept counts."""
    if item.kind == "derived":
        total: dict[int, int] = {}
        for part, sign in item.parts:
            for key, count in live_flow(metric(part, item.scheme), period, by, ids).items():
                total[key] = total.get(key, 0) + sign * count
        return {key: value for key, value in total.items() if value}
    query, key = _flow_query(item, by, period)
    if ids is not None:
        query = query.where(key.in_(list(ids)))
    return {row[0]: row[1] for row in fetch(query) if row[0] is not None}


def live_flow_actuals(
    code: str,
    period: Period,
    by: str = "officer_id",
    ids: Iterable[int] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[int, int]:
    """The same counts read from the records themselves (tests hold kept equal to these)."""
    return live_flow(metric(code, scheme), period, by, ids)


# Targets -----------------------------------------------------------------------------------

SUBJECT_COLUMNS = {
    "officer": Target.officer_id,
    "area": Target.area_id,
    "collection_org": Target.collection_org_id,
}


def current_targets(
    subject: str,
    code: str,
    period: Period,
    ids: Iterable[int] | None = None,
    exact_wins: bool = False,
    scheme: str = DEFAULT_SCHEME,
) -> dict[int, list]:
    """Current versions of the targets touching the period, by subject id. Plain rows, not
    Target objects: a province board reads thousands and only needs three columns.

    With exact_wins (flow targets: compose_flow_target), a target set for exactly this period
    is the whole answer, so those are read first and the overlapping ones only for subjects
    without one: a year board of 300 officers reads 300 rows, not 3,900 years and months."""
    column = SUBJECT_COLUMNS[subject]
    ids = list(ids) if ids is not None else None
    current = (
        Target.subject == subject,
        Target.metric == code,
        Target.scheme == metric(code, scheme).target_scheme,
        Target.replaced_at.is_(None),
    )
    # A pinned closed month counts with its exact share (services/target_locks.py).
    value = func.coalesce(Target.exact_value, Target.value).label("value")
    columns = (column, Target.period_start, Target.period_end, value)
    found: dict[int, list] = {}
    if exact_wins:
        exact = select(*columns).where(
            *current, Target.period_start == period.start, Target.period_end == period.end
        )
        exact, keep = only_ids(exact, column, ids)
        found = {row[0]: [row] for row in fetch(exact) if keep is None or row[0] in keep}
    # Every target of the years the period lies in: a year's target is a whole whose finer
    # targets take their part of it, wherever they lie (targets_math.compose_flow_target).
    first, last = date(period.start.year, 1, 1), date(period.end.year, 12, 31)
    overlapping = select(*columns).where(
        *current, Target.period_start <= last, Target.period_end >= first
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


@memoized()  # targets are global: any target written moves every board's
def flow_targets(
    subject: str,
    code: str,
    period: Period,
    ids: Iterable[int] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[int, float | None]:
    rows = current_targets(subject, code, period, ids, exact_wins=True, scheme=scheme)
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


def monthly_actuals(
    code: str, year: int, officer_ids: Iterable[int], scheme: str = DEFAULT_SCHEME
) -> dict[int, list[int]]:
    """{officer id: [January … December counts]} of a flow metric: one query of the kept
    counts, or one per month for the metrics counted live."""
    from ..periods import month
    from ..periods import year as periods_year

    item, officer_ids = metric(code, scheme), list(officer_ids)
    through = lapse_book.kept_through() if item.kept and not item.records else None
    if item.kept and lapse_book.reads_kept(item, through):
        if lapse_book.tail(item, periods_year(year), through) is None:
            return summary.monthly(item.kept, year, officer_ids)
    result = {officer_id: [0] * 12 for officer_id in officer_ids}
    for number in range(1, 13):
        counts = flow_actuals(code, month(year, number), "officer_id", officer_ids, scheme)
        for officer_id, count in counts.items():
            result[officer_id][number - 1] = count
    return result


def daily_actuals(
    code: str,
    period: Period,
    by: str | None = None,
    ids: Iterable[int] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[date, int]:
    """{day: count} of a flow metric for some officers, areas or orgs together (burn-ups and
    the activity calendar): at most one row per day of the period."""
    item = metric(code, scheme)
    if item.kind == "derived":
        total: dict[date, int] = {}
        for part, sign in item.parts:
            for day, count in daily_actuals(part, period, by, ids, scheme).items():
                total[day] = total.get(day, 0) + sign * count
        return total
    day, columns, live, measure = _source(item, period)
    query = select(day, measure).where(*live, day.between(period.start, period.end)).group_by(day)
    if by is not None and ids is not None:
        query = query.where(columns[by].in_(list(ids)))
    return {row[0]: row[1] for row in fetch(query)}
