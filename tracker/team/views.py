from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import charts, data_versions, periods, progress
from ..access import may_see_officer, requires
from ..dates import local_today, period_label
from ..extensions import db
from ..fresh import Fresh
from ..models import User
from ..progress.metrics import labels
from ..progress.metrics import metric as declared
from ..services import lifecycle, people
from ..web import int_arg, period_from_request, scheme_arg
from . import bp


def _funnel(period: periods.Period, officer_ids, scheme: str) -> str:
    return charts.to_json(
        charts.funnel(
            _("From contact to enrollment, %(period)s", period=period_label(period)),
            progress.funnel(period, "officer_id", officer_ids, scheme),
        )
    )


@bp.route("/team")
@requires("view_team")
def team():
    today = local_today()
    try:
        leader = people.team_leader_for(current_user, int_arg("supervisor"))
    except PermissionError:
        abort(403)
    if leader is None:
        abort(404)
    period = period_from_request(periods.current_month(today))
    metric = request.args.get("metric", "new_participants")
    if metric not in progress.FLOW_METRICS:
        abort(400)
    scheme = scheme_arg()
    members = people.team_members(leader)
    fresh = Fresh(
        "team", (leader.id, period.key, metric, scheme), map(data_versions.officer, members)
    )
    if response := fresh.not_modified():
        return response
    rows = progress.team_board(period, metric, members, today, scheme)
    targets = [row.progress.target for row in rows if row.progress.target is not None]
    whole_team = progress.evaluate(
        metric,
        period,
        today,
        sum(targets) if targets else None,
        sum(row.progress.actual for row in rows),
    )
    burnup = charts.burnup(
        _("Team of %(name)s: %(metric)s", name=leader.full_name, metric=declared(metric).label),
        period,
        today,
        progress.daily_actuals(metric, period, "officer_id", members, scheme),
        whole_team.target,
        whole_team.forecast,
    )
    page = render_template(
        "team/team.html",
        rows=rows,
        period=period,
        metric=metric,
        leader=leader,
        supervisors=people.supervisors(),
        today=today,
        scheme=scheme,
        metrics=labels(progress.FLOW_METRICS),
        lapses=lifecycle.to_win_back(list(members), today, scheme),
        figures={"burnup": charts.to_json(burnup), "funnel": _funnel(period, members, scheme)},
    )
    return fresh.conditional(page)


@bp.route("/officers/<int:officer_id>")
@requires("view_records")
def officer(officer_id: int):
    person = db.session.get(User, officer_id)
    if person is None or not may_see_officer(current_user, person):
        abort(403)  # the same answer whether the id exists or not
    today = local_today()
    period = period_from_request(periods.current_month(today))
    scheme = scheme_arg()
    numbers = progress.officer_progress(person.id, period, today, scheme)
    enrolled = numbers["new_participants"]
    burnup = charts.burnup(
        _("%(name)s: new participants", name=person.full_name),
        period,
        today,
        progress.daily_actuals("new_participants", period, "officer_id", [person.id], scheme),
        enrolled.target,
        enrolled.forecast,
    )
    calendar = charts.activity_calendar(
        _("Contacts per day"),
        period,
        progress.daily_actuals("contacts", period, "officer_id", [person.id]),
    )
    figures = {
        "burnup": charts.to_json(burnup),
        "calendar": charts.to_json(calendar),
        "funnel": _funnel(period, [person.id], scheme),
    }
    return render_template(
        "team/officer.html",
        person=person,
        period=period,
        numbers=numbers,
        today=today,
        scheme=scheme,
        metrics=labels(progress.FLOW_METRICS),
        figures=figures,
    )
