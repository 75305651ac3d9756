"""The monthly prospect review (the open prospects, filtered and paged), its hand-overs and
their exports, and a collection organization's page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import exports, parsing, periods, progress
from ..access import is_officer_clause, requires, sees_everyone
from ..collation import in_order
from ..dates import local_today
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..forms import choices
from ..models import CollectionOrg, ProspectReview, User
from ..services import reviews as review_service
from ..services.areas import active_orgs, visible_local_areas
from ..services.records import visible_officers
from ..vocab import HOUSEHOLD_CATEGORIES, HOUSEHOLD_STATUSES
from ..web import choice_arg, int_arg, page_arg, period_from_request, scheme_arg
from . import bp
from .forms import ReviewForm
from .handover_table import handover_table

PER_PAGE = 50


def _offer(form: ReviewForm) -> None:
    orgs = active_orgs()
    form.collection_org_id.choices = choices(
        [(None, _("— keep —"))] + [(o.id, o.name) for o in orgs]
    )
    officers = select(User).where(is_officer_clause()).order_by(in_order(User.full_name))
    if not sees_everyone(current_user):
        officers = officers.where(User.supervisor_id == current_user.id)
    form.officer_id.choices = choices(
        [(None, _("— keep —"))] + [(o.id, o.full_name) for o in db.session.scalars(officers)]
    )


@bp.route("/prospects", methods=["GET", "POST"])
@requires("review_prospects")
def prospects():
    form = ReviewForm()
    _offer(form)
    if request.method == "GET":
        form.month.data = local_today().strftime("%Y-%m")
    if form.validate_on_submit():
        selected = [i for i in map(parsing.record_id, request.form.getlist("household")) if i]
        month = parsing.month(form.month.data)
        try:
            review = review_service.record_review(
                current_user,
                month,
                selected,
                form.collection_org_id.data,
                form.officer_id.data,
                form.note.data or "",
            )
        except RuleBroken as error:
            db.session.rollback()
            on_form(form, error)
        else:
            flash(
                _(
                    "Review for %(month)s recorded: %(count)d households.",
                    month=month.strftime("%m/%Y"),
                    count=len(review.items),
                ),
                "success",
            )
            return redirect(
                url_for(
                    "outreach.handover",
                    review_id=review.id,
                    org=form.collection_org_id.data or "none",
                )
            )
    filters = review_service.ProspectFilters(
        area_id=int_arg("area"),
        status=choice_arg("status", review_service.OPEN_STATUSES),
        officer_id=int_arg("officer"),
        category=choice_arg("category", HOUSEHOLD_CATEGORIES),
        query=request.args.get("q", "")[:120],
    )
    page = db.paginate(
        review_service.prospects(current_user, filters),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "outreach/prospects.html",
        form=form,
        page=page,
        filters=filters,
        last_contacts=review_service.last_contacts([h.id for h in page.items]),
        open_statuses=[(code, HOUSEHOLD_STATUSES[code]) for code in review_service.OPEN_STATUSES],
        areas=visible_local_areas(current_user),
        officers=visible_officers(current_user),
    ), 422 if form.errors or form.form_errors else 200


def _review(review_id: int) -> ProspectReview:
    review = db.get_or_404(ProspectReview, review_id)
    if not review_service.may_see_review(current_user, review):
        abort(403)
    return review


def _org_arg(value: str) -> tuple[int | None, CollectionOrg | None]:
    if value == "none":
        return None, None
    org_id = parsing.record_id(value)
    if org_id is None:
        abort(404)
    return org_id, db.get_or_404(CollectionOrg, org_id)


@bp.route("/handovers")
@requires("view_team")
def handovers():
    return render_template(
        "outreach/handovers.html", handovers=review_service.handovers(current_user)
    )


@bp.route("/handovers/<int:review_id>/<org>")
@requires("view_team")
def handover(review_id: int, org: str):
    review = _review(review_id)
    org_id, organization = _org_arg(org)
    items = review_service.handover_items(review, org_id)
    return render_template(
        "outreach/handover.html", review=review, org=organization, org_key=org, items=items
    )


@bp.route("/handovers/<int:review_id>/<org>.<any(csv, xlsx):extension>")
@requires("export")
def handover_export(review_id: int, org: str, extension: str):
    """A hand-over list as a file for the collection organization (tracker/exports.py)."""
    review = _review(review_id)
    org_id, organization = _org_arg(org)
    items = review_service.handover_items(review, org_id)
    return exports.download(handover_table(review, organization, items), extension)


@bp.route("/orgs/<int:org_id>")
@requires("view_boards")
def org(org_id: int):
    organization = db.get_or_404(CollectionOrg, org_id)
    today = local_today()
    period = period_from_request(periods.current_year(today))
    scheme = scheme_arg()
    board = progress.org_leaderboard(period, today, scheme)
    row = next((r for r in board.rows if r.id == organization.id), None)
    handed = [h for h in review_service.handovers(current_user) if h.org == organization]
    return render_template(
        "outreach/org.html",
        org=organization,
        row=row,
        board_metric=board.metric,
        scheme=scheme,
        period=period,
        today=today,
        handovers=handed,
    )
