"""GET /api/v1/leaderboard/officers and /areas, shaped as docs/design.md's contract says, and
the officer board's picker, GET /api/v1/boards/picker."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import parsing, periods, progress
from ..access import requires
from ..dates import local_today
from ..errors import json_error
from ..extensions import db
from ..models import Office
from ..periods import PeriodError
from ..services import picker
from ..services.areas import area_by_code
from ..web import date_arg_or_none
from . import bp
from .schemas import (
    AreaBoardOut,
    AreaBoardQuery,
    BoardOut,
    BoardQuery,
    PickerOut,
    PickerQuery,
)
from .spec import declare
from .views import period_json, scheme_or_error


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
        **{key: _plain(value) for key, value in row.extra.items()},
    }


def _plain(value):
    """Dates as ISO text (Flask would write an HTTP date)."""
    return value.isoformat() if isinstance(value, date) else value


def _board_json(board: progress.Board, total_name: str) -> dict:
    total = board.total.progress
    return {
        "period": period_json(board.period),
        "metric": board.metric,
        "scheme": board.scheme,
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
@declare(query=BoardQuery, ok=BoardOut, tags=["boards"])
def officer_leaderboard():
    period, error = _period_or_error()
    if error:
        return error
    metric = request.args.get("metric", "new_participants")
    scheme, error = scheme_or_error()
    if error:
        return error
    if metric not in progress.FLOW_METRICS:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"metric": _("Unknown metric.")}
        )
    board = progress.officer_leaderboard(period, metric, local_today(), scheme=scheme)
    return jsonify(_board_json(board, _("All officers")))


@bp.route("/leaderboard/areas")
@requires("view_boards")
@declare(query=AreaBoardQuery, ok=AreaBoardOut, errors=(404,), tags=["boards"])
def area_leaderboard():
    period, error = _period_or_error()
    if error:
        return error
    metric = request.args.get("metric", "participants_total")
    scheme, error = scheme_or_error()
    if error:
        return error
    if metric not in progress.AREA_METRICS:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"metric": _("Unknown metric.")}
        )
    units = request.args.get("units", "period")
    if units not in progress.UNITS:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"units": _("period or current.")}
        )
    scope, error = _scope_or_error(period)
    if error:
        return error
    board = progress.area_leaderboard(period, metric, local_today(), scope, units, scheme)
    return jsonify({**_board_json(board, scope.name), "units": units})


def _scope_or_error(period):
    """?parent=CODE (the unit bearing that code on the period's last day, or today if earlier),
    or ?office=CODE; else the user's office, the first office, or the first city or district."""
    day = min(period.end, local_today())
    code, office_code = request.args.get("parent"), request.args.get("office")
    if code:
        parent = area_by_code(code, day) or area_by_code(code, period.start)
        if parent is None:
            return None, json_error(404, _("There is nothing here."), "not_found", {"parent": code})
        return progress.area_scope(parent), None
    if office_code:
        office = db.session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            return None, json_error(
                404, _("There is nothing here."), "not_found", {"office": office_code}
            )
        return progress.office_scope(office), None
    scope = progress.default_scope(current_user.office, day)
    if scope is None:
        return None, json_error(404, _("There is nothing here."), "not_found", {"parent": ""})
    return scope, None


PICKER_QUERY_MAX = 100  # characters of ?q=: a name, not a document


@bp.route("/boards/picker")
@requires("view_boards")
@declare(query=PickerQuery, ok=PickerOut, errors=(404,), tags=["boards"])
def board_picker():
    """The officer board's picker (tracker/services/picker.py): offices, areas and teams whose
    names match ?q=, within ?office=ID, among the units of ?on= (today by default)."""
    bad = {}
    query = request.args.get("q", "")
    if len(query) > PICKER_QUERY_MAX:
        bad["q"] = _("At most %(n)d characters.", n=PICKER_QUERY_MAX)
    day, malformed = date_arg_or_none("on")
    if malformed:
        bad["on"] = _("A date as YYYY-MM-DD.")
    office_text = request.args.get("office", "")
    office_id = parsing.record_id(office_text) if office_text else None
    if office_text and office_id is None:
        bad["office"] = _("An office id.")
    if bad:
        return json_error(422, _("Some fields are not valid."), "invalid", bad)
    office = db.session.get(Office, office_id) if office_id else None
    if office_id and office is None:
        return json_error(404, _("There is nothing here."), "not_found", {"office": office_text})
    day = day or local_today()
    found = picker.search(query, day, office)
    return jsonify(
        q=query,
        on=day.isoformat(),
        office=office_id,
        offices=[item.as_json() for item in found.offices],
        areas=[item.as_json() for item in found.areas],
        teams=[item.as_json() for item in found.teams],
    )
