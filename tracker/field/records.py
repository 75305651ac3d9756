"""One's records (the team's for a supervisor, everyone's for leaders and admins): the list,
filtered and paged in SQL; the step that asks before a record is deleted; and, after a delete,
the banner that brings it back. The list's filters travel through the delete and the undo."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import may_edit_record, requires
from ..extensions import db
from ..models import Contact, Enrollment
from ..services import records as record_service
from ..services.areas import visible_local_areas
from ..services.fieldwork import still_editable
from ..vocab import CONTACT_CHANNELS, CONTACT_OUTCOMES
from ..web import choice_arg, date_arg, int_arg, page_arg
from . import bp

PER_PAGE = 25
LIST_ARGS = ("from", "to", "area", "officer", "channel", "outcome", "page")


def list_args() -> dict[str, str]:
    """The list's filters and page in this request, to come back to the same page of it (the
    kind of record is the caller's to say: it is the record's own)."""
    return {name: request.args[name] for name in LIST_ARGS if request.args.get(name)}


@bp.route("/records")
@requires("view_records")
def records():
    kind = request.args.get("kind", "contacts")
    if kind not in record_service.MODELS:
        abort(400)
    filters = record_service.RecordFilters(
        start=date_arg("from"),
        end=date_arg("to"),
        area_id=int_arg("area"),
        officer_id=int_arg("officer"),
        channel=choice_arg("channel", CONTACT_CHANNELS),
        outcome=choice_arg("outcome", CONTACT_OUTCOMES),
    )
    query = (record_service.contacts if kind == "contacts" else record_service.enrollments)(
        current_user, filters
    )
    undo = record_service.restorable(current_user, kind, int_arg("deleted"))
    return render_template(
        "field/records.html",
        kind=kind,
        page=db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False),
        filters=filters,
        areas=visible_local_areas(current_user),
        officers=record_service.visible_officers(current_user),
        undo=undo,
        undo_until=record_service.editable_until(undo) if undo else None,
        back={"kind": kind, **list_args()},
    )


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET"])
@requires("log_fieldwork")
def confirm_delete_contact(contact_id: int):
    return _confirm(db.get_or_404(Contact, contact_id), "contacts")


@bp.route("/enrollments/<int:enrollment_id>/delete", methods=["GET"])
@requires("log_fieldwork")
def confirm_delete_enrollment(enrollment_id: int):
    return _confirm(db.get_or_404(Enrollment, enrollment_id), "enrollments")


def _confirm(record, kind: str):
    """The record, what deleting it means, and the button that does it (works without
    JavaScript); a record already deleted goes back to the list, where Undo is offered."""
    if not may_edit_record(current_user, record.officer_id):
        abort(403)
    back = {"kind": kind, **list_args()}
    if record.deleted_at is not None:
        return redirect(url_for("field.records", **back, deleted=record.id))
    return render_template(
        "field/confirm_delete.html",
        record=record,
        kind=kind,
        back=back,
        deletable=still_editable(current_user, record),
        until=record_service.editable_until(record),
    )
