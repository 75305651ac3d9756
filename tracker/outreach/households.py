from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..extensions import db
from ..models import Household
from ..services import duplicates as duplicate_service
from . import bp
from .forms import MergeForm


@bp.route("/households/duplicates")
@requires("merge_households")
def duplicates():
    return render_template(
        "outreach/duplicates.html", groups=duplicate_service.groups(current_user), form=MergeForm()
    )


@bp.route("/households/merge", methods=["POST"])
@requires("merge_households")
def merge():
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400)
    keep = db.get_or_404(Household, form.keep.data)
    remove = db.get_or_404(Household, form.remove.data)
    try:
        duplicate_service.merge(current_user, keep, remove)
    except PermissionError:
        abort(403)
    except duplicate_service.MergeError:
        db.session.rollback()
        flash(_("Only two different households of the same ward can be merged."), "danger")
    else:
        flash(
            _("Merged into %(name)s: contacts and enrollments moved.", name=keep.head_name),
            "success",
        )
    return redirect(url_for("outreach.duplicates"))
