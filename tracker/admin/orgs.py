from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import requires
from ..collation import in_order
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..forms import choices
from ..models import CollectionOrg
from ..services import areas as area_service
from . import bp
from .forms import CollectionOrgForm


def _save(form: CollectionOrgForm, org: CollectionOrg | None):
    form.area_ids.choices = choices(
        (a.id, a.name) for a in db.session.scalars(area_service.local_areas())
    )
    if org is not None and not form.is_submitted():
        form.area_ids.data = [a.id for a in org.areas]
    if form.validate_on_submit():
        values = {
            "name": form.name.data.strip(),
            "kind": form.kind.data,
            "active": form.active.data,
            "area_ids": form.area_ids.data or [],
        }
        try:
            saved = area_service.save_collection_org(current_user, org, values)
        except RuleBroken as error:
            db.session.rollback()
            on_form(form, error)
        else:
            flash(_("Organization %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.collection_orgs"))
    status = 422 if form.errors else 200
    return render_template("admin/org_form.html", form=form, org=org), status


@bp.route("/collection-orgs")
@requires("administer")
def collection_orgs():
    orgs = db.session.scalars(
        select(CollectionOrg).order_by(CollectionOrg.active.desc(), in_order(CollectionOrg.name))
    ).all()
    return render_template("admin/orgs.html", orgs=orgs)


@bp.route("/collection-orgs/new", methods=["GET", "POST"])
@requires("administer")
def new_collection_org():
    return _save(CollectionOrgForm(), None)


@bp.route("/collection-orgs/<int:org_id>", methods=["GET", "POST"])
@requires("administer")
def edit_collection_org(org_id: int):
    org = db.get_or_404(CollectionOrg, org_id)
    return _save(CollectionOrgForm(obj=org), org)
