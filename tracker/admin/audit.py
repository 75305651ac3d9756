"""The audit log: who changed what and when, filtered and paged in SQL, each event told in
words (services/audit_entries.py)."""

from flask import render_template

from ..access import requires
from ..extensions import db
from ..services import audit_entries, audit_log
from ..services.audit_labels import ACTIONS, ENTITIES
from ..web import choice_arg, date_arg, int_arg, page_arg
from . import bp

PER_PAGE = 30


@bp.route("/audit")
@requires("view_audit")
def audit():
    """Who changed what, when: targets, users, deletions, merges, imports."""
    filters = audit_log.AuditFilters(
        actor_id=int_arg("actor"),
        action=choice_arg("action", ACTIONS),
        entity=choice_arg("entity", ENTITIES),
        start=date_arg("from"),
        end=date_arg("to"),
    )
    page = db.paginate(
        audit_log.events(filters), page=page_arg(), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "admin/audit.html",
        page=page,
        entries=audit_entries.describe(page.items),
        filters=filters,
        choices=audit_log.choices(),
    )
