"""The supervisor's team page and each officer's progress page."""

from flask import Blueprint

bp = Blueprint("team", __name__)

from . import views  # noqa: E402,F401
