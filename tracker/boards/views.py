"""The leaderboards of officers, areas and collection organizations, and their downloads."""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import charts, data_versions, exports, periods, progress
from ..access import leads_team, requires, visible_officer_ids
from ..dates import local_today, period_label
from ..extensions import db
from ..fresh import Fresh
from ..models import Area, Office, User
from ..progress.metrics import labels
from ..services import people, picker
from ..web import int_arg, paginate_rows, period_from_request, scheme_arg
from . import bp, tables

OFFICER_METRICS = progress.FLOW_METRICS  # what officers are ranked on
AREA_METRICS = progress.AREA_METRICS
OFFICERS_PER_PAGE = 100  # a province fits in three pages; a country is ranked whole, shown in parts


def metric_arg(default: str, allowed) -> str:
    metric = request.args.get("metric", default)
    if metric not in allowed:
        abort(400, description=_("Unknown metric."))
    return metric


def units_arg() -> str:
    """units=period (the units that existed in the period) or current (today's).

    Only the pages that list areas take it: the areas board and the dashboard. The officers
    and organizations boards are not lists of areas, and an area's own page lists no units
    below it (its figures, which are its own in either units, its officers and its history),
    so none of them has the toggle."""
    units = request.args.get("units", "period")
    if units not in progress.UNITS:
        abort(400, description=_("Units are period or current."))
    return units


def scope_arg(period: periods.Period) -> progress.Scope:
    """?parent=ID (an area's units) or ?office=ID; by default the user's office, else the first
    office, else the first city or district of the period."""
    parent_id, office_id = int_arg("parent"), int_arg("office")
    if parent_id:
        return progress.area_scope(db.get_or_404(Area, parent_id))
    if office_id:
        return progress.office_scope(db.get_or_404(Office, office_id))
    scope = progress.default_scope(current_user.office, min(period.end, local_today()))
    if scope is None:
        abort(404)
    return scope


def scope_args(scope: progress.Scope) -> dict:
    """The query arguments that name a scope again (links, selectors, exports)."""
    return {"office": scope.id} if scope.is_office else {"parent": scope.id}


def officer_board_args() -> tuple:
    """progress.officer_leaderboard's arguments from the request, checked: a malformed period,
    metric or scheme is a 400, a team, area or office that does not exist a 404. An export
    checks them all before its body starts, so bad input never becomes a 200 cut short."""
    today = local_today()
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("new_participants", OFFICER_METRICS)
    ids = {key: int_arg(key) for key in ("team", "area", "office")}
    for model, key in ((User, "team"), (Area, "area"), (Office, "office")):
        if ids[key] is not None:
            db.get_or_404(model, ids[key])
    return period, metric, today, ids["team"], ids["area"], ids["office"], scheme_arg()


def officer_board() -> progress.Board:
    return progress.officer_leaderboard(*officer_board_args())


def officer_slices(team_id, area_id, office_id) -> list[str]:
    """An office's officers write under its slice, the officers of a team or of an area under
    their own; the whole board reads everyone's."""
    if office_id and not team_id and not area_id:
        return [data_versions.office(office_id)]
    if team_id or area_id:
        officer_ids = progress.ranked_officer_ids(team_id, area_id, office_id)
        return [data_versions.officer(officer_id) for officer_id in officer_ids]
    return [data_versions.ALL]


def area_board_args() -> tuple:
    today = local_today()
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("participants_total", AREA_METRICS)
    return period, metric, today, scope_arg(period), units_arg(), scheme_arg()


def area_board() -> tuple[progress.Board, progress.Scope]:
    args = area_board_args()
    return progress.area_leaderboard(*args), args[3]


def area_slices(scope: progress.Scope) -> list[str]:
    """What a scope's area figures read: the field work in every area below it."""
    return [data_versions.area(area_id) for area_id in progress.area_ids_below(scope)]


def org_board() -> progress.Board:
    today = local_today()
    period = period_from_request(periods.current_year(today))
    return progress.org_leaderboard(period, today, scheme_arg())


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
    args = officer_board_args()
    period, metric, _today, team_id, area_id, office_id, scheme = args
    fresh = Fresh(
        "officers",
        (period.key, metric, team_id, area_id, office_id, scheme),
        officer_slices(team_id, area_id, office_id),
    )
    if response := fresh.not_modified():
        return response
    board = fresh.figures(lambda: progress.officer_leaderboard(*args))
    day = min(board.period.end, local_today())
    offices = people.offices()
    office = db.session.get(Office, office_id) if office_id else None
    choices = picker.board_choices(len(offices), office, day, team_id, area_id)
    return fresh.conditional(
        render_template(
            "boards/officers.html",
            board=board,
            page=paginate_rows(board.rows, OFFICERS_PER_PAGE),
            today=local_today(),
            day=day,
            metrics=labels(OFFICER_METRICS),
            teams=choices.teams,
            team_id=team_id,
            area_id=area_id,
            office_id=office_id,
            offices=offices,
            areas=choices.areas,
            bounded=choices.bounded,
            may_open=officer_opener(),
        )
    )


@bp.route("/boards/areas")
@requires("view_boards")
def areas():
    args = area_board_args()
    period, metric, _today, scope, units, scheme = args
    fresh = Fresh(
        "areas", (period.key, metric, scope.kind, scope.id, units, scheme), area_slices(scope)
    )
    if response := fresh.not_modified():
        return response
    board, figure = fresh.figures(lambda: area_board_figures(args))
    return fresh.conditional(
        render_template(
            "boards/areas.html",
            board=board,
            today=local_today(),
            scope=scope,
            scope_args=scope_args(scope),
            offices=people.offices(),
            metrics=labels(AREA_METRICS),
            figure=figure,
        )
    )


def area_board_figures(args: tuple) -> tuple[progress.Board, str]:
    board = progress.area_leaderboard(*args)
    figure = charts.areas_against_targets(
        _("Participants against targets, %(period)s", period=period_label(board.period)),
        [(row.name, row.extra["participants"], row.progress.target) for row in board.rows],
    )
    return board, charts.to_json(figure)


@bp.route("/boards/orgs")
@requires("view_boards")
def orgs():
    today = local_today()
    period, scheme = period_from_request(periods.current_year(today)), scheme_arg()
    fresh = Fresh("orgs", (period.key, scheme), [data_versions.ALL])
    if response := fresh.not_modified():
        return response
    board = fresh.figures(lambda: progress.org_leaderboard(period, today, scheme))
    return fresh.conditional(render_template("boards/orgs.html", board=board, today=today))


def officer_scope() -> str:
    """What an officer board covers, in words: its filters, and the role table's limit."""
    office, team, area = (
        db.session.get(model, int_arg(key)) if int_arg(key) else None
        for model, key in ((Office, "office"), (User, "team"), (Area, "area"))
    )
    parts = [
        *([office.name] if office else []),
        *([_("Team of %(name)s", name=team.full_name)] if team else []),
        *([area.name] if area else []),
    ]
    if visible_officer_ids(current_user) is not None:
        parts.append(_("your team only") if leads_team(current_user) else _("your own row only"))
    return " · ".join(parts) or _("every officer")


@bp.route("/boards/<any(officers, areas, orgs):kind>.<any(csv, xlsx):extension>")
@requires("export")
def export(kind: str, extension: str):
    """A board as a file: XLSX, or CSV in the reader's dialect (tracker/exports.py)."""
    if kind == "officers":  # ranked while the file is sent: arguments and role checked first
        args = officer_board_args()
        table = tables.officers(args, officer_scope(), visible_officer_ids(current_user))
    elif kind == "areas":
        board, scope = area_board()
        table = tables.areas(board, scope.name)
    else:
        table = tables.orgs(org_board())
    return exports.download(table, extension)
