"""Every aggregate the app shows about progress, computed in SQL (DESIGN.md, "Progress rules").

Plain functions over a Period return dataclasses; views, the API, exports and charts all call
these and nothing else. Each function runs a fixed number of queries, whatever the number of
officers or areas: counts are GROUP BY queries; only target definitions and area trees (a few
rows each) are combined in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from .extensions import db
from .models import Area, Contact, Enrollment, ParticipantCount, Target
from .periods import Period
from .targets_math import compose_flow_target, compose_stock_target
from .vocab import STOCK_METRICS

FLOW_METRICS = ("new_participants", "contacts", "households_reached")
ON_TRACK_SHARE = 0.9  # at least 90 % of expected is "on track"; below is "behind"


@dataclass(frozen=True)
class Progress:
    """One subject's numbers for one metric and period. None means "no target", never 0 %."""

    metric: str
    target: float | None
    actual: int
    attainment: float | None
    expected: float | None
    pace: str | None  # ahead, on_track, behind
    forecast: float | None
    needed_per_day: float | None
    elapsed_days: int
    remaining_days: int
    baseline: int | None = None  # stock metrics: participants the day before the period
    growth_attainment: float | None = None  # stock metrics: share of the growth asked for

    def as_dict(self) -> dict:
        keys = ("target", "actual", "attainment", "expected", "pace", "forecast", "needed_per_day")
        values = {key: getattr(self, key) for key in keys}
        if self.metric in STOCK_METRICS:
            values.update(baseline=self.baseline, growth_attainment=self.growth_attainment)
        return values


def pace_of(actual: float, expected: float | None) -> str | None:
    if expected is None:
        return None
    if actual >= expected:
        return "ahead"
    return "on_track" if actual >= ON_TRACK_SHARE * expected else "behind"


def evaluate(
    metric: str,
    period: Period,
    today: date,
    target: float | None,
    actual: int,
    baseline: int | None = None,
) -> Progress:
    """Attainment, expected to date, pace and forecast from a target and an actual.

    For a flow the period starts from zero; for a stock (participants_total) it starts from the
    baseline, and pace and forecast judge the growth, which is the honest measure.
    """
    elapsed, days = period.elapsed_days(today), period.days
    remaining = days - elapsed
    start = baseline if metric in STOCK_METRICS and baseline is not None else 0
    growth = actual - start
    forecast = start + growth / elapsed * days if elapsed else None
    attainment = actual / target if target else None
    if target is None:
        return Progress(
            metric,
            None,
            actual,
            None,
            None,
            None,
            forecast,
            None,
            elapsed,
            remaining,
            baseline if metric in STOCK_METRICS else None,
        )
    expected_growth = (target - start) * elapsed / days
    growth_attainment = None
    if metric in STOCK_METRICS and baseline is not None and target != baseline:
        growth_attainment = growth / (target - baseline)
    needed = max(target - actual, 0) / remaining if remaining else None
    return Progress(
        metric=metric,
        target=target,
        actual=actual,
        attainment=attainment if target else None,
        expected=start + expected_growth,
        pace=pace_of(growth, expected_growth),
        forecast=forecast,
        needed_per_day=needed,
        elapsed_days=elapsed,
        remaining_days=remaining,
        baseline=baseline if metric in STOCK_METRICS else None,
        growth_attainment=growth_attainment,
    )


# Actuals -----------------------------------------------------------------------------------


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
    """{officer, area or org id: count} for new_participants, contacts or households_reached."""
    query, key = _flow_query(metric, by, period)
    if ids is not None:
        query = query.where(key.in_(list(ids)))
    return {row[0]: row[1] for row in db.session.execute(query) if row[0] is not None}


# Targets -----------------------------------------------------------------------------------

SUBJECT_COLUMNS = {
    "officer": Target.officer_id,
    "area": Target.area_id,
    "collection_org": Target.collection_org_id,
}


def current_targets(
    subject: str, metric: str, period: Period, ids: Iterable[int] | None = None
) -> dict[int, list[Target]]:
    """Current versions of the targets touching the period, by subject id (one query)."""
    column = SUBJECT_COLUMNS[subject]
    query = select(Target).where(
        Target.subject == subject,
        Target.metric == metric,
        Target.replaced_at.is_(None),
        Target.period_start <= period.end,
        Target.period_end >= period.start,
    )
    if ids is not None:
        query = query.where(column.in_(list(ids)))
    found: dict[int, list[Target]] = {}
    for target in db.session.scalars(query):
        found.setdefault(getattr(target, column.key), []).append(target)
    return found


def flow_targets(
    subject: str, metric: str, period: Period, ids: Iterable[int] | None = None
) -> dict[int, float | None]:
    rows = current_targets(subject, metric, period, ids)
    return {
        subject_id: compose_flow_target(targets, period) for subject_id, targets in rows.items()
    }


# Participants (stock) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Participants:
    """An area's participants on a date: the official count plus enrollments recorded since."""

    area_id: int
    on: date
    value: int | None
    official: int | None = None
    official_as_of: date | None = None
    added_since: int = 0

    @property
    def is_estimate(self) -> bool:
        return self.value is not None and (self.official_as_of != self.on or self.added_since > 0)


def _area_tree() -> tuple[dict[int, Area], dict[int | None, list[int]]]:
    areas = {area.id: area for area in db.session.scalars(select(Area))}
    children: dict[int | None, list[int]] = {}
    for area in areas.values():
        children.setdefault(area.parent_id, []).append(area.id)
    return areas, children


def descendants(area_id: int, children: dict[int | None, list[int]]) -> list[int]:
    """The area and everything below it."""
    result, stack = [], [area_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def participants_on(day: date, area_ids: Iterable[int] | None = None) -> dict[int, Participants]:
    """Participants of each area on `day`, by DESIGN.md's rule, in two queries (areas; counts
    with the enrollments since each, through a recursive closure of the area tree).

    An area with an official count on or before the day: that count plus the enrollments in the
    area (and below it) after the count, up to the day. Without one: the sum of its children.
    """
    areas, children = _area_tree()
    latest = (
        select(
            ParticipantCount.area_id,
            ParticipantCount.as_of,
            ParticipantCount.participants,
            func.row_number()
            .over(partition_by=ParticipantCount.area_id, order_by=ParticipantCount.as_of.desc())
            .label("recency"),
        )
        .where(ParticipantCount.as_of <= day)
        .subquery()
    )
    tree = select(Area.id.label("ancestor_id"), Area.id.label("area_id")).cte(recursive=True)
    tree = tree.union_all(
        select(tree.c.ancestor_id, Area.id).join(Area, Area.parent_id == tree.c.area_id)
    )
    counted = (
        select(
            latest.c.area_id,
            latest.c.as_of,
            latest.c.participants,
            func.count(Enrollment.id).label("added"),
        )
        .join(tree, tree.c.ancestor_id == latest.c.area_id)
        .outerjoin(
            Enrollment,
            (Enrollment.area_id == tree.c.area_id)
            & Enrollment.deleted_at.is_(None)
            & (Enrollment.enrolled_on > latest.c.as_of)
            & (Enrollment.enrolled_on <= day),
        )
        .where(latest.c.recency == 1)
        .group_by(latest.c.area_id, latest.c.as_of, latest.c.participants)
    )
    counts = {row.area_id: row for row in db.session.execute(counted)}
    result: dict[int, Participants] = {}

    def resolve(area_id: int) -> Participants:
        if area_id in result:
            return result[area_id]
        if area_id in counts:
            row = counts[area_id]
            value = Participants(
                area_id, day, row.participants + row.added, row.participants, row.as_of, row.added
            )
        else:
            parts = [resolve(child) for child in children.get(area_id, [])]
            known = [p for p in parts if p.value is not None]
            total = sum(p.value for p in known) if known else None
            added = sum(p.added_since for p in known)
            value = Participants(area_id, day, total, None, None, added)
        result[area_id] = value
        return value

    wanted = list(area_ids) if area_ids is not None else list(areas)
    return {area_id: resolve(area_id) for area_id in wanted if area_id in areas}


def stock_targets(period: Period, area_ids: Iterable[int] | None = None):
    """participants_total targets of areas for the period, interpolated where the period is
    shorter than the target's (growth spread pro rata from the target period's start)."""
    rows = current_targets("area", "participants_total", period, area_ids)
    starts = {t.period_start - timedelta(days=1) for targets in rows.values() for t in targets}
    baselines = {day: participants_on(day, rows.keys()) for day in starts}
    return {
        area_id: compose_stock_target(
            targets,
            period,
            lambda t, a=area_id: baselines[t.period_start - timedelta(days=1)][a].value,
        )
        for area_id, targets in rows.items()
    }


# People -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A subject (officer, area or organization) with its progress and rank on a board."""

    id: int
    name: str
    progress: Progress
    rank: int = 0


def ranked(rows: list[Row]) -> list[Row]:
    """DESIGN.md's order: attainment, then actual, then name; rows without a target last."""

    def key(row: Row):
        attainment = row.progress.attainment
        return (attainment is None, -(attainment or 0.0), -row.progress.actual, row.name, row.id)

    ordered = sorted(rows, key=key)
    return [
        Row(row.id, row.name, row.progress, position)
        for position, row in enumerate(ordered, start=1)
    ]


def officer_board(period: Period, metric: str, officers: dict[int, str], today: date) -> list[Row]:
    """Officers ranked on a flow metric: two queries, whatever the number of officers."""
    targets = flow_targets("officer", metric, period, officers)
    actuals = flow_actuals(metric, period, "officer_id", officers)
    rows = [
        Row(
            officer_id,
            name,
            evaluate(metric, period, today, targets.get(officer_id), actuals.get(officer_id, 0)),
        )
        for officer_id, name in officers.items()
    ]
    return ranked(rows)


def officer_progress(officer_id: int, period: Period, today: date) -> dict[str, Progress]:
    """All flow metrics of one officer: the numbers of the officer page, Today and the API."""
    result = {}
    for metric in FLOW_METRICS:
        target = flow_targets("officer", metric, period, [officer_id]).get(officer_id)
        actual = flow_actuals(metric, period, "officer_id", [officer_id]).get(officer_id, 0)
        result[metric] = evaluate(metric, period, today, target, actual)
    return result


def last_contact_dates(officer_ids: Iterable[int]) -> dict[int, date]:
    query = (
        select(Contact.officer_id, func.max(Contact.contacted_on))
        .where(Contact.deleted_at.is_(None), Contact.officer_id.in_(list(officer_ids)))
        .group_by(Contact.officer_id)
    )
    return dict(db.session.execute(query).all())


def working_days_between(earlier: date, later: date) -> int:
    """Monday-to-Friday days after `earlier`, up to and including `later`."""
    if later <= earlier:
        return 0
    whole_weeks, extra = divmod((later - earlier).days, 7)
    count = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (earlier + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def monthly_actuals(metric: str, year: int, officer_ids: Iterable[int]) -> dict[int, list[int]]:
    """{officer id: [January … December counts]} of a flow metric, in one query."""
    query, key = _flow_query(metric, "officer_id", Period(date(year, 1, 1), date(year, 12, 31)))
    day = Enrollment.enrolled_on if metric == "new_participants" else Contact.contacted_on
    month = func.extract("month", day)
    query = query.add_columns(month).group_by(month).where(key.in_(list(officer_ids)))
    result: dict[int, list[int]] = {officer_id: [0] * 12 for officer_id in officer_ids}
    for officer_id, count, month_number in db.session.execute(query):
        result[officer_id][int(month_number) - 1] = count
    return result
