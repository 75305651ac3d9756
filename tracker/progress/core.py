"""The rules that turn a target and an actual into attainment, expected, pace and forecast,
and the fixed order of a ranking. Pure functions: no database here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..collation import sort_key
from ..periods import Period
from .metrics import is_stock

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
        if is_stock(self.metric):
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
    stock = is_stock(metric)
    start = baseline if stock and baseline is not None else 0
    growth = actual - start
    forecast = start + growth / elapsed * days if elapsed else None
    attainment = actual / target if target else None
    if stock and baseline is None:
        # Without participants at the period's start, growth (and so pace) is unknown:
        # show the share of the total only, never a pace guessed from zero.
        return Progress(
            metric, target, actual, attainment, None, None, None, None, elapsed, remaining
        )
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
            baseline if stock else None,
        )
    expected_growth = (target - start) * elapsed / days
    growth_attainment = None
    if stock and baseline is not None and target != baseline:
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
        baseline=baseline if stock else None,
        growth_attainment=growth_attainment,
    )


@dataclass(frozen=True)
class Row:
    """A subject (officer, area or organization) with its progress and rank on a board."""

    id: int
    name: str
    progress: Progress
    rank: int = 0


def rank_key(attainment: float | None, actual: float, name: str, subject_id: int) -> tuple:
    """The order of docs/design.md, "Progress rules": attainment, then actual, then name; rows
    without a target last."""
    return (attainment is None, -(attainment or 0.0), -actual, sort_key(name), subject_id)


def ranked(rows: list[Row]) -> list[Row]:
    """Rows in rank_key order, numbered from 1."""
    ordered = sorted(
        rows, key=lambda r: rank_key(r.progress.attainment, r.progress.actual, r.name, r.id)
    )
    return [
        Row(row.id, row.name, row.progress, position)
        for position, row in enumerate(ordered, start=1)
    ]
