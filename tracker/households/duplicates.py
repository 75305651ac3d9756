"""Likely duplicate households, a page of groups at a time, and merging one into another. The
list's filters travel with each merge so the supervisor comes back to the page they were on."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

from ..access import requires
from ..errors import RuleBroken
from ..extensions import db
from ..forms import WholeNumberField
from ..models import Household
from ..services import duplicates as duplicate_service
from ..services.areas import visible_local_areas
from ..web import choice_arg, int_arg, paginate_select_rows
from . import bp

PER_PAGE = 20
LIST_ARGS = ("area", "match", "page")


class MergeForm(FlaskForm):
    keep = WholeNumberField(validators=[InputRequired()])
    remove = WholeNumberField(validators=[InputRequired()])


def _list_args() -> dict[str, str]:
    return {name: request.args[name] for name in LIST_ARGS if request.args.get(name)}


@bp.route("/duplicates")
@requires("merge_households")
def duplicates():
    area_id, match = int_arg("area"), choice_arg("match", duplicate_service.MATCHES)
    page = paginate_select_rows(
        duplicate_service.group_keys(current_user, area_id, match), PER_PAGE
    )
    keys = [duplicate_service.GroupKey(*row) for row in page.items]
    groups, history = duplicate_service.members(keys)
    return render_template(
        "households/duplicates.html",
        page=page,
        groups=groups,
        history=history,
        area_id=area_id,
        match=match,
        areas=visible_local_areas(current_user),
        list_args=_list_args(),
        form=MergeForm(),
    )


@bp.route("/merge", methods=["POST"])
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
    except RuleBroken as error:
        db.session.rollback()
        flash(error.text(), "danger")
    else:
        flash(
            _("Merged into %(name)s: contacts and enrollments moved.", name=keep.head_name),
            "success",
        )
    return redirect(url_for("households.duplicates", **_list_args()))
