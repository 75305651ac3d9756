"""Admin pages for the insurer's offices: which areas each covers (a city before 2025, the
units it became after) and whether it is active. Areas are added by code as they were on a day,
since a code names one unit a day."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import requires
from ..collation import in_order
from ..extensions import db
from ..forms import choices
from ..i18n import validity
from ..models import Office
from ..services import offices as office_service
from . import bp
from .forms import OfficeForm


@bp.route("/offices")
@requires("administer")
def offices():
    found = db.session.scalars(
        select(Office).order_by(Office.active.desc(), in_order(Office.name))
    ).all()
    return render_template("admin/offices.html", offices=found)


def _save(form: OfficeForm, office: Office | None):
    covered = office.areas if office else []
    form.keep.choices = choices(
        (a.id, f"{a.name} · {a.code}" + (f" ({validity(a)})" if validity(a) else ""))
        for a in covered
    )
    if office is not None and not form.is_submitted():
        form.keep.data = [a.id for a in covered]
    if form.validate_on_submit():
        values = office_service.OfficeValues(
            form.code.data.strip(),
            form.name.data.strip(),
            form.active.data,
            form.keep.data or [],
            form.add_codes.data or "",
            form.add_on.data,
        )
        try:
            saved = office_service.save_office(current_user, office, values)
        except office_service.OfficeError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(office_service.message(error))
        else:
            flash(_("Office %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.offices"))
    status = 422 if form.errors else 200
    return render_template("admin/office_form.html", form=form, office=office), status


@bp.route("/offices/new", methods=["GET", "POST"])
@requires("administer")
def new_office():
    return _save(OfficeForm(), None)


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@requires("administer")
def edit_office(office_id: int):
    office = db.get_or_404(Office, office_id)
    return _save(OfficeForm(obj=office), office)
