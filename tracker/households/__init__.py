"""The household register of each ward (the prospect list) and each household's timeline."""

from flask import Blueprint

bp = Blueprint("households", __name__, url_prefix="/households")

from . import views  # noqa: E402,F401
