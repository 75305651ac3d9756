from flask import abort, render_template, request
from flask_login import current_user

from .. import periods, progress
from ..access import may_see_officer, requires
from ..extensions import db
from ..models import User
from ..services import people
from ..vocab import TARGET_METRICS
from ..web import int_arg, local_today, period_from_request
from . import bp

FLOW_METRIC_CHOICES = {m: TARGET_METRICS[m] for m in progress.FLOW_METRICS}


@bp.route("/team")
@requires("view_team")
def team():
    today = local_today()
    leader = people.team_leader_for(current_user, int_arg("supervisor"))
    if leader is None:
        abort(404)
    period = period_from_request(periods.current_month(today))
    metric = request.args.get("metric", "new_participants")
    if metric not in progress.FLOW_METRICS:
        abort(400)
    rows = progress.team_board(period, metric, people.team_members(leader), today)
    return render_template(
        "team/team.html",
        rows=rows,
        period=period,
        metric=metric,
        leader=leader,
        supervisors=people.supervisors(),
        today=today,
        metrics=FLOW_METRIC_CHOICES,
    )


@bp.route("/officers/<int:officer_id>")
@requires("view_records")
def officer(officer_id: int):
    person = db.get_or_404(User, officer_id)
    if not may_see_officer(current_user, person):
        abort(403)
    today = local_today()
    period = period_from_request(periods.current_month(today))
    numbers = progress.officer_progress(person.id, period, today)
    return render_template(
        "team/officer.html",
        person=person,
        period=period,
        numbers=numbers,
        today=today,
        metrics=FLOW_METRIC_CHOICES,
    )
