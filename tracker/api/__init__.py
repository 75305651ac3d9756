"""JSON API under /api/v1 (DESIGN.md's contract): session or `Authorization: Bearer` token."""

from flask import Blueprint, current_app

from ..extensions import csrf
from ..identity import is_token_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _csrf_for_session_requests():
    """Session writes carry X-CSRFToken. Token requests need none: they were authenticated by
    a valid token alone (tracker.identity refuses any other Authorization with a 401)."""
    if not is_token_request() and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


from . import boards, fieldwork, views  # noqa: E402,F401
