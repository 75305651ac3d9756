from datetime import date, timedelta

from flask import abort, render_template
from flask_babel import gettext as _

from .. import charts, periods, progress
from ..access import requires
from ..extensions import db
from ..models import Area, ParticipantCount
from ..web import local_today, period_from_request, period_label
from . import bp
from .views import metric_arg, officer_opener

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


def year_points(area: Area, today: date) -> list[tuple[str, int, bool]]:
    """The area's official counts, then an estimate at each later year's end and today."""
    counts = (
        db.session.query(ParticipantCount)
        .filter_by(area_id=area.id)
        .order_by(ParticipantCount.as_of)
        .all()
    )
    points = [(count.as_of.strftime("%d/%m/%Y"), count.participants, False) for count in counts]
    last = counts[-1].as_of if counts else date(today.year - 1, 12, 31)
    days = [
        date(year, 12, 31) for year in range(last.year, today.year) if date(year, 12, 31) > last
    ]
    days.append(today)
    for day in days:
        value = progress.participants_on(day, [area.id])[area.id].value
        if value is not None:
            points.append((day.strftime("%d/%m/%Y") + "*", value, True))
    return points


def area_figures(area: Area, period: periods.Period, today: date, board_row) -> dict:
    subtree = progress.subtree_ids(area.id)
    daily = progress.daily_actuals("new_participants", period, "area_id", subtree)
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
                _("%(area)s: new participants against the growth asked", area=area.name),
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
                progress.funnel(period, "area_id", subtree),
            )
        ),
    }


@bp.route("/dashboard")
@requires("view_boards")
def dashboard():
    today = local_today()
    period = period_from_request(periods.current_year(today))
    city = progress.default_parent()
    if city is None:
        abort(404)
    areas = progress.area_leaderboard(period, "participants_total", today, city)
    top, bottom = progress.officer_extremes(period, "new_participants", today, TOP)
    figures = area_figures(city, period, today, areas.total)
    target = areas.total.progress.target
    points = year_points(city, today)
    year_end = next(
        (
            label
            for label, _value, _estimate in points
            if label.startswith(period.end.strftime("%d/%m/%Y"))
        ),
        period.end.strftime("%d/%m/%Y"),
    )
    figures["years"] = charts.to_json(
        charts.participants_by_year(
            _("%(area)s: participants year by year", area=city.name),
            points,
            (year_end, target) if target is not None else None,
        )
    )
    figures["wards"] = charts.to_json(
        charts.areas_against_targets(
            _("Wards and communes against their targets"),
            [(row.name, row.extra["participants"], row.progress.target) for row in areas.rows],
        )
    )
    return render_template(
        "boards/dashboard.html",
        period=period,
        today=today,
        city=city,
        areas=areas,
        headline=headline(areas),
        top=top,
        bottom=bottom,
        figures=figures,
        may_open=officer_opener(),
    )


@bp.route("/boards/areas/<int:area_id>")
@requires("view_boards")
def area(area_id: int):
    """A ward or commune (or the city): its numbers, charts and officers (drill-down)."""
    today = local_today()
    place = db.get_or_404(Area, area_id)
    period = period_from_request(periods.current_year(today))
    metric = metric_arg("new_participants", progress.FLOW_METRICS)
    parent = db.session.get(Area, place.parent_id) if place.parent_id else place
    board = progress.area_leaderboard(period, "participants_total", today, parent)
    row = board.total if parent is place else next(r for r in board.rows if r.id == place.id)
    officers = progress.officer_leaderboard(period, metric, today, area_id=place.id)
    return render_template(
        "boards/area.html",
        place=place,
        row=row,
        period=period,
        today=today,
        officers=officers,
        metric=metric,
        figures=area_figures(place, period, today, row),
        may_open=officer_opener(),
        week_ago=today - timedelta(days=7),
    )
