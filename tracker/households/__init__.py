"""The household register of each ward (the prospect list), each household's timeline, and
likely duplicates with their merge."""

from flask import Blueprint

bp = Blueprint("households", __name__, url_prefix="/households")

from . import duplicates, views  # noqa: E402,F401
