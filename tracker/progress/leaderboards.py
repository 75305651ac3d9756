"""The three leaderboards: officers, areas (wards and communes under a parent), collection
organizations. Each is a fixed number of GROUP BY queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from sqlalchemy import select

from ..access import is_officer_clause
from ..collation import in_order
from ..data_versions import ENROLLMENTS, memoized
from ..models import Assignment, CollectionOrg, User
from ..periods import Period
from ..services.settings import credit_rests_on_confirmed
from .core import Progress, Row, evaluate, ranked
from .flows import flow_activity, flow_actuals, flow_targets
from .metrics import DEFAULT_SCHEME, codes, targetable
from .officers import Extremes, officer_positions, rank_order
from .officers import officer_extremes as boards_officer_extremes
from .sql import fetch
from .tree import area_tree

# What every row of the officer leaderboard shows beside the metric it ranks on, in this order
# (the page and the exports read it), and the flows whose ratio is its conversion: new
# participants per household reached. Labels and what each counts are the declarations.
ACTIVITY_COLUMNS = ("contacts", "households_reached")
CONVERSION = ("new_participants", "households_reached")  # numerator, denominator


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
    units: str = "period"  # areas: the units of the period, or today's ("current")
    scheme: str = DEFAULT_SCHEME
    columns: tuple[str, ...] = ()  # the flows every row's extra holds, in the order shown


def ranked_rows(
    names: dict[int, str],
    progress_by_id: dict[int, Progress],
    codes: dict[int, str],
    extras: dict[int, dict] | None = None,
) -> list[BoardRow]:
    """Subjects in rank order (core.rank_key), as board rows."""
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


def _officers(team_id: int | None, area_id: int | None, office_id: int | None = None):
    """Rows (id, username, full name, team) of active officers, filtered by team, office or
    area, read as they come (a country has 20,000: no list of them is kept). An area means
    the officers who cover it or what it became: assignments move to the successors when a
    reorganisation ends a unit."""
    supervisor = User.__table__.alias("supervisor")
    query = (
        select(User.id, User.username, User.full_name, supervisor.c.full_name)
        .outerjoin(supervisor, supervisor.c.id == User.supervisor_id)
        .where(is_officer_clause())
    )
    if team_id is not None:
        query = query.where(User.supervisor_id == team_id)
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    if area_id is not None:
        tree = area_tree()
        covered = set(tree.descendants(area_id)) | set(tree.current_successors(area_id))
        query = query.where(
            User.id.in_(select(Assignment.officer_id).where(Assignment.area_id.in_(covered)))
        )
    return fetch(query.order_by(in_order(User.full_name), User.id))


def ranked_officer_ids(
    team_id: int | None, area_id: int | None, office_id: int | None = None
) -> list[int]:
    """The officers an officer leaderboard with these filters ranks (tracker/fresh.py reads
    their data versions)."""
    return [officer[0] for officer in _officers(team_id, area_id, office_id)]


def officer_extremes(
    period: Period,
    metric: str,
    today: date,
    count: int,
    office_id: int | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> Extremes:
    """The dashboard's best and worst `count` officers with a target, among the active ones (of
    an office, when given): boards.Extremes."""
    names = {
        officer_id: name for officer_id, _username, name, _team in _officers(None, None, office_id)
    }
    return boards_officer_extremes(period, metric, names, today, count, scheme)


def officers_among(board: Board, officer_ids, today: date) -> Board:
    """The same board with only some officers' rows (an export follows the role table: one's
    own row, or one's team), totalled over those rows as the whole board is over all."""
    rows = [row for row in board.rows if row.id in officer_ids]
    targets = [row.progress.target for row in rows if row.progress.target is not None]
    actual = sum(row.progress.actual for row in rows)
    target = sum(targets) if targets else None
    total = BoardRow(0, 0, "", "", evaluate(board.metric, board.period, today, target, actual))
    return replace(board, total=total, rows=rows)


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
    beside: dict[str, dict[int, int]]  # reported and confirmed, uncredited (_beside)


class OfficerRow:
    """A row of the officer leaderboard whose progress and activity columns are worked out when
    first read: a national board ranks 20,000 officers and shows 100 of them. Reads like a
    BoardRow."""

    def __init__(self, rank: int, officer_id: int, code: str, name: str, figures) -> None:
        self.rank, self.id, self.code, self.name = rank, officer_id, code, name
        self._figures = figures

    @cached_property
    def progress(self) -> Progress:
        return self._progress()

    @cached_property
    def extra(self) -> dict:
        return self._extra()

    def read(self) -> BoardRow:
        """The row's figures worked out afresh and not kept: an export reads every row once,
        and keeping 20,000 rows' figures would make its memory grow with the board."""
        return BoardRow(self.rank, self.id, self.code, self.name, self._progress(), self._extra())

    def _progress(self) -> Progress:
        f = self._figures
        actual = f.activity[f.metric].get(self.id, 0)
        return evaluate(f.metric, f.period, f.today, f.targets.get(self.id), actual)

    def _extra(self) -> dict:
        f, officer_id = self._figures, self.id
        shown = {code: f.activity[code].get(officer_id, 0) for code in ACTIVITY_COLUMNS}
        shown.update({code: counts.get(officer_id, 0) for code, counts in f.beside.items()})
        enrolled, reached = (f.activity[code].get(officer_id, 0) for code in CONVERSION)
        previous = f.previous.get(officer_id)
        return {
            "team": f.teams[officer_id],
            **shown,
            "conversion": enrolled / reached if reached else None,
            "previous_rank": previous,
            "rank_change": previous - self.rank if previous is not None else None,
        }


def officer_leaderboard(
    period: Period,
    metric: str,
    today: date,
    team_id: int | None = None,
    area_id: int | None = None,
    office_id: int | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> Board:
    """Officers ranked on a metric, with their activity and their rank change since the
    previous period of the same kind. At most eight queries, whatever the number of officers."""
    names: dict[int, str] = {}
    usernames: dict[int, str] = {}
    teams: dict[int, str] = {}
    for officer_id, username, name, team in _officers(team_id, area_id, office_id):
        names[officer_id], usernames[officer_id], teams[officer_id] = name, username, team or ""
    shown = list(dict.fromkeys([*ACTIVITY_COLUMNS, *CONVERSION, metric]))
    activity = flow_activity(shown, period, "officer_id", names, scheme)
    order, targets, actuals = rank_order(period, metric, names, activity[metric], scheme)
    beside = _beside(period, metric, names, scheme)
    figures = _OfficerFigures(
        period,
        metric,
        today,
        targets,
        {**activity, metric: actuals},
        officer_positions(period.previous(), metric, names, today, scheme),
        teams,
        beside,
    )
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
    columns = (*ACTIVITY_COLUMNS, *beside)  # officer_columns(metric), as counted
    return Board(period, metric, total, rows, scheme=scheme, columns=columns)


def beside_codes(metric: str) -> list[str]:
    """A board of new participants shows, beside what officers are credited with, what they
    reported and what the insurer confirmed (docs/design.md, "The insurer's books"); reported
    is the credit itself unless the office rests credit on confirmation."""
    if metric != "new_participants":
        return []
    return [
        *(["new_participants"] if credit_rests_on_confirmed() else []),
        "confirmed_participants",
    ]


def officer_columns(metric: str) -> tuple[str, ...]:
    """The flows every row of an officer board on `metric` shows (Board.columns), known before
    the board is counted: an export writes its header first."""
    return (*ACTIVITY_COLUMNS, *beside_codes(metric))


def read_rows(board: Board) -> Iterator[BoardRow]:
    """A board's rows in order, each worked out as it is read and then let go (OfficerRow.read)."""
    for row in board.rows:
        yield row.read() if isinstance(row, OfficerRow) else row


@memoized(ENROLLMENTS)
def _beside(period: Period, metric: str, names, scheme: str) -> dict[str, dict[int, int]]:
    """The flows of beside_codes, counted uncredited: what officers reported and confirmed."""
    wanted = beside_codes(metric)
    if not wanted:
        return {}
    return flow_activity(wanted, period, "officer_id", names, scheme, credit=False)


# Collection organizations --------------------------------------------------------------------


def org_leaderboard(period: Period, today: date, scheme: str = DEFAULT_SCHEME) -> Board:
    """Organizations ranked on the one metric its declaration lets them have targets for (new
    participants: the enrollments credited to them)."""
    (ranked_on,) = codes(targetable("collection_org", scheme))
    orgs = fetch(
        select(CollectionOrg.id, CollectionOrg.name, CollectionOrg.kind).where(CollectionOrg.active)
    ).all()
    names = {o.id: o.name for o in orgs}
    targets = flow_targets("collection_org", ranked_on, period, names, scheme)
    actuals = flow_actuals(ranked_on, period, "collection_org_id", names, scheme)
    progress_by_id = {
        i: evaluate(ranked_on, period, today, targets.get(i), actuals.get(i, 0)) for i in names
    }
    rows = ranked_rows(names, progress_by_id, {}, {o.id: {"kind": o.kind} for o in orgs})
    total_target = sum(t for t in targets.values() if t is not None) if targets else None
    total = BoardRow(
        0, 0, "", "", evaluate(ranked_on, period, today, total_target, sum(actuals.values()))
    )
    return Board(period, ranked_on, total, rows, scheme=scheme)
