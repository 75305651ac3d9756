"""The office's working methods: the monthly prospect review and its hand-overs, collection
organizations, awareness sessions, renewals, imports."""

from flask import Blueprint

bp = Blueprint("outreach", __name__)

from . import imports, renewals, reviews, sessions  # noqa: E402,F401
