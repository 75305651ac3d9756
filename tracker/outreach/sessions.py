"""Awareness sessions: the report of those held in a period, and recording a new one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import periods
from ..access import requires
from ..dates import local_today
from ..errors import RuleBroken
from ..fieldwork_forms import offer_areas, show_errors
from ..services import sessions as session_service
from ..web import period_from_request
from . import bp
from .forms import SessionForm


@bp.route("/sessions")
@requires("view_records")
def sessions():
    today = local_today()
    period = period_from_request(periods.current_year(today))
    return render_template(
        "outreach/sessions.html",
        period=period,
        today=today,
        rows=session_service.report(current_user, period.start, period.end),
        follow_days=session_service.FOLLOW_UP_DAYS,
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires("log_fieldwork")
def new_session():
    form = SessionForm()
    offer_areas(form, current_user)
    if request.method == "GET":
        form.held_on.data = local_today()
    if form.validate_on_submit():
        data = session_service.SessionInput(
            area_id=form.area_id.data,
            held_on=form.held_on.data,
            starts_at=form.starts_at.data,
            kind=form.kind.data,
            title=form.title.data,
            partner_org=form.partner_org.data,
            attendees=form.attendees.data,
            notes=form.notes.data,
        )
        try:
            session_service.record(current_user, data)
        except RuleBroken as error:
            show_errors(form, error)
        else:
            flash(_("Session recorded."), "success")
            return redirect(url_for("outreach.sessions"))
    return render_template("outreach/session_form.html", form=form), (
        422 if form.errors or form.form_errors else 200
    )
