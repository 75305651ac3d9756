"""Leaderboards (officers, areas, collection organizations), the leadership dashboard, and
their exports."""

from flask import Blueprint

bp = Blueprint("boards", __name__)

from . import dashboard, views  # noqa: E402,F401
