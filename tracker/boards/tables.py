"""Each leaderboard as a header and plain rows, for CSV and XLSX exports."""

from __future__ import annotations

from flask_babel import gettext as _

from ..progress import Board
from ..progress.metrics import metric
from ..vocab import COLLECTION_ORG_KINDS


def _pace(code: str | None) -> str:
    return {
        "ahead": _("Ahead"),
        "on_track": _("On track"),
        "behind": _("Behind"),
        None: _("No target"),
    }[code]


def _round(value: float | None, digits: int = 1):
    return None if value is None else round(value, digits)


def _labels(board: Board) -> list[str]:
    """The headers of the flows every row carries (board.columns), from their declarations."""
    return [str(metric(code, board.scheme).label) for code in board.columns]


def officers(board: Board):
    headers = [
        _("Rank"),
        _("Officer"),
        _("Username"),
        _("Team"),
        _("Target"),
        _("Actual"),
        _("Attainment"),
        _("Expected by today"),
        _("Pace"),
        *_labels(board),
        _("Conversion"),
        _("Rank change"),
    ]
    rows = [
        [
            r.rank,
            r.name,
            r.code,
            r.extra["team"],
            _round(r.progress.target),
            r.progress.actual,
            _round(r.progress.attainment, 4),
            _round(r.progress.expected),
            _pace(r.progress.pace),
            *(r.extra[code] for code in board.columns),
            _round(r.extra["conversion"], 4),
            r.extra["rank_change"],
        ]
        for r in board.rows
    ]
    return headers, rows, (6, 9 + len(board.columns))


def areas(board: Board):
    headers = [
        _("Rank"),
        _("Area"),
        _("Code"),
        _("Participants"),
        _("Growth in period"),
        _("Target"),
        _("Of the target"),
        _("Of the growth asked"),
        _("Coverage per 1,000 working-age"),
        *_labels(board),
    ]

    def line(rank, row):
        p = row.progress
        return [
            rank,
            row.name,
            row.code,
            row.extra["participants"],
            row.extra["growth"],
            _round(p.target),
            _round(p.attainment, 4),
            _round(p.growth_attainment, 4),
            _round(row.extra["coverage_per_1000"]),
            *(row.extra[code] for code in board.columns),
        ]

    rows = [line(r.rank, r) for r in board.rows] + [line("", board.total)]
    return headers, rows, (6, 7)


def orgs(board: Board):
    headers = [
        _("Rank"),
        _("Organization"),
        _("Kind"),
        _("Target"),
        str(metric(board.metric, board.scheme).label),
        _("Attainment"),
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
    return headers, rows, (5,)
