"""The three leaderboards: officers, areas (wards and communes under a parent), collection
organizations. Each is a fixed number of GROUP BY queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import select

from ..access import is_officer_clause
from ..extensions import db
from ..models import Area, Assignment, CollectionOrg, User
from ..periods import Period
from ..vocab import STOCK_METRICS
from .areas import _area_tree, descendants, participants_on, stock_targets, subtree_ids
from .boards import officer_extremes as boards_officer_extremes
from .boards import officer_positions, rank_order
from .core import FLOW_METRICS, Progress, Row, evaluate, ranked
from .flows import flow_activity, flow_actuals, flow_targets, interested_households
from .sql import fetch


@dataclass(frozen=True)
class BoardRow:
    rank: int
    id: int
    code: str
    name: str
    progress: Progress
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Board:
    period: Period
    metric: str
    total: BoardRow | None
    rows: list[BoardRow]


def _ranked_rows(
    period, metric, today, names, targets, actuals, codes, extras=None, baselines=None
) -> list[BoardRow]:
    progress_by_id = {
        subject_id: evaluate(
            metric,
            period,
            today,
            targets.get(subject_id),
            actuals.get(subject_id, 0),
            (baselines or {}).get(subject_id),
        )
        for subject_id in names
    }
    order = ranked([Row(i, names[i], progress_by_id[i]) for i in names])
    return [
        BoardRow(
            row.rank,
            row.id,
            codes.get(row.id, ""),
            row.name,
            row.progress,
            (extras or {}).get(row.id, {}),
        )
        for row in order
    ]


# Officers ----------------------------------------------------------------------------------


def _officers(team_id: int | None, area_id: int | None) -> list[tuple[int, str, str, str]]:
    """(id, username, full name, team) of active officers, filtered by team or area."""
    supervisor = User.__table__.alias("supervisor")
    query = (
        select(User.id, User.username, User.full_name, supervisor.c.full_name)
        .outerjoin(supervisor, supervisor.c.id == User.supervisor_id)
        .where(is_officer_clause())
    )
    if team_id is not None:
        query = query.where(User.supervisor_id == team_id)
    if area_id is not None:
        query = query.where(
            User.id.in_(
                select(Assignment.officer_id).where(Assignment.area_id.in_(subtree_ids(area_id)))
            )
        )
    return [tuple(row) for row in fetch(query.order_by(User.full_name))]


def officer_extremes(
    period: Period, metric: str, today: date, count: int
) -> tuple[list[Row], list[Row]]:
    """The dashboard's best and worst `count` officers with a target, among every active one."""
    names = {officer_id: name for officer_id, _username, name, _team in _officers(None, None)}
    return boards_officer_extremes(period, metric, names, today, count)


@dataclass(frozen=True)
class _OfficerFigures:
    """What every row of one officer leaderboard reads its numbers from."""

    period: Period
    metric: str
    today: date
    targets: dict[int, float | None]
    activity: dict[str, dict[int, int]]
    previous: dict[int, int]
    teams: dict[int, str]


class OfficerRow:
    """A row of the officer leaderboard whose progress and activity columns are worked out when
    first read: a national board ranks 20,000 officers and shows 100 of them. Reads like a
    BoardRow."""

    def __init__(self, rank: int, officer_id: int, code: str, name: str, figures) -> None:
        self.rank, self.id, self.code, self.name = rank, officer_id, code, name
        self._figures = figures

    @cached_property
    def progress(self) -> Progress:
        f = self._figures
        actual = f.activity[f.metric].get(self.id, 0)
        return evaluate(f.metric, f.period, f.today, f.targets.get(self.id), actual)

    @cached_property
    def extra(self) -> dict:
        f, officer_id = self._figures, self.id
        reached = f.activity["households_reached"].get(officer_id, 0)
        enrolled = f.activity["new_participants"].get(officer_id, 0)
        previous = f.previous.get(officer_id)
        return {
            "team": f.teams[officer_id],
            "contacts": f.activity["contacts"].get(officer_id, 0),
            "households_reached": reached,
            "new_participants": enrolled,
            "conversion": enrolled / reached if reached else None,
            "previous_rank": previous,
            "rank_change": previous - self.rank if previous is not None else None,
        }


def officer_leaderboard(
    period: Period, metric: str, today: date, team_id: int | None = None, area_id: int | None = None
) -> Board:
    """Officers ranked on a metric, with their activity and their rank change since the
    previous period of the same kind. At most eight queries, whatever the number of officers."""
    officers = _officers(team_id, area_id)
    names = {officer_id: name for officer_id, _username, name, _team in officers}
    activity = flow_activity(FLOW_METRICS, period, "officer_id", names)
    order, targets, actuals = rank_order(period, metric, names, activity[metric])
    figures = _OfficerFigures(
        period,
        metric,
        today,
        targets,
        {**activity, metric: actuals},
        officer_positions(period.previous(), metric, names, today),
        {officer_id: team or "" for officer_id, _username, _name, team in officers},
    )
    usernames = {officer_id: username for officer_id, username, _name, _team in officers}
    rows = [
        OfficerRow(rank, officer_id, usernames[officer_id], names[officer_id], figures)
        for rank, officer_id in enumerate(order, start=1)
    ]
    set_targets = [value for value in targets.values() if value is not None]
    total_actual = sum(actuals.get(officer_id, 0) for officer_id in names)
    total = BoardRow(
        0,
        0,
        "",
        "",
        evaluate(metric, period, today, sum(set_targets) if set_targets else None, total_actual),
    )
    return Board(period, metric, total, rows)


# Areas -------------------------------------------------------------------------------------


def default_parent() -> Area | None:
    """The city (or district) whose wards and communes a board shows when none is chosen."""
    top = db.session.scalar(select(Area).where(Area.parent_id.is_(None)).order_by(Area.id))
    if top is None:
        return None
    child = db.session.scalar(
        select(Area).where(Area.parent_id == top.id, Area.kind == "district").order_by(Area.id)
    )
    return child or top


def area_leaderboard(period: Period, metric: str, today: date, parent: Area) -> Board:
    areas, children = _area_tree()
    child_ids = children.get(parent.id, [])
    names = {i: areas[i].name for i in child_ids}
    codes = {i: areas[i].code for i in child_ids}
    subject_ids = [*child_ids, parent.id]
    measured_on = min(period.end, max(today, period.start))
    # Flows are recorded against wards and communes: sum each subtree.
    by_area = {
        metric_name: flow_actuals(metric_name, period, "area_id")
        for metric_name in ("new_participants", "contacts")
    }

    def subtree_sum(values: dict[int, int], area_id: int) -> int:
        return sum(values.get(a, 0) for a in descendants(area_id, children))

    end = participants_on(measured_on, subject_ids)
    start = participants_on(period.start - timedelta(days=1), subject_ids)
    if metric in STOCK_METRICS:
        targets = stock_targets(period, subject_ids)
        actuals = {i: end[i].value for i in subject_ids if end[i].value is not None}
        baselines = {i: start[i].value for i in subject_ids}
    else:
        targets = flow_targets("area", metric, period, subject_ids)
        values = by_area[metric] if metric in by_area else flow_actuals(metric, period, "area_id")
        actuals = {i: subtree_sum(values, i) for i in subject_ids}
        baselines = None
    extras = {}
    for area_id in subject_ids:
        area = areas[area_id]
        now, before = end[area_id].value, start[area_id].value
        extras[area_id] = {
            "participants": now,
            "estimated": end[area_id].is_estimate,
            "growth": now - before if now is not None and before is not None else None,
            "coverage_per_1000": now * 1000 / area.working_age_population
            if now is not None and area.working_age_population
            else None,
            "new_participants": subtree_sum(by_area["new_participants"], area_id),
            "contacts": subtree_sum(by_area["contacts"], area_id),
        }
    rows = _ranked_rows(period, metric, today, names, targets, actuals, codes, extras, baselines)
    total_progress = evaluate(
        metric,
        period,
        today,
        targets.get(parent.id),
        actuals.get(parent.id, 0),
        baselines.get(parent.id) if baselines else None,
    )
    total = BoardRow(0, parent.id, parent.code, parent.name, total_progress, extras[parent.id])
    return Board(period, metric, total, rows)


# Collection organizations --------------------------------------------------------------------


def org_leaderboard(period: Period, today: date) -> Board:
    orgs = fetch(
        select(CollectionOrg.id, CollectionOrg.name, CollectionOrg.kind).where(CollectionOrg.active)
    ).all()
    names = {o.id: o.name for o in orgs}
    targets = flow_targets("collection_org", "new_participants", period, names)
    actuals = flow_actuals("new_participants", period, "collection_org_id", names)
    rows = _ranked_rows(
        period,
        "new_participants",
        today,
        names,
        targets,
        actuals,
        {},
        {o.id: {"kind": o.kind} for o in orgs},
    )
    total_target = sum(t for t in targets.values() if t is not None) if targets else None
    total = BoardRow(
        0,
        0,
        "",
        "",
        evaluate("new_participants", period, today, total_target, sum(actuals.values())),
    )
    return Board(period, "new_participants", total, rows)


def funnel(period: Period, by: str, ids: Iterable[int] | None) -> dict[str, int]:
    """Contacts → households reached → interested → enrolled, for officers or areas."""
    ids = list(ids) if ids is not None else None
    return {
        "contacts": sum(flow_actuals("contacts", period, by, ids).values()),
        "households_reached": sum(flow_actuals("households_reached", period, by, ids).values()),
        "interested": sum(interested_households(period, by, ids).values()),
        "new_participants": sum(flow_actuals("new_participants", period, by, ids).values()),
    }
