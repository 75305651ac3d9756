"""The board of areas: the units of an office or a parent area ranked on a metric, in the units
of the period (those that existed in it) or re-expressed in today's units (units=current).

Re-expressed, a unit's figures for a period before it existed are its predecessors', by their
shares (docs/design.md, "Areas in time"); the scope's total stays its own, so a 2024 board of the
old city still adds up to the city's official figure however its wards were merged since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..collation import sort_key
from ..periods import Period
from .areas import stock_targets
from .core import evaluate
from .flows import flow_activity, flow_targets
from .leaderboards import Board, BoardRow, ranked_rows
from .metrics import DEFAULT_SCHEME, FLOW_METRICS, codes, is_stock, movement, stocks
from .participants import Participants, participants_on
from .scopes import Scope, area_scope
from .tree import AreaTree, area_tree

UNITS = ("period", "current")
# What a board of areas ranks on: participants, or any flow an officer is ranked on.
AREA_METRICS = (*codes(stocks()), *FLOW_METRICS)
# Every row shows these: net growth's parts side by side (new participants, returns, lapses),
# net growth itself, and the outreach behind them.
FLOW_COLUMNS = (*(item.code for item, _sign in movement()), "contacts")


@dataclass(frozen=True)
class _Figures:
    """One subject's numbers on a board: participants at the end and before the start, the
    flows of the period, and its target."""

    participants: float | None
    before: float | None
    estimated: bool
    flows: dict[str, float]
    target: float | None


def area_leaderboard(
    period: Period,
    metric: str,
    today: date,
    scope,
    units: str = "period",
    scheme: str = DEFAULT_SCHEME,
) -> Board:
    """The scope's units ranked on `metric` (a flow, or participants_total) of a scheme, with
    the scope's own total. `scope` is a Scope or an Area (its children)."""
    scope = scope if isinstance(scope, Scope) else area_scope(scope)
    tree = area_tree()
    measured_on = min(period.end, max(today, period.start))
    rows = scope.rows_in(tree, period)
    if units == "current":
        rows = _current_units(tree, rows)
    subjects = set(scope.covered) | set(rows)
    if units == "current":
        subjects |= {source for area_id in rows for source in tree.lineage(area_id)}
    reader = _Reader(tree, period, metric, measured_on, subjects, scheme)
    figures = {}
    for area_id in rows:
        if units == "current":
            figures[area_id] = reader.re_expressed(area_id)
        else:
            figures[area_id] = reader.combined({area_id: 1.0}, tree.last_day_in(area_id, period))
    total = _scope_figures(reader, scope, tree, period, measured_on)
    names = {i: tree.areas[i].name for i in rows}
    codes = {i: tree.areas[i].code for i in rows}
    progress_of = {i: _progress(metric, period, today, f) for i, f in figures.items()}
    extras = {i: _extra(tree, i, f, units) for i, f in figures.items()}
    board_rows = ranked_rows(names, progress_of, codes, extras)
    total_row = BoardRow(
        0,
        scope.id,
        scope.code,
        scope.name,
        _progress(metric, period, today, total),
        {**_extra(tree, None, total, units), "scope": scope.kind},
    )
    return Board(period, metric, total_row, board_rows, units, scheme, FLOW_COLUMNS)


def _current_units(tree: AreaTree, rows: list[int]) -> list[int]:
    """Today's units that the period's units became (each once), by name."""
    found = {unit for area_id in rows for unit in tree.current_successors(area_id)}
    return sorted(found, key=lambda i: (sort_key(tree.areas[i].name), i))


def _scope_figures(reader, scope: Scope, tree, period: Period, measured_on: date) -> _Figures:
    if not scope.is_office:
        return reader.combined({scope.id: 1.0}, tree.last_day_in(scope.id, period))
    at_end = reader.combined(dict.fromkeys(scope.areas_on(tree, measured_on), 1.0), measured_on)
    before = reader.combined(
        dict.fromkeys(scope.areas_on(tree, period.start - timedelta(days=1)), 1.0), measured_on
    )
    during = reader.combined(dict.fromkeys(scope.areas_in(tree, period), 1.0), measured_on)
    target_areas = (
        scope.areas_on(tree, period.end)
        if is_stock(reader.metric)
        else scope.areas_in(tree, period)
    )
    targets = [reader.targets[i] for i in target_areas if reader.targets.get(i) is not None]
    return _Figures(
        at_end.participants,
        before.before,
        at_end.estimated,
        during.flows,
        sum(targets) if targets else None,
    )


class _Reader:
    """Participants, flows and targets of every area the board needs, read once: two or three
    participants queries, one flow query per column and one for the targets."""

    def __init__(
        self,
        tree: AreaTree,
        period: Period,
        metric: str,
        measured_on: date,
        subjects: set[int],
        scheme: str,
    ):
        self.tree, self.period, self.metric, self.measured_on = tree, period, metric, measured_on
        self.subjects, self.scheme = subjects, scheme  # every area whose figures it reads
        names = list(FLOW_COLUMNS) + (
            [] if is_stock(metric) or metric in FLOW_COLUMNS else [metric]
        )
        # The flows of the areas the board sums (its subjects and everything below them), not
        # of the whole country: an office's board read 3,400 areas' counts to use a hundred.
        below = {area_id for subject in subjects for area_id in tree.descendants(subject)}
        self.flows = flow_activity(names, period, "area_id", below, scheme)
        self._participants: dict[date, dict[int, Participants]] = {}
        self.targets = (
            stock_targets(period, subjects, scheme)
            if is_stock(metric)
            else flow_targets("area", metric, period, subjects, scheme)
        )

    def participants(self, day: date, area_id: int) -> Participants:
        """Participants of the board's areas on a day: one computation per day."""
        if day not in self._participants:
            existing = [i for i in self.subjects if self.tree.exists_on(i, day)]
            self._participants[day] = participants_on(day, existing, self.scheme)
        return self._participants[day][area_id]

    def subtree_flow(self, name: str, area_id: int) -> int:
        values = self.flows[name]
        return sum(values.get(a, 0) for a in self.tree.descendants(area_id))

    def flows_of(self, weights: dict[int, float]) -> dict[str, float]:
        return {
            name: sum(w * self.subtree_flow(name, i) for i, w in weights.items())
            for name in self.flows
        }

    def target_of(self, weights: dict[int, float]) -> float | None:
        """The weighted sum of the targets set; None when none is."""
        found = [w * self.targets[i] for i, w in weights.items() if self.targets.get(i) is not None]
        return sum(found) if found else None

    def measured(self, day: date, weights: dict[int, float]) -> list[tuple[float, Participants]]:
        """(weight, participants on the day) of those of the areas that exist on it."""
        return [
            (w, self.participants(day, i))
            for i, w in weights.items()
            if self.tree.exists_on(i, day)
        ]

    def combined(self, weights: dict[int, float], last_day: date) -> _Figures:
        """The weighted sum of some areas' figures, measured on the board's day (or `last_day`,
        when earlier) and on the day before the period."""
        at_end = self.measured(min(self.measured_on, last_day), weights)
        before = self.measured(self.period.start - timedelta(days=1), weights)
        return _Figures(
            _weighted(at_end),
            _weighted(before),
            any(p.is_estimate for _w, p in at_end),
            self.flows_of(weights),
            self.target_of(weights),
        )

    def re_expressed(self, area_id: int) -> _Figures:
        """A unit of today over a period it may not have existed in: participants through the
        units it existed as on each day, flows and targets through its whole lineage (its own
        target first, when one is set)."""
        start = self.period.start - timedelta(days=1)
        at_end = self.measured(self.measured_on, self.tree.frontier(area_id, self.measured_on))
        before = self.measured(start, self.tree.frontier(area_id, start))
        lineage = self.tree.lineage(area_id)
        own = self.targets.get(area_id)
        return _Figures(
            _weighted(at_end),
            _weighted(before),
            any(p.is_estimate for _w, p in at_end),
            self.flows_of(lineage),
            own if own is not None else self.target_of(lineage),
        )


def _weighted(parts: list[tuple[float, Participants]]) -> float | None:
    known = [w * p.value for w, p in parts if p.value is not None]
    return sum(known) if known else None


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _progress(metric: str, period: Period, today: date, figures: _Figures):
    if is_stock(metric):
        actual = _whole(figures.participants) or 0
        return evaluate(metric, period, today, figures.target, actual, _whole(figures.before))
    return evaluate(metric, period, today, figures.target, _whole(figures.flows.get(metric, 0)))


def _extra(tree: AreaTree, area_id: int | None, figures: _Figures, units: str) -> dict:
    now, before = _whole(figures.participants), _whole(figures.before)
    area = tree.areas[area_id] if area_id is not None else None
    population = area.working_age_population if area is not None else None
    extra = {
        "participants": now,
        "estimated": figures.estimated,
        "growth": now - before if now is not None and before is not None else None,
        "coverage_per_1000": now * 1000 / population if now is not None and population else None,
        **{name: _whole(figures.flows.get(name)) for name in FLOW_COLUMNS},
    }
    if area is not None:
        extra.update(valid_from=area.valid_from, valid_to=area.valid_to)
        if units == "current":
            extra["predecessors"] = sorted(
                {tree.areas[step.other].name for step in tree.predecessors.get(area_id, [])}
            )
    return extra
