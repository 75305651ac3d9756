"""Admin pages for areas: the tree on a day (or all of its history), and one unit's form."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..dates import local_today
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..forms import choices
from ..models import Area
from ..services import areas as area_service
from ..web import date_arg
from . import bp
from .forms import AreaForm

AREA_VALUE_FIELDS = area_service.AREA_FIELDS


def _save(form: AreaForm, area: Area | None):
    form.parent_id.choices = choices(
        [(None, _("— none —"))]
        + [
            (a.id, area_service.label_in_time(a))
            for a in db.session.scalars(area_service.all_areas())
            if not a.is_local and a is not area
        ]
    )
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in AREA_VALUE_FIELDS}
        values["code"] = values["code"].strip()
        values["name"] = values["name"].strip()
        try:
            saved = area_service.save_area(current_user, area, values)
        except RuleBroken as error:
            db.session.rollback()
            on_form(form, error)
        else:
            flash(_("Area %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.areas"))
    status = 422 if form.errors else 200
    history = area_service.area_history(area) if area else None
    return render_template("admin/area_form.html", form=form, area=area, history=history), status


@bp.route("/areas")
@requires("administer")
def areas():
    """The units that exist on a day (today by default), or every unit ever (?on=all)."""
    text = request.args.get("on", "")
    day = None if text == "all" else (date_arg("on") or local_today())
    return render_template(
        "admin/areas.html", tree=area_service.area_tree(day), on=day, today=local_today()
    )


@bp.route("/areas/new", methods=["GET", "POST"])
@requires("administer")
def new_area():
    return _save(AreaForm(), None)


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@requires("administer")
def edit_area(area_id: int):
    area = db.get_or_404(Area, area_id)
    return _save(AreaForm(obj=area), area)
