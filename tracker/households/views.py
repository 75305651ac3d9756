from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..access import requires
from ..collation import in_order
from ..extensions import db
from ..models import CollectionOrg, Household, User
from ..services import households as household_service
from ..services.areas import visible_local_areas
from ..vocab import HOUSEHOLD_CATEGORIES, HOUSEHOLD_STATUSES
from ..web import int_arg, page_arg
from . import bp

PER_PAGE = 30


@bp.route("")
@requires("view_households")
def register():
    filters = household_service.HouseholdFilters(
        area_id=int_arg("area"),
        officer_id=int_arg("officer"),
        collection_org_id=int_arg("org"),
        status=request.args.get("status")
        if request.args.get("status") in HOUSEHOLD_STATUSES
        else None,
        category=request.args.get("category")
        if request.args.get("category") in HOUSEHOLD_CATEGORIES
        else None,
        query=request.args.get("q", "")[:120],
    )
    page = db.paginate(
        household_service.register(current_user, filters),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    areas = visible_local_areas(current_user)
    officers = db.session.scalars(
        select(User)
        .where(
            User.id.in_(
                select(Household.officer_id).where(Household.area_id.in_([a.id for a in areas]))
            )
        )
        .order_by(in_order(User.full_name))
    ).all()
    orgs = db.session.scalars(select(CollectionOrg).order_by(in_order(CollectionOrg.name))).all()
    return render_template(
        "households/register.html",
        page=page,
        filters=filters,
        areas=areas,
        officers=officers,
        orgs=orgs,
    )


@bp.route("/<int:household_id>")
@requires("view_households")
def detail(household_id: int):
    household = db.get_or_404(Household, household_id)
    if not household_service.may_see(current_user, household):
        abort(403)
    return render_template(
        "households/detail.html", household=household, entries=household_service.timeline(household)
    )
