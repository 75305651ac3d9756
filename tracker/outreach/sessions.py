from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import periods
from ..access import requires
from ..extensions import db
from ..field.helpers import offer_areas, show_errors
from ..i18n import number
from ..models import Enrollment
from ..services import renewals as renewal_service
from ..services import sessions as session_service
from ..services import support_cap
from ..services.fieldwork import NotAllowed, ValidationError
from ..web import local_today, period_from_request
from . import bp
from .forms import RenewalForm, SessionForm


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
        except ValidationError as error:
            show_errors(form, error.fields)
        else:
            flash(_("Session recorded."), "success")
            return redirect(url_for("outreach.sessions"))
    return render_template("outreach/session_form.html", form=form), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/renewals")
@requires("view_records")
def renewals():
    today = local_today()
    due = renewal_service.due(current_user, today)
    return render_template(
        "outreach/renewals.html",
        due=due,
        today=today,
        soon=today + timedelta(days=30),
        form=RenewalForm(formdata=None, renewed_on=today),
        support_left=support_cap.remaining_for(due),
    )


@bp.route("/renewals/<int:enrollment_id>", methods=["POST"])
@requires("log_fieldwork")
def renew(enrollment_id: int):
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    if not renewal_service.may_renew(current_user, enrollment):
        abort(403)
    form = RenewalForm()
    if not form.validate_on_submit():
        flash(_("Give the date paid and the number of months (1 to 600)."), "danger")
        return redirect(url_for("outreach.renewals"))
    data = renewal_service.RenewalInput(
        renewed_on=form.renewed_on.data,
        method=form.method.data or None,
        months=form.months.data,
        income_basis=form.income_basis.data,
        client_token=form.client_token.data,
    )
    try:
        renewal = renewal_service.record(current_user, enrollment, data)
    except NotAllowed:
        abort(403)
    except ValidationError as error:
        db.session.rollback()
        for message in error.fields.values():
            flash(message, "danger")
    else:
        flash(
            _(
                "Renewal recorded: %(name)s is now paid through %(date)s.",
                name=enrollment.participant_name,
                date=renewal.paid_through_after.strftime("%d/%m/%Y"),
            ),
            "success",
        )
        if renewal.amount_due is not None:
            flash(
                _(
                    "%(months)d months at %(contribution)s đồng, with state support for "
                    "%(supported)d of them: %(due)s đồng due.",
                    months=renewal.months,
                    contribution=number(renewal.monthly_contribution),
                    supported=renewal.supported_months,
                    due=number(renewal.amount_due),
                ),
                "info",
            )
    return redirect(url_for("outreach.renewals"))
