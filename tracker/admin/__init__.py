"""Administration: users, areas, collection-service organizations."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import areas, audit, orgs, users  # noqa: E402,F401
