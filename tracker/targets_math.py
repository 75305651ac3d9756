"""How the targets set for some periods become the target of another period (docs/design.md,
"Targets").

A flow target (enrollments, contacts) is a whole: the finer targets set explicitly inside it (a
month beside a year) take their part of it, and what remains is spread over its other days,
pro rata by days. So the months and quarters of a year always add up to the year's target (as
long as the finer targets do not ask for more than the whole). A stock target (participants at
the period's end) is a level: for a shorter period, the growth it asks for is spread from the
target period's start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from .periods import Period


class TargetLike(Protocol):
    period_start: date
    period_end: date
    value: int


def _span(target: TargetLike) -> Period:
    return Period(target.period_start, target.period_end)


def _finest_first(targets: list[TargetLike]) -> list[TargetLike]:
    return sorted(targets, key=lambda t: (_span(t).days, t.period_start))


def compose_flow_target(targets: list[TargetLike], period: Period) -> float | None:
    """The target for `period`, or None when no target touches it. Every day of the period
    takes the daily rate of the finest target that holds it; a target's daily rate is what
    remains of it after the finer targets inside it, over the days they leave."""
    for target in targets:  # dates compared directly: a national board does this 20,000 times
        if target.period_start == period.start and target.period_end == period.end:
            return float(target.value)
    ordered = _finest_first(targets)
    uncovered = [period]
    total, touched = 0.0, False
    for index, target in enumerate(ordered):
        span = _span(target)
        remaining = []
        for gap in uncovered:
            start, end = max(gap.start, span.start), min(gap.end, span.end)
            if start > end:
                remaining.append(gap)
                continue
            touched = True
            total += _daily_rate(target, ordered[:index]) * ((end - start).days + 1)
            if gap.start < start:
                remaining.append(Period(gap.start, start - timedelta(days=1)))
            if end < gap.end:
                remaining.append(Period(end + timedelta(days=1), gap.end))
        uncovered = remaining
    return total if touched else None


def _daily_rate(target: TargetLike, finer: list[TargetLike]) -> float:
    """What remains of the target after the finer targets inside it, per day they leave."""
    span = _span(target)
    inside = [t for t in finer if span.start <= t.period_start and t.period_end <= span.end]
    outermost = [
        t
        for t in inside
        if not any(
            o is not t
            and o.period_start <= t.period_start
            and t.period_end <= o.period_end
            and _span(o).days > _span(t).days
            for o in inside
        )
    ]
    free_days = span.days - sum(_span(t).days for t in outermost)
    if free_days <= 0:
        return 0.0
    return max(target.value - sum(t.value for t in outermost), 0) / free_days


def compose_stock_target(
    targets: list[TargetLike], period: Period, baseline_of: Callable[[TargetLike], int | None]
) -> float | None:
    """The participants asked for on the period's last day."""
    containing = [t for t in _finest_first(targets) if _span(t).contains(period.end)]
    if not containing:
        return None
    target = containing[0]
    span = _span(target)
    if span == period or period.end == span.end:
        return float(target.value)
    baseline = baseline_of(target)
    if baseline is None:
        return None
    elapsed = (period.end - span.start).days + 1
    return baseline + (target.value - baseline) * elapsed / span.days


def spread(total: int, weights: list[float]) -> list[int]:
    """Whole numbers proportional to `weights` that add up to exactly `total` (largest
    remainder); equal weights when all are zero."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1.0] * len(weights)
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts
