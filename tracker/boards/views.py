from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import charts, exports, periods, progress
from ..access import requires, visible_officer_ids
from ..extensions import db
from ..models import Area
from ..services import people
from ..services.areas import local_areas
from ..vocab import TARGET_METRICS
from ..web import int_arg, local_today, paginate_rows, period_from_request, period_label
from . import bp, tables

FLOW_METRICS = {m: TARGET_METRICS[m] for m in progress.FLOW_METRICS}
OFFICERS_PER_PAGE = 100  # a province fits in three pages; a country is ranked whole, shown in parts
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def metric_arg(default: str, allowed) -> str:
    metric = request.args.get("metric", default)
    if metric not in allowed:
        abort(400, description=_("Unknown metric."))
    return metric


def parent_arg() -> Area:
    parent_id = int_arg("parent")
    parent = db.session.get(Area, parent_id) if parent_id else progress.default_parent()
    if parent is None:
        abort(404)
    return parent


def officer_board() -> progress.Board:
    today = local_today()
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("new_participants", FLOW_METRICS)
    return progress.officer_leaderboard(period, metric, today, int_arg("team"), int_arg("area"))


def area_board(parent: Area) -> progress.Board:
    today = local_today()
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("participants_total", TARGET_METRICS)
    return progress.area_leaderboard(period, metric, today, parent)


def org_board() -> progress.Board:
    today = local_today()
    return progress.org_leaderboard(period_from_request(periods.current_year(today)), today)


def officer_opener():
    """may_open(officer_id) for this request: officers see everyone's numbers on the boards but
    open only their own page. The visible officers are read once, not once per row."""
    ids = visible_officer_ids(current_user)
    if ids is None:
        return lambda _officer_id: True
    return lambda officer_id: officer_id in ids


@bp.route("/boards/officers")
@requires("view_boards")
def officers():
    board = officer_board()
    return render_template(
        "boards/officers.html",
        board=board,
        page=paginate_rows(board.rows, OFFICERS_PER_PAGE),
        today=local_today(),
        metrics=FLOW_METRICS,
        teams=people.supervisors(),
        team_id=int_arg("team"),
        area_id=int_arg("area"),
        areas=db.session.scalars(local_areas()).all(),
        may_open=officer_opener(),
    )


@bp.route("/boards/areas")
@requires("view_boards")
def areas():
    parent = parent_arg()
    board = area_board(parent)
    figure = charts.areas_against_targets(
        _("Participants against targets, %(period)s", period=period_label(board.period)),
        [(row.name, row.extra["participants"], row.progress.target) for row in board.rows],
    )
    return render_template(
        "boards/areas.html",
        board=board,
        today=local_today(),
        parent=parent,
        metrics=TARGET_METRICS,
        figure=charts.to_json(figure),
    )


@bp.route("/boards/orgs")
@requires("view_boards")
def orgs():
    return render_template("boards/orgs.html", board=org_board(), today=local_today())


@bp.route("/boards/<any(officers, areas, orgs):kind>.<any(csv, xlsx):extension>")
@requires("export")
def export(kind: str, extension: str):
    if kind == "officers":
        board = officer_board()
        ids = visible_officer_ids(current_user)
        if ids is not None:  # exports follow the role table: own data, or the team's
            board = progress.Board(
                board.period, board.metric, None, [row for row in board.rows if row.id in ids]
            )
        headers, rows, percent = tables.officers(board)
    elif kind == "areas":
        board = area_board(parent_arg())
        headers, rows, percent = tables.areas(board)
    else:
        board = org_board()
        headers, rows, percent = tables.orgs(board)
    name = f"{kind}-{board.metric}-{board.period.key.replace('..', '_')}.{extension}"
    body = (
        exports.to_csv(headers, rows)
        if extension == "csv"
        else exports.to_xlsx(headers, rows, kind, percent)
    )
    return Response(
        body,
        mimetype=EXPORT_TYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
