"""JSON API under /api/v1 (DESIGN.md's contract): session or `Authorization: Bearer` token."""

from flask import Blueprint, request

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _csrf_unless_bearer():
    """Browser-session writes carry X-CSRFToken; bearer-token writes need none."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        csrf.protect()


from . import views  # noqa: E402,F401
