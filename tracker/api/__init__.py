"""JSON API under /api/v1 (docs/design.md, "The API"): session or `Authorization: Bearer` token."""

from flask import Blueprint, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import parsing
from ..errors import json_error
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


from . import areas, boards, contribution, fieldwork, spec, views  # noqa: E402,F401


@bp.before_request
def _only_as_the_expected_user():
    """The offline queue says whose records it sends (X-Expected-User): a phone shared by two
    officers must never send one's records under the other's session. 409 when it differs."""
    expected = request.headers.get("X-Expected-User")
    if expected is None or not current_user.is_authenticated:
        return
    if parsing.record_id(expected) != current_user.id:
        abort(
            json_error(
                409, _("Someone else is signed in on this device: nothing was sent."), "wrong_user"
            )
        )
