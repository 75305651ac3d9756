"""Who is asking: Flask-Login for browser sessions, personal tokens for API clients."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from . import parsing
from .errors import json_error
from .extensions import db, login_manager
from .models import ApiToken, User

# Why B105 does not apply: a visible prefix, not a secret
TOKEN_PREFIX = "ot_"  # nosec B105


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """`id:epoch`; a session from an earlier epoch (before a sign-out) loads nobody."""
    user_id, _sep, epoch = session_id.partition(":")
    user_id, epoch = parsing.record_id(user_id), parsing.whole_number(epoch)
    if user_id is None or epoch is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.session_epoch == epoch else None


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: sessions carry the epoch they began in."""
    user.session_epoch += 1


# The token page shows the day a token was last used: writing it on every request of a phone
# syncing its queue would cost a write and a commit each time.
LAST_USED_PRECISION = timedelta(hours=1)


def _user_for_token(header: str) -> User | None:
    """The active user whose live token the header carries (`Bearer <token>`), or None."""
    scheme, _sep, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    row = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    user, now = row.user, datetime.now(UTC)
    used = row.last_used_at
    if used is None or now - used > LAST_USED_PRECISION:
        row.last_used_at = now
        db.session.commit()
    return user


def is_token_request() -> bool:
    """Set for this request by _identify_api_client; the API's CSRF check reads it."""
    return bool(g.get("token_request"))


def _identify_api_client():
    """Under /api/, a request is a token request or a session request, never a mix.

    A request with an Authorization header is a token request: its token alone says who it is,
    any session cookie riding along is ignored, and a token that is not valid is a 401 (it never
    falls back to the session, so `Bearer junk` cannot borrow a browser's session to skip the
    CSRF check). Without the header it is a session request, and its writes need the CSRF token.
    Runs before anything reads current_user, so Flask-Login never looks at the session (whose
    "strong" protection used to wipe an anonymous cookie and answer 401 to a valid token)."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization")
    if header is None:
        return None
    g.token_request = True
    user = _user_for_token(header)
    if user is None:
        return json_error(401, str(_l("This API token is not valid.")), "invalid_token")
    # Flask-Login's own way of setting the request's user (pinned in requirements.txt).
    login_manager._update_request_context_with_user(user)
    return None


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        return json_error(401, str(_l("Sign in first.")), "unauthorized")
    flash(_l("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _force_password_change():
    """After an admin reset, the user changes the password before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.change_password", "auth.logout", "static")
        and not request.path.startswith("/api/")
    ):
        flash(_l("Please choose a new password before you go on."), "warning")
        return redirect(url_for("auth.change_password"))
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    app.before_request(_identify_api_client)
    app.before_request(_force_password_change)
