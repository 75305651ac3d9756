"""Administration: users, areas in time and their reorganisations, the insurer's offices,
collection-service organizations, the rules of the law (income bases, support rates), the audit
log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import areas, audit, offices, orgs, reorganisations, rules, settings, users  # noqa: E402,F401
