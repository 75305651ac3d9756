"""A supervisor's decisions on what the list and the app disagree about, each audited and
committed as one action, each with a reason.

On a row of the list: link it to an enrollment (a match the rules missed), correct the
enrollment's identity from the list, accept a difference, unlink a wrong match, or dismiss a
row that is not the office's. On an enrollment only in the app: dismiss it (still unconfirmed,
no longer listed as open), or link it to a row from its side."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ...extensions import db
from ...models import Enrollment, InsurerRecord, User
from ...progress.tree import area_tree
from .. import audit
from .compare import IDENTITY_FIELDS
from .matching import settle

REASON_LENGTH = 300
# The list's identity fields as the enrollment names them.
ENROLLMENT_FIELD = {
    "full_name": "participant_name",
    "birth_date": "birth_date",
    "citizen_id": "citizen_id",
    "social_insurance_number": "social_insurance_number",
}


class ResolveError(ValueError):
    def __init__(self, field_name: str, code: str):
        super().__init__(code)
        self.field = field_name
        self.code = code


def _state(record: InsurerRecord) -> dict:
    return {
        "status": record.status,
        "enrollment": record.enrollment_id,
        "resolution": record.resolution,
        "differences": record.differences,
    }


def _reason(text: str | None) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise ResolveError("reason", "reason_required")
    if len(reason) > REASON_LENGTH:
        raise ResolveError("reason", "too_long")
    return reason


def _decided(actor: User, record: InsurerRecord, resolution: str | None, reason: str) -> None:
    record.resolution, record.reason = resolution, reason
    record.resolved_by_id, record.resolved_at = actor.id, datetime.now(UTC)


def _audited(actor: User, record: InsurerRecord, action: str, before: dict) -> None:
    settle(area_tree(), [record])
    audit.record(actor, action, "insurer_record", record.id, before, _state(record))
    db.session.commit()


def link(actor: User, record: InsurerRecord, enrollment: Enrollment, reason: str | None) -> None:
    """The row is this enrollment's: the rules did not see it (a name typed differently)."""
    reason = _reason(reason)
    if enrollment.deleted_at is not None or enrollment.scheme != record.scheme:
        raise ResolveError("enrollment", "not_linkable")
    holder = db.session.scalar(
        select(InsurerRecord).where(InsurerRecord.enrollment_id == enrollment.id)
    )
    if holder is not None and holder.id != record.id:
        raise ResolveError("enrollment", "already_linked")
    before = _state(record)
    _release(record)
    record.enrollment, record.enrollment_id, record.match_rule = enrollment, enrollment.id, "manual"
    _decided(actor, record, "link", reason)
    _audited(actor, record, "reconcile_link", before)


def correct(actor: User, record: InsurerRecord, reason: str | None) -> None:
    """Take the person's identity (name, date of birth, citizen ID, social insurance number)
    from the list into the enrollment; payment differences are the insurer's to settle."""
    reason = _reason(reason)
    enrollment = _linked(record)
    before = _state(record)
    changed = {}
    for name in IDENTITY_FIELDS:
        value, column = getattr(record, name), ENROLLMENT_FIELD[name]
        if value not in (None, "") and getattr(enrollment, column) != value:
            changed[column] = [_plain(getattr(enrollment, column)), value]
    if "citizen_id" in changed and _citizen_id_taken(enrollment, record.citizen_id):
        raise ResolveError("citizen_id", "citizen_id_taken")
    for column, (_old, value) in changed.items():
        setattr(enrollment, column, value)
        changed[column][1] = _plain(value)
    _decided(actor, record, "correct", reason)
    audit.record(
        actor,
        "update",
        "enrollment",
        enrollment.id,
        {k: v[0] for k, v in changed.items()},
        {k: v[1] for k, v in changed.items()},
    )
    db.session.flush()
    settle(area_tree(), [record])
    if record.status == "mismatched":  # what is left is the payments: accepted as listed
        record.resolution = "accept"
        settle(area_tree(), [record])
    audit.record(actor, "reconcile_correct", "insurer_record", record.id, before, _state(record))
    db.session.commit()


def accept(actor: User, record: InsurerRecord, reason: str | None) -> None:
    """The differences are known and explained: the enrollment counts as confirmed."""
    reason = _reason(reason)
    _linked(record)
    before = _state(record)
    _decided(actor, record, "accept", reason)
    _audited(actor, record, "reconcile_accept", before)


def unlink(actor: User, record: InsurerRecord, reason: str | None) -> None:
    """Not the same person: the row and the enrollment part, and the row is not matched again
    by the rules (a supervisor may still link it by hand)."""
    reason = _reason(reason)
    _linked(record)
    before = _state(record)
    _release(record)
    _decided(actor, record, "unlink", reason)
    _audited(actor, record, "reconcile_unlink", before)


def dismiss(actor: User, record: InsurerRecord, reason: str | None) -> None:
    """Not the office's to reconcile (enrolled elsewhere, moved away)."""
    reason = _reason(reason)
    before = _state(record)
    _release(record)
    _decided(actor, record, "dismiss", reason)
    _audited(actor, record, "reconcile_dismiss", before)


def dismiss_enrollment(actor: User, enrollment: Enrollment, reason: str | None) -> None:
    """An enrollment the list does not hold, known and explained: no longer listed as open."""
    reason = _reason(reason)
    if _record_of(enrollment) is not None:
        raise ResolveError("enrollment", "already_linked")
    before = {"insurer_status": enrollment.insurer_status, "insurer_note": enrollment.insurer_note}
    enrollment.insurer_status, enrollment.insurer_note = "dismissed", reason
    after = {"insurer_status": "dismissed", "insurer_note": reason}
    audit.record(actor, "reconcile_dismiss", "enrollment", enrollment.id, before, after)
    db.session.commit()


def _linked(record: InsurerRecord) -> Enrollment:
    if record.enrollment is None:
        raise ResolveError("record", "not_linked")
    return record.enrollment


def _release(record: InsurerRecord) -> None:
    """Part the row from its enrollment, which is then in no list."""
    if record.enrollment is not None:
        record.enrollment.insurer_status = None
    record.enrollment, record.enrollment_id, record.match_rule = None, None, None
    record.differences = {}
    db.session.flush()


def _record_of(enrollment: Enrollment) -> InsurerRecord | None:
    return db.session.scalar(
        select(InsurerRecord).where(InsurerRecord.enrollment_id == enrollment.id)
    )


def _citizen_id_taken(enrollment: Enrollment, citizen_id: str) -> bool:
    """Another live enrollment of the scheme holds this citizen ID (one person, one record)."""
    return (
        db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.citizen_id == citizen_id,
                Enrollment.scheme == enrollment.scheme,
                Enrollment.deleted_at.is_(None),
                Enrollment.id != enrollment.id,
            )
        )
        is not None
    )


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
