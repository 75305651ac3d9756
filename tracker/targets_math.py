"""How the targets set for some periods become the target of another period (DESIGN.md).

A flow target (enrollments, contacts) spreads pro rata by days over any part of its period,
unless a finer target (a month beside a year) was set explicitly for that part. A stock target
(participants at the period's end) is a level: for a shorter period, the growth it asks for is
spread from the target period's start.
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
    """The target for `period`, or None when no target touches it."""
    for target in targets:  # dates compared directly: a national board does this 20,000 times
        if target.period_start == period.start and target.period_end == period.end:
            return float(target.value)
    uncovered = [period]
    total, touched = 0.0, False
    for target in _finest_first(targets):
        span = _span(target)
        remaining = []
        for gap in uncovered:
            start, end = max(gap.start, span.start), min(gap.end, span.end)
            if start > end:
                remaining.append(gap)
                continue
            touched = True
            total += target.value * ((end - start).days + 1) / span.days
            if gap.start < start:
                remaining.append(Period(gap.start, start - timedelta(days=1)))
            if end < gap.end:
                remaining.append(Period(end + timedelta(days=1), gap.end))
        uncovered = remaining
    return total if touched else None


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
