"""Ways a supervisor fills a year of targets at once: spread a yearly value over its months or
quarters (evenly, by typed weights, or in the shape of last year's results), copy the previous
year, or apply one value to several officers. Each returns the TargetChanges to save; the grid
shows them first as a preview (old → new, and what cannot be written), and saving is
services.targets.set_targets (one transaction) once the supervisor confirms, if the grid has not
changed since the preview (its fingerprint)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .. import periods
from ..errors import RuleBroken
from ..models import Target, User
from ..periods import Period
from ..progress import monthly_actuals
from ..progress.metrics import DEFAULT_SCHEME
from ..targets_math import spread
from .targets import TargetChange, explicit_targets, validate


def parts_of_year(year: int, grain: str) -> list[Period]:
    if grain == "quarter":
        return [periods.quarter(year, number) for number in range(1, 5)]
    return [periods.month(year, number) for number in range(1, 13)]


def parse_weights(text: str, count: int) -> list[float]:
    """One weight per column. Separated by semicolons, a weight may use a decimal comma
    ("1,5; 1; 1", as Vietnamese write it); without a semicolon, commas separate ("1.5, 1, 1")."""
    parts = text.replace(",", ".").split(";") if ";" in text else text.split(",")
    try:
        weights = [float(part) for part in parts if part.strip()]
    except ValueError as error:
        raise RuleBroken("weights", "weights_not_numbers") from error
    if len(weights) != count or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise RuleBroken("weights", "weights_wrong_count")
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
            raise RuleBroken("yearly", "yearly_missing")
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


@dataclass(frozen=True)
class PlannedCell:
    """One target a plan would write: what the grid holds now (None: nothing set for exactly
    that period) and why it cannot be written, if it cannot (a RuleBroken code)."""

    change: TargetChange
    old: int | None
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.change.value


@dataclass(frozen=True)
class Preview:
    """What a plan would write into a grid, and the grid's fingerprint when it was shown."""

    cells: dict[tuple[int, str], PlannedCell]
    basis: str

    @property
    def changing(self) -> list[PlannedCell]:
        return [cell for cell in self.cells.values() if cell.changed]

    @property
    def problems(self) -> list[PlannedCell]:
        return [cell for cell in self.changing if cell.problem]

    @property
    def officer_ids(self) -> list[int]:
        return list(dict.fromkeys(officer_id for officer_id, _key in self.cells))


def fingerprint(existing: dict[tuple[int, str], Target]) -> str:
    """Which versions of the grid's targets are current: any target saved since (here or in
    another tab, by anyone) changes it."""
    versions = sorted(f"{key[0]}:{key[1]}:{target.id}" for key, target in existing.items())
    return hashlib.sha256(",".join(versions).encode()).hexdigest()


def preview(
    actor: User, changes: list[TargetChange], existing: dict[tuple[int, str], Target]
) -> Preview:
    """The plan against the grid as it is, each changing cell checked as saving would check it
    (a closed month, another supervisor's officer): nothing is written."""
    cells = {}
    for change in changes:
        current = existing.get((change.subject_id, change.period.key))
        cell = PlannedCell(change, current.value if current is not None else None)
        if cell.changed:
            try:
                validate(actor, change)
            except RuleBroken as error:
                cell = PlannedCell(change, cell.old, error.code)
        cells[(change.subject_id, change.period.key)] = cell
    return Preview(cells, fingerprint(existing))
