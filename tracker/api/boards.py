"""GET /api/v1/leaderboard/officers and /areas, shaped as DESIGN.md's contract says."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from .. import periods, progress
from ..access import requires
from ..errors import json_error
from ..extensions import db
from ..models import Area
from ..periods import PeriodError
from ..vocab import TARGET_METRICS
from ..web import local_today
from . import bp
from .views import period_json


def _period_or_error():
    text, start, end = request.args.get("period"), request.args.get("from"), request.args.get("to")
    if not (text or start or end):
        return periods.current_year(local_today()), None
    try:
        return periods.parse(text, start, end), None
    except PeriodError:
        return None, json_error(
            422,
            _("Some fields are not valid."),
            "invalid",
            {"period": _("Use 2024, 2024-Q1, 2024-03, or from and to dates.")},
        )


def _row(row: progress.BoardRow) -> dict:
    p = row.progress
    return {
        "rank": row.rank,
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "target": p.target,
        "actual": p.actual,
        "attainment": p.attainment,
        "expected": p.expected,
        "pace": p.pace,
        "forecast": p.forecast,
        "growth_attainment": p.growth_attainment,
        "baseline": p.baseline,
        **row.extra,
    }


def _board_json(board: progress.Board, total_name: str) -> dict:
    total = board.total.progress
    return {
        "period": period_json(board.period),
        "metric": board.metric,
        "total": {
            "name": board.total.name or total_name,
            "target": total.target,
            "actual": total.actual,
            "attainment": total.attainment,
            "growth_attainment": total.growth_attainment,
        },
        "rows": [_row(row) for row in board.rows],
    }


@bp.route("/leaderboard/officers")
@requires("view_boards")
def officer_leaderboard():
    period, error = _period_or_error()
    if error:
        return error
    metric = request.args.get("metric", "new_participants")
    if metric not in progress.FLOW_METRICS:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"metric": _("Unknown metric.")}
        )
    board = progress.officer_leaderboard(period, metric, local_today())
    return jsonify(_board_json(board, _("All officers")))


@bp.route("/leaderboard/areas")
@requires("view_boards")
def area_leaderboard():
    period, error = _period_or_error()
    if error:
        return error
    metric = request.args.get("metric", "participants_total")
    if metric not in TARGET_METRICS:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"metric": _("Unknown metric.")}
        )
    code = request.args.get("parent")
    parent = (
        db.session.query(Area).filter_by(code=code).one_or_none()
        if code
        else progress.default_parent()
    )
    if parent is None:
        return json_error(404, _("There is nothing here."), "not_found", {"parent": code or ""})
    board = progress.area_leaderboard(period, metric, local_today(), parent)
    return jsonify(_board_json(board, parent.name))
