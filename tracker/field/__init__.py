"""Field work: Today, logging contacts, recording enrollments, and one's records."""

from flask import Blueprint

bp = Blueprint("field", __name__)


@bp.app_context_processor
def _editable():
    from flask_login import current_user

    from ..services.fieldwork import still_editable

    return {"editable": lambda record: still_editable(current_user, record)}


from . import contacts, enrollments, records  # noqa: E402,F401
