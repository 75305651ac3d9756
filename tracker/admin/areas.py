from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..extensions import db
from ..forms import choices
from ..models import Area
from ..services import areas as area_service
from . import bp
from .forms import AreaForm

AREA_VALUE_FIELDS = area_service.AREA_FIELDS


def _error_message(code: str) -> str:
    return {
        "taken": _("Another area already has this code."),
        "wrong_parent": _(
            "A province stands alone; a city or district belongs to a province; "
            "a ward or commune belongs to a city or district."
        ),
        "cycle": _("An area cannot be part of itself."),
    }[code]


def _save(form: AreaForm, area: Area | None):
    form.parent_id.choices = choices(
        [(None, _("— none —"))]
        + [
            (a.id, a.name)
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
        except area_service.AreaError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_error_message(error.message))
        else:
            flash(_("Area %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.areas"))
    status = 422 if form.errors else 200
    return render_template("admin/area_form.html", form=form, area=area), status


@bp.route("/areas")
@requires("administer")
def areas():
    return render_template("admin/areas.html", tree=area_service.area_tree())


@bp.route("/areas/new", methods=["GET", "POST"])
@requires("administer")
def new_area():
    return _save(AreaForm(), None)


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@requires("administer")
def edit_area(area_id: int):
    area = db.get_or_404(Area, area_id)
    return _save(AreaForm(obj=area), area)
