"""Ways a supervisor fills a year of targets at once: spread a yearly value over its months or
quarters (evenly, by typed weights, or in the shape of last year's results), copy the previous
year, or apply one value to several officers. Each returns the TargetChanges to save; saving is
services.targets.set_targets (one transaction)."""

from __future__ import annotations

from .. import periods
from ..periods import Period
from ..progress import monthly_actuals
from ..progress.metrics import DEFAULT_SCHEME
from ..targets_math import spread
from .targets import TargetChange, explicit_targets


class PlanError(ValueError):
    def __init__(self, field_name: str, code: str):
        super().__init__(code)
        self.field = field_name
        self.code = code


def parts_of_year(year: int, grain: str) -> list[Period]:
    if grain == "quarter":
        return [periods.quarter(year, number) for number in range(1, 5)]
    return [periods.month(year, number) for number in range(1, 13)]


def parse_weights(text: str, count: int) -> list[float]:
    try:
        weights = [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError as error:
        raise PlanError("weights", "weights_not_numbers") from error
    if len(weights) != count or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise PlanError("weights", "weights_wrong_count")
    return weights


def spread_year(
    officer_ids: list[int],
    yearly: dict[int, int],
    metric: str,
    year: int,
    grain: str,
    method: str,
    weights_text: str = "",
    scheme: str = DEFAULT_SCHEME,
) -> list[TargetChange]:
    """The yearly target of each officer, and its parts over the months or quarters, in the
    grid's scheme (last year's shape is that scheme's too)."""
    parts = parts_of_year(year, grain)
    shapes: dict[int, list[float]] = {}
    if method == "weights":
        typed = parse_weights(weights_text, len(parts))
        shapes = dict.fromkeys(officer_ids, typed)
    elif method == "last_year":
        by_month = monthly_actuals(metric, year - 1, officer_ids, scheme)
        for officer_id, months in by_month.items():
            shapes[officer_id] = (
                months if grain == "month" else [sum(months[i : i + 3]) for i in range(0, 12, 3)]
            )
    changes = []
    for officer_id in officer_ids:
        if officer_id not in yearly:
            raise PlanError("yearly", "yearly_missing")
        total = yearly[officer_id]
        values = spread(total, shapes.get(officer_id, [1.0] * len(parts)))
        changes.append(
            TargetChange("officer", officer_id, metric, periods.year(year), total, scheme=scheme)
        )
        changes += [
            TargetChange("officer", officer_id, metric, part, value, scheme=scheme)
            for part, value in zip(parts, values, strict=True)
        ]
    return changes


def copy_previous_year(
    officer_ids: list[int], metric: str, year: int, scheme: str = DEFAULT_SCHEME
) -> list[TargetChange]:
    """Last year's explicit targets (year, quarters, months) of a scheme moved to the same parts
    of this one."""
    changes = []
    for (officer_id, key), target in explicit_targets(
        "officer", officer_ids, metric, year - 1, scheme
    ).items():
        moved = periods.parse(str(year) + key[4:])
        changes.append(
            TargetChange("officer", officer_id, metric, moved, target.value, scheme=scheme)
        )
    return sorted(changes, key=lambda c: (c.subject_id, c.period.start, -c.period.days))


def apply_value(
    officer_ids: list[int], metric: str, period: Period, value: int, scheme: str = DEFAULT_SCHEME
) -> list[TargetChange]:
    return [
        TargetChange("officer", officer_id, metric, period, value, scheme=scheme)
        for officer_id in officer_ids
    ]
