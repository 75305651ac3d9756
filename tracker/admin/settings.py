"""The office's settings page: the few rules an administrator may change without a deploy
(services/settings.py), each audited."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..extensions import db
from ..services import settings as setting_service
from . import bp
from .forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
@requires("administer")
def settings():
    form = SettingsForm(
        lapse_grace_days=setting_service.lapse_grace_days(),
        credit_confirmed_only=setting_service.credit_rests_on_confirmed(),
    )
    if form.validate_on_submit():
        try:
            setting_service.change(current_user, "lapse_grace_days", form.lapse_grace_days.data)
            setting_service.change(
                current_user, "credit_confirmed_only", int(form.credit_confirmed_only.data)
            )
            db.session.commit()
        except setting_service.SettingError:
            db.session.rollback()
            form.lapse_grace_days.errors.append(_("From 0 to 365 days."))
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.settings"))
    status = 422 if form.errors else 200
    return render_template("admin/settings.html", form=form, known=setting_service.KNOWN), status
