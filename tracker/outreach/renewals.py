"""Renewals due: the list (filtered, paged in SQL) and recording that a participant paid again.
The list's filters travel with each renewal so the officer comes back to the page they were on."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..i18n import number
from ..models import Enrollment
from ..services import renewals as renewal_service
from ..services import support_cap
from ..services.areas import visible_local_areas
from ..services.fieldwork import NotAllowed
from ..services.records import visible_officers, with_lineage
from ..vocab import ENROLLMENT_SCHEMES
from ..web import choice_arg, int_arg, page_arg
from . import bp
from .forms import RenewalForm

PER_PAGE = 25
LIST_ARGS = ("window", "status", "area", "officer", "scheme", "page")


def _filters() -> renewal_service.DueFilters:
    windows = {str(days): days for days in renewal_service.WINDOWS}
    return renewal_service.DueFilters(
        window=windows[choice_arg("window", windows, str(renewal_service.WINDOW.days))],
        status=choice_arg("status", renewal_service.STATUSES),
        area_ids=with_lineage(int_arg("area")),
        officer_id=int_arg("officer"),
        scheme=choice_arg("scheme", ENROLLMENT_SCHEMES),
    )


def _list_args() -> dict[str, str]:
    """The list's own arguments of this request: where a renewal sends the officer back to."""
    return {name: request.args[name] for name in LIST_ARGS if request.args.get(name)}


@bp.route("/renewals")
@requires("view_records")
def renewals():
    today = local_today()
    filters = _filters()
    page = db.paginate(
        renewal_service.due(current_user, today, filters),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    kept_until = renewal_service.grace_boundary(today)
    return render_template(
        "outreach/renewals.html",
        page=page,
        filters=filters,
        area_id=int_arg("area"),
        areas=visible_local_areas(current_user),
        officers=visible_officers(current_user),
        today=today,
        soon=today + timedelta(days=filters.window),
        kept_until=kept_until,
        lapse_after=today - kept_until + timedelta(days=1),
        form=RenewalForm(formdata=None, renewed_on=today),
        support_left=support_cap.remaining_for(page.items),
        list_args=_list_args(),
    )


@bp.route("/renewals/<int:enrollment_id>", methods=["POST"])
@requires("log_fieldwork")
def renew(enrollment_id: int):
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    if not renewal_service.may_renew(current_user, enrollment):
        abort(403)
    back = redirect(url_for("outreach.renewals", **_list_args()))
    form = RenewalForm()
    if not form.validate_on_submit():
        flash(_("Give the date paid and the number of months (1 to 600)."), "danger")
        return back
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
    except RuleBroken as error:
        db.session.rollback()
        for message in error.messages().values():
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
    return back
