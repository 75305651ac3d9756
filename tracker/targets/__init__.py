"""Setting targets: the supervisor's team grid, the leader's area and organization targets,
and each target's history."""

from flask import Blueprint

bp = Blueprint("targets", __name__, url_prefix="/targets")

from . import team, views  # noqa: E402,F401
