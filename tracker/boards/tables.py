"""Each leaderboard as a table to download (tracker/exports.py): its columns, its rows, the
total the page shows, and the words that say what it covers."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import progress
from ..dates import period_label
from ..exports import DECIMAL, INTEGER, PERCENT, SIGNED, Column, Table
from ..progress import Board
from ..progress.metrics import DEFAULT_SCHEME, metric
from ..vocab import COLLECTION_ORG_KINDS, ENROLLMENT_SCHEMES


def _paces() -> dict[str | None, str]:
    """Each pace's words, translated once per file: translating them per row was half the
    time of a 20,000-row export."""
    return {
        "ahead": _("Ahead"),
        "on_track": _("On track"),
        "behind": _("Behind"),
        None: _("No target"),
    }


def _round(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


def _flows(board: Board) -> list[Column]:
    """The flows every row carries (board.columns), headed by their declarations."""
    return [Column(str(metric(code, board.scheme).label), INTEGER) for code in board.columns]


def _label(board: Board, code: str | None = None) -> str:
    return str(metric(code or board.metric, board.scheme).label)


def _covers(board: Board, *scope: str) -> list[str]:
    """What a board's file covers: the period, the scheme, the metric, then its scope."""
    return [
        _("Period %(period)s", period=period_label(board.period)),
        str(ENROLLMENT_SCHEMES[board.scheme]),
        _label(board),
        *scope,
    ]


def _file_parts(board: Board, default_metric: str, *more: str) -> list[str]:
    """After the table's name: the metric and the scheme when not the board's default, the
    period (as its key, so the files of a year sort in order), then the rest."""
    parts = [_label(board)] if board.metric != default_metric else []
    if board.scheme != DEFAULT_SCHEME:
        parts.append(str(ENROLLMENT_SCHEMES[board.scheme]))
    return [*parts, board.period.key.replace("..", "_"), *more]


def officers(args: tuple, scope: str, among=None) -> Table:
    """The officer board that progress.officer_leaderboard(*args) ranks, with only the rows
    of `among` (officer ids) when given. Its rows are ranked and worked out as they are read,
    one at a time, and its total once they have been: the file's title and header are
    written before the board is counted (exports.csv_chunks)."""
    period, metric, today, _team_id, _area_id, _office_id, scheme = args
    shape = Board(period, metric, None, [], scheme=scheme, columns=progress.officer_columns(metric))
    counted: list[Board] = []
    paces = _paces()

    def rows():
        board = progress.officer_leaderboard(*args)
        if among is not None:  # exports follow the role table: own data, or the team's
            board = progress.officers_among(board, among, today)
        counted.append(board)
        for r in progress.read_rows(board):
            yield [
                r.rank,
                r.name,
                r.code,
                r.extra["team"],
                _round(r.progress.target),
                r.progress.actual,
                _round(r.progress.attainment, 4),
                _round(r.progress.expected),
                paces[r.progress.pace],
                *(r.extra[code] for code in shape.columns),
                _round(r.extra["conversion"], 4),
                r.extra["rank_change"],
            ]

    def total() -> list:
        (board,) = counted
        progress_total = board.total.progress
        return [
            None,
            _("Total (%(count)d officers)", count=len(board.rows)),
            None,
            None,
            _round(progress_total.target),
            progress_total.actual,
            _round(progress_total.attainment, 4),
            _round(progress_total.expected),
            paces[progress_total.pace],
            *([None] * len(shape.columns)),
            None,
            None,
        ]

    columns = [
        Column(_("Rank"), INTEGER),
        Column(_("Officer")),
        Column(_("Username")),
        Column(_("Team")),
        Column(_("Target"), DECIMAL),
        Column(_("Actual"), INTEGER),
        Column(_("Attainment"), PERCENT),
        Column(_("Expected by today"), DECIMAL),
        Column(_("Pace")),
        *_flows(shape),
        Column(_("Conversion"), PERCENT),
        Column(_("Rank change"), SIGNED),
    ]
    return Table(
        _("Officer leaderboard"),
        columns,
        rows(),
        covers=_covers(shape, scope),
        total=total,
        notes=[_("Conversion: new participants per household contacted.")],
        file_parts=_file_parts(shape, "new_participants"),
    )


def areas(board: Board, scope: str) -> Table:
    columns = [
        Column(_("Rank"), INTEGER),
        Column(_("Area")),
        Column(_("Code")),
        Column(_("Participants"), INTEGER),
        Column(_("Estimate")),
        Column(_("Growth in period"), SIGNED),
        Column(_("Target"), DECIMAL),
        Column(_("Of the target"), PERCENT),
        Column(_("Of the growth asked"), PERCENT),
        Column(_("Coverage per 1,000 working-age"), DECIMAL),
        *_flows(board),
    ]

    def line(rank, name, row):
        p = row.progress
        return [
            rank,
            name,
            row.code,
            row.extra["participants"],
            "*" if row.extra.get("estimated") else None,
            row.extra["growth"],
            _round(p.target),
            _round(p.attainment, 4),
            _round(p.growth_attainment, 4),
            _round(row.extra["coverage_per_1000"]),
            *(row.extra[code] for code in board.columns),
        ]

    units = _("Today's units") if board.units == "current" else _("As they were in the period")
    return Table(
        _("Ward and commune leaderboard"),
        columns,
        [line(r.rank, r.name, r) for r in board.rows],
        covers=_covers(board, scope, units),
        total=line(None, _("Total: %(name)s", name=board.total.name), board.total),
        notes=[_("* an estimate: the latest official count plus the enrollments recorded since.")],
        file_parts=_file_parts(
            board, "participants_total", *([_("Today's units")] if board.units == "current" else [])
        ),
    )


def orgs(board: Board) -> Table:
    columns = [
        Column(_("Rank"), INTEGER),
        Column(_("Organization")),
        Column(_("Kind")),
        Column(_("Target"), DECIMAL),
        Column(_label(board), INTEGER),
        Column(_("Attainment"), PERCENT),
    ]
    rows = [
        [
            r.rank,
            r.name,
            str(COLLECTION_ORG_KINDS[r.extra["kind"]]),
            _round(r.progress.target),
            r.progress.actual,
            _round(r.progress.attainment, 4),
        ]
        for r in board.rows
    ]
    total = board.total.progress
    return Table(
        _("Collection organization leaderboard"),
        columns,
        rows,
        covers=_covers(board, _("every active organization")),
        total=[
            None,
            _("Total (%(count)d organizations)", count=len(rows)),
            None,
            _round(total.target),
            total.actual,
            _round(total.attainment, 4),
        ],
        file_parts=_file_parts(board, board.metric),
        sheet=_("Collection organizations"),
    )
