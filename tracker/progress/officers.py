"""Officers side by side (the team page, one officer's numbers, the best and worst five),
built from the flow queries; the leaderboards (leaderboards.py) rank with the same helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..periods import Period, working_days_between
from .core import Progress, Row, evaluate, rank_key
from .flows import flow_activity, flow_actuals, flow_targets, last_contact_dates
from .metrics import DEFAULT_SCHEME, FLOW_METRICS


def officer_board(
    period: Period,
    metric: str,
    officers: dict[int, str],
    today: date,
    actuals: dict[int, int] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> list[Row]:
    """Officers ranked on a flow metric, with their progress: three queries at most, whatever
    the number of officers (none for the actuals when the caller has them)."""
    order, targets, actuals = rank_order(period, metric, officers, actuals, scheme)
    return [
        Row(
            i, officers[i], evaluate(metric, period, today, targets.get(i), actuals.get(i, 0)), rank
        )
        for rank, i in enumerate(order, start=1)
    ]


def rank_order(
    period: Period,
    metric: str,
    officers: dict[int, str],
    actuals: dict[int, int] | None = None,
    scheme: str = DEFAULT_SCHEME,
):
    """Officer ids in rank_key order, with the targets and actuals that ordered them, without
    building each officer's progress (a country ranks 20,000)."""
    targets = flow_targets("officer", metric, period, officers, scheme)
    if actuals is None:
        actuals = flow_actuals(metric, period, "officer_id", officers, scheme)

    def key(officer_id: int) -> tuple:
        actual, target = actuals.get(officer_id, 0), targets.get(officer_id)
        return rank_key(
            actual / target if target else None, actual, officers[officer_id], officer_id
        )

    return sorted(officers, key=key), targets, actuals


def officer_positions(
    period: Period, metric: str, officers: dict[int, str], today: date, scheme=DEFAULT_SCHEME
) -> dict[int, int]:
    """{officer id: rank} on a flow metric, as officer_board ranks them: the previous period's
    ranks of a leaderboard."""
    order, _targets, _actuals = rank_order(period, metric, officers, None, scheme)
    return {officer_id: rank for rank, officer_id in enumerate(order, 1)}


@dataclass(frozen=True)
class Extremes:
    """The dashboard's best and worst officers. Both lists are of officers with a target (an
    officer without one has no attainment to rank on), and no officer is in both: the bottom
    holds `count` officers once at least twice `count` have a target, and the rest of them, fewer,
    before that. The counts let the page say why a list is short."""

    top: list[Row]
    bottom: list[Row]
    with_target: int
    without_target: int


def officer_extremes(
    period: Period,
    metric: str,
    officers: dict[int, str],
    today: date,
    count: int,
    scheme: str = DEFAULT_SCHEME,
) -> Extremes:
    """The first and the last `count` officers with a target, best and worst first, with their
    progress: the dashboard's top and bottom, built for those officers only."""
    order, targets, actuals = rank_order(period, metric, officers, None, scheme)
    ranks = {officer_id: rank for rank, officer_id in enumerate(order, 1)}
    with_target = [i for i in order if targets.get(i) is not None]

    def row(officer_id: int) -> Row:
        progress = evaluate(
            metric, period, today, targets.get(officer_id), actuals.get(officer_id, 0)
        )
        return Row(officer_id, officers[officer_id], progress, ranks[officer_id])

    return Extremes(
        top=[row(i) for i in with_target[:count]],
        bottom=[row(i) for i in reversed(with_target[count:][-count:])],
        with_target=len(with_target),
        without_target=len(order) - len(with_target),
    )


def officer_progress(
    officer_id: int,
    period: Period,
    today: date,
    scheme: str = DEFAULT_SCHEME,
    metrics: tuple[str, ...] = FLOW_METRICS,
) -> dict[str, Progress]:
    """Flow metrics of one officer (all by default): the numbers of the officer page and the
    API; Today asks for the one it shows (each metric is a targets query)."""
    actuals = flow_activity(metrics, period, "officer_id", [officer_id], scheme)
    return {
        metric: evaluate(
            metric,
            period,
            today,
            flow_targets("officer", metric, period, [officer_id], scheme).get(officer_id),
            actuals[metric].get(officer_id, 0),
        )
        for metric in metrics
    }


PACE_ORDER = {"behind": 0, "on_track": 1, "ahead": 2, None: 3}
IDLE_AFTER_WORKING_DAYS = 3


@dataclass(frozen=True)
class TeamRow:
    officer_id: int
    name: str
    progress: Progress
    contacts_this_week: int
    last_contact: date | None
    idle_working_days: int | None

    @property
    def idle(self) -> bool:
        """No contact for more than three working days (or none at all) needs a look."""
        return self.idle_working_days is None or self.idle_working_days > IDLE_AFTER_WORKING_DAYS


def team_board(
    period: Period,
    metric: str,
    officers: dict[int, str],
    today: date,
    scheme: str = DEFAULT_SCHEME,
) -> list[TeamRow]:
    """The supervisor's view: worst pace first. Four queries, whatever the team's size."""
    board = officer_board(period, metric, officers, today, None, scheme)
    week = Period(today - timedelta(days=today.weekday()), today)
    this_week = flow_actuals("contacts", week, "officer_id", officers)
    last = last_contact_dates(officers)
    rows = [
        TeamRow(
            row.id,
            row.name,
            row.progress,
            this_week.get(row.id, 0),
            last.get(row.id),
            working_days_between(last[row.id], today) if row.id in last else None,
        )
        for row in board
    ]
    return sorted(
        rows,
        key=lambda r: (
            PACE_ORDER[r.progress.pace],
            r.progress.attainment if r.progress.attainment is not None else float("inf"),
            r.name,
        ),
    )
