from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import is_supervisor_clause, requires, role_has
from ..collation import in_order
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..forms import choices
from ..models import User
from ..services import areas as area_service
from ..services import people
from ..services import users as user_service
from . import bp
from .forms import NewUserForm, ResetPasswordForm, UserForm


def _fill_choices(form: UserForm) -> None:
    supervisors = db.session.scalars(
        select(User).where(is_supervisor_clause()).order_by(in_order(User.full_name))
    )
    form.supervisor_id.choices = choices(
        [(None, _("— none —"))] + [(u.id, u.full_name) for u in supervisors]
    )
    form.office_id.choices = choices(
        [(None, _("— none —"))] + [(o.id, o.name) for o in people.offices()]
    )
    areas = db.session.scalars(area_service.local_areas()).all()
    form.area_ids.choices = choices((a.id, a.name) for a in areas)
    form.primary_area_id.choices = choices(
        [(None, _("— none —"))] + [(a.id, a.name) for a in areas]
    )


def _changes(form: UserForm) -> user_service.UserChanges:
    return user_service.UserChanges(
        username=form.username.data,
        full_name=form.full_name.data,
        role=form.role.data,
        supervisor_id=form.supervisor_id.data,
        office_id=form.office_id.data,
        active=form.active.data,
        locale=form.locale.data,
        area_ids=form.area_ids.data or [],
        primary_area_id=form.primary_area_id.data,
    )


@bp.route("/users")
@requires("administer")
def users():
    rows = db.session.scalars(
        select(User).order_by(User.active.desc(), in_order(User.full_name))
    ).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("administer")
def new_user():
    form = NewUserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            user = user_service.create_user(
                current_user, _changes(form), form.new_password.data, must_change_password=True
            )
        except RuleBroken as error:
            on_form(form, error)
        else:
            flash(_("User %(name)s created.", name=user.full_name), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("administer")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    _fill_choices(form)
    reset_form = ResetPasswordForm(prefix="reset")
    if not form.is_submitted():
        form.area_ids.data = [a.area_id for a in user.assignments]
        form.primary_area_id.data = user.primary_area.id if user.primary_area else None
    if form.validate_on_submit():
        if user.id == current_user.id and (
            not form.active.data or not role_has(form.role.data, "administer")
        ):
            form.role.errors.append(_("You cannot take away your own administrator access."))
        else:
            try:
                user_service.update_user(current_user, user, _changes(form))
            except RuleBroken as error:
                db.session.rollback()
                on_form(form, error)
            else:
                flash(_("Changes to %(name)s saved.", name=user.full_name), "success")
                return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/user_form.html", form=form, user=user, reset_form=reset_form
    ), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@requires("administer")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm(prefix="reset")
    form.account_username = user.username
    if not form.validate_on_submit():
        for message in form.new_password.errors:
            flash(message, "danger")
        if not form.new_password.errors:
            abort(400)
        return redirect(url_for("admin.edit_user", user_id=user.id))
    user_service.reset_password(current_user, user, form.new_password.data)
    flash(
        _("Temporary password set. %(name)s must change it at next sign-in.", name=user.full_name),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))
