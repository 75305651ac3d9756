"""JSON API under /api/v1 (DESIGN.md's contract): session or `Authorization: Bearer` token."""

from flask import Blueprint, current_app, request

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _csrf_unless_bearer():
    """Browser-session writes carry X-CSRFToken; bearer-token writes need none."""
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    if not bearer and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


from . import areas, boards, contribution, fieldwork, views  # noqa: E402,F401
