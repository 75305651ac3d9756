"""Who is asking: Flask-Login for browser sessions, personal tokens for API clients."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import Flask, flash, redirect, request, url_for
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


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:
    """`Authorization: Bearer <token>` for API clients; only under /api/."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    row = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    user, now = row.user, datetime.now(UTC)
    used = row.last_used_at
    if used is not None and used.tzinfo is None:  # SQLite keeps no zone: it was stored as UTC
        used = used.replace(tzinfo=UTC)
    if used is None or now - used > LAST_USED_PRECISION:
        row.last_used_at = now
        db.session.commit()
    return user


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
    app.before_request(_force_password_change)
