"""What the field views share: the household a form names, and deleting or restoring a record."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import parsing
from ..errors import RuleBroken
from ..extensions import db
from ..services.fieldwork import NotAllowed


def household_id_of(form: FlaskForm) -> int | None:
    return parsing.record_id(form.household_id.data or "")


def apply_deletion(set_deleted, record, deleted: bool, restored_message: str, records_kind: str):
    """Delete or undo through the record's service, then back to the records list where the
    officer was: after a delete, the list shows it with an Undo button (field/records.py); a
    rule the service enforces (the 7-day window) comes back as a message, a stranger's record
    as 403."""
    from .records import list_args

    back = {"kind": records_kind, **list_args()}
    try:
        set_deleted(current_user, record, deleted)
    except NotAllowed:
        abort(403)
    except RuleBroken as error:
        db.session.rollback()
        flash(error.text(), "danger")
    else:
        if deleted:
            return redirect(url_for("field.records", **back, deleted=record.id))
        flash(restored_message, "success")
    return redirect(url_for("field.records", **back))
