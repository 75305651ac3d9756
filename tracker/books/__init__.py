"""The insurer's books: the per-person list imported and reconciled with the enrollments
(services/reconciliation)."""

from flask import Blueprint

bp = Blueprint("books", __name__)

from . import views  # noqa: E402,F401
