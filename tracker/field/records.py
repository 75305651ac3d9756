from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..access import requires, visible_officer_ids
from ..collation import in_order
from ..extensions import db
from ..models import User
from ..services import records as record_service
from ..services.areas import visible_local_areas
from ..services.fieldwork import EDIT_WINDOW
from ..vocab import CONTACT_CHANNELS, CONTACT_OUTCOMES
from ..web import date_arg, int_arg, page_arg
from . import bp

PER_PAGE = 25


@bp.route("/records")
@requires("view_records")
def records():
    kind = request.args.get("kind", "contacts")
    if kind not in ("contacts", "enrollments"):
        abort(400)
    filters = record_service.RecordFilters(
        start=date_arg("from"),
        end=date_arg("to"),
        area_id=int_arg("area"),
        officer_id=int_arg("officer"),
        channel=request.args.get("channel")
        if request.args.get("channel") in CONTACT_CHANNELS
        else None,
        outcome=request.args.get("outcome")
        if request.args.get("outcome") in CONTACT_OUTCOMES
        else None,
    )
    query = (record_service.contacts if kind == "contacts" else record_service.enrollments)(
        current_user, filters
    )
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    areas = visible_local_areas(current_user)
    officer_ids = visible_officer_ids(current_user)
    officers = (
        []
        if officer_ids == {current_user.id}
        else db.session.scalars(
            select(User)
            .where(User.id.in_(officer_ids) if officer_ids is not None else True)
            .order_by(in_order(User.full_name))
        ).all()
    )
    return render_template(
        "field/records.html",
        kind=kind,
        page=page,
        filters=filters,
        areas=areas,
        officers=officers,
        edit_window=EDIT_WINDOW,
    )
