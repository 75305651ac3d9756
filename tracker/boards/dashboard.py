"""The leadership dashboard (an office's or an area's participants, target and pace, officers at
both ends, charts) and the page of one area."""

from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from .. import charts, data_versions, periods, progress
from ..access import requires
from ..dates import local_today, period_label
from ..extensions import db
from ..fresh import Fresh
from ..models import Area
from ..services import people
from ..services.areas import area_history
from ..web import period_from_request, scheme_arg
from . import bp
from .views import (
    area_slices,
    metric_arg,
    officer_opener,
    officer_slices,
    scope_arg,
    scope_args,
    units_arg,
)

TOP = 5
DAYS_PER_MONTH = 365.25 / 12


def headline(board: progress.Board) -> dict:
    """Participants now, the target, both percentages, and what each remaining month needs."""
    total = board.total.progress
    needed = None
    if total.target is not None and total.remaining_days:
        needed = max(total.target - total.actual, 0) / (total.remaining_days / DAYS_PER_MONTH)
    return {
        "participants": board.total.extra["participants"],
        "progress": total,
        "needed_per_month": needed,
        "estimated": board.total.extra["estimated"],
    }


@data_versions.memoized(data_versions.ENROLLMENTS)
def net_growth_by_day(period: periods.Period, area_ids: list[int], scheme: str) -> dict:
    """The burn-up's days (counted live: the kept counts are by month): enrollments, returns and
    lapses only, so it stays cached while contacts are logged."""
    return progress.daily_actuals("net_growth", period, "area_id", area_ids, scheme)


def area_figures(
    scope: progress.Scope,
    period: periods.Period,
    today: date,
    board_row,
    name: str,
    scheme: str = "voluntary_si",
) -> dict:
    """The burn-up of net growth against the growth asked, and the funnel of a scope (its
    counts beside it, for the words under the chart)."""
    below = progress.area_ids_below(scope)
    steps = progress.funnel(period, "area_id", below, scheme)
    daily = net_growth_by_day(period, below, scheme)
    p = board_row.progress
    growth_target = (
        p.target - p.baseline if p.target is not None and p.baseline is not None else None
    )
    growth_forecast = (
        p.forecast - p.baseline if p.forecast is not None and p.baseline is not None else None
    )
    return {
        "burnup": charts.to_json(
            charts.burnup(
                _("%(area)s: net growth against the growth asked", area=name),
                period,
                today,
                daily,
                growth_target,
                growth_forecast,
            )
        ),
        "funnel": charts.to_json(
            charts.funnel(
                _("From contact to enrollment, %(period)s", period=period_label(period)),
                steps,
            )
        ),
        "funnel_steps": steps,
    }


def years_figure(
    scope: progress.Scope, period: periods.Period, today: date, target, scheme="voluntary_si"
) -> Markup:
    """Participants year by year (official counts, then estimates), with the period's target
    at its end."""
    points = [
        (
            point.day.strftime("%d/%m/%Y") + ("*" if point.estimate else ""),
            point.value,
            point.estimate,
        )
        for point in progress.participants_history(scope, today, scheme)
    ]
    end = period.end.strftime("%d/%m/%Y")
    year_end = next((label for label, _value, _est in points if label.startswith(end)), end)
    return charts.to_json(
        charts.participants_by_year(
            _("%(area)s: participants year by year", area=scope.name),
            points,
            (year_end, target) if target is not None else None,
        )
    )


def dashboard_figures(period, today, scope, units, scheme) -> dict:
    areas = progress.area_leaderboard(period, "participants_total", today, scope, units, scheme)
    office_id = scope.id if scope.is_office else None
    extremes = progress.officer_extremes(period, "new_participants", today, TOP, office_id, scheme)
    figures = area_figures(scope, period, today, areas.total, scope.name, scheme)
    figures["years"] = years_figure(scope, period, today, areas.total.progress.target, scheme)
    figures["wards"] = charts.to_json(
        charts.areas_against_targets(
            _("Wards and communes against their targets"),
            [(row.name, row.extra["participants"], row.progress.target) for row in areas.rows],
        )
    )
    return {"areas": areas, "extremes": extremes, "figures": figures}


@bp.route("/dashboard")
@requires("view_boards")
def dashboard():
    today = local_today()
    period = period_from_request(periods.current_year(today))
    scope = scope_arg(period)
    units, scheme = units_arg(), scheme_arg()
    # The officers at both ends are the office's, or everyone's under an area's dashboard.
    officers = data_versions.office(scope.id) if scope.is_office else data_versions.ALL
    fresh = Fresh(
        "dashboard",
        (period.key, scope.kind, scope.id, units, scheme),
        [*area_slices(scope), officers],
    )
    if response := fresh.not_modified():
        return response
    shown = fresh.figures(lambda: dashboard_figures(period, today, scope, units, scheme))
    areas = shown["areas"]
    return fresh.conditional(
        render_template(
            "boards/dashboard.html",
            period=period,
            today=today,
            scope=scope,
            scope_args=scope_args(scope),
            offices=people.offices(),
            areas=areas,
            scheme=scheme,
            headline=headline(areas),
            extremes=shown["extremes"],
            top_count=TOP,
            figures=shown["figures"],
            may_open=officer_opener(),
        )
    )


@bp.route("/boards/areas/<int:area_id>")
@requires("view_boards")
def area(area_id: int):
    """A ward or commune (or the city): its numbers, charts and officers (drill-down)."""
    today = local_today()
    place = db.get_or_404(Area, area_id)
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("new_participants", progress.FLOW_METRICS)
    scheme = scheme_arg()
    scope = progress.area_scope(place)
    # Its officers are ranked on everything they did, wherever.
    officers = officer_slices(None, place.id, None)
    fresh = Fresh("area", (place.id, period.key, metric, scheme), [*area_slices(scope), *officers])
    if response := fresh.not_modified():
        return response
    shown = fresh.figures(lambda: area_page_figures(place, scope, period, today, metric, scheme))
    return fresh.conditional(
        render_template(
            "boards/area.html",
            place=place,
            period=period,
            today=today,
            metric=metric,
            **shown,
            history=area_history(place),
            scheme=scheme,
            may_open=officer_opener(),
            week_ago=today - timedelta(days=7),
        )
    )


def area_page_figures(place, scope, period, today, metric, scheme) -> dict:
    row = progress.area_leaderboard(period, "participants_total", today, scope, scheme=scheme).total
    return {
        "row": row,
        "officers": progress.officer_leaderboard(
            period, metric, today, area_id=place.id, scheme=scheme
        ),
        "figures": {
            **area_figures(scope, period, today, row, place.name, scheme),
            "years": years_figure(scope, period, today, row.progress.target, scheme),
        },
    }
