"""Sign-in (throttled, with the same answer and timing for every failure), sign-out, one's own
password, language and API tokens."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ..access import public, signed_in
from ..extensions import db, limiter
from ..identity import end_all_sessions
from ..routing import safe_next
from ..services import tokens as token_service
from ..services import users as user_service
from . import bp
from .forms import ChangePasswordForm, LanguageForm, LoginForm, TokenForm


def _limit(setting: str):
    return lambda: current_app.config[setting]


def _username() -> str:
    return user_service.User.normalize_username(request.form.get("username", ""))[:64]


def _username_key() -> str:
    return "user:" + _username()


def _address_and_username_key() -> str:
    return f"{get_remote_address()}|user:{_username()}"


def _only_failures(response) -> bool:
    """A successful sign-in redirects; only refused attempts count against the limits."""
    return response.status_code != 302


# Three buckets, so one person's typos behind an office's shared address lock out only them:
# per (address, username) the tight limit, per username (any address) a looser one against
# guessing spread over many addresses, and per address a ceiling an office never reaches.
@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    _limit("LOGIN_ATTEMPTS_LIMIT"),
    methods=["POST"],
    key_func=_address_and_username_key,
    deduct_when=_only_failures,
)
@limiter.limit(
    _limit("LOGIN_USERNAME_LIMIT"),
    methods=["POST"],
    key_func=_username_key,
    deduct_when=_only_failures,
)
@limiter.limit(_limit("LOGIN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=_only_failures)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    elif not form.validate_on_submit():
        status = 422
    else:
        user = user_service.authenticate(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong username or password."))
            status = 401
        elif not user.active:
            form.username.errors.append(_("This account has been deactivated."))
            status = 403
        else:
            locale = session.get("locale")
            session.clear()  # a fresh session at sign-in: nothing carried over
            login_user(user, remember=form.remember.data)
            if locale:
                session["locale"] = locale
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """Ends this session and, server-side, every other copy of it (see identity)."""
    end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("auth.login"))
    # Boards and Today may stay in the browser's cache to be revalidated (tracker/fresh.py):
    # none of them stays behind the user who leaves a shared phone.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            user_service.change_own_password(current_user, form.new_password.data)
            login_user(current_user._get_current_object())  # this device stays signed in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("main.home"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@signed_in
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            new_token = token_service.create(current_user, form.name.data)
        except token_service.TokenError:
            form.name.errors.append(_("Revoke an old token first: 20 at most."))
        else:
            form = TokenForm(formdata=None)
    status = 422 if form.errors else 200
    return render_template(
        "auth/tokens.html",
        form=form,
        new_token=new_token,
        tokens=token_service.tokens_of(current_user),
    ), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@signed_in
def revoke_token(token_id: int):
    if not token_service.revoke(current_user, token_id):
        abort(404)
    flash(_("Token revoked: it no longer works."), "success")
    return redirect(url_for("auth.tokens"))
