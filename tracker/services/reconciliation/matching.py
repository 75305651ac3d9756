"""Writing a chunk of the insurer's list and matching its rows to enrollments.

Rows are updated in place by (scheme, social insurance number), so the list of next month
changes rows, never adds them twice. A row not yet linked is matched by the first rule that
finds one live enrollment of its scheme nobody else holds: citizen ID, then social insurance
number, then folded name with date of birth in the same area (or one it became or came from).
A row a supervisor dismissed or unlinked is never matched again by itself."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Enrollment, InsurerRecord, Renewal
from ...progress.tree import AreaTree, area_tree
from ...text import fold
from .compare import Payment, differences, same_area

NOT_MATCHED_AGAIN = ("dismiss", "unlink")
COPIED = (
    "citizen_id",
    "full_name",
    "birth_date",
    "area_id",
    "paid_from",
    "paid_through",
    "monthly_contribution",
    "state_support",
    "collection_agent",
    "receipt",
)


def write_chunk(rows: list[dict], office_id: int | None, listed_on: date) -> list[InsurerRecord]:
    """Upsert the rows (plain values with area_id) and match and compare them; the caller
    commits."""
    numbers = [row["social_insurance_number"] for row in rows]
    existing = {
        (record.scheme, record.social_insurance_number): record
        for record in db.session.scalars(
            select(InsurerRecord).where(InsurerRecord.social_insurance_number.in_(numbers))
        )
    }
    now = datetime.now(UTC)
    records = []
    for row in rows:
        key = (row["scheme"], row["social_insurance_number"])
        record = existing.get(key)
        if record is None:
            record = InsurerRecord(scheme=key[0], social_insurance_number=key[1])
            db.session.add(record)
            existing[key] = record
        for name in COPIED:
            setattr(record, name, row[name])
        record.name_key = fold(row["full_name"])
        record.office_id, record.listed_on, record.updated_at = office_id, listed_on, now
        records.append(record)
    db.session.flush()
    tree = area_tree()
    with db.session.no_autoflush:  # the matches are written once, at the chunk's commit
        match(tree, [r for r in records if r.enrollment_id is None])
        settle(tree, records)
    return records


def _live(rows: list[InsurerRecord], *conditions) -> list[Enrollment]:
    """Live enrollments of the rows' schemes meeting the conditions."""
    schemes = sorted({record.scheme for record in rows})
    query = select(Enrollment).where(
        *conditions, Enrollment.scheme.in_(schemes), Enrollment.deleted_at.is_(None)
    )
    return list(db.session.scalars(query))


def match(tree: AreaTree, records: list[InsurerRecord]) -> None:
    """Link each unlinked row to the enrollment the first rule finds, if any. Each rule reads
    its candidates for the rows still waiting, in one query by an indexed key, and looks them
    up by that key."""
    waiting = [r for r in records if r.resolution not in NOT_MATCHED_AGAIN]
    rules = (
        ("citizen_id", _citizen_key, _by_citizen),
        ("social_insurance_number", _number_key, _by_number),
        ("name_birth_area", _person_key, _by_person),
    )
    for rule, key, read in rules:
        asking = [r for r in waiting if r.enrollment_id is None and key(r) is not None]
        if not asking:
            continue
        found = _keyed(read(asking), key)
        taken = _held({e.id for group in found.values() for e in group})
        for record in asking:
            for enrollment in found.get(key(record), ()):
                if enrollment.id in taken:
                    continue
                if rule == "name_birth_area" and not same_area(
                    tree, enrollment.area_id, record.area_id
                ):
                    continue
                record.enrollment, record.enrollment_id = enrollment, enrollment.id
                record.match_rule = rule
                taken.add(enrollment.id)
                break


def _held(enrollment_ids: set[int]) -> set[int]:
    """Of these enrollments, those a row of the list already holds."""
    if not enrollment_ids:
        return set()
    held = select(InsurerRecord.enrollment_id).where(
        InsurerRecord.enrollment_id.in_(sorted(enrollment_ids))
    )
    return set(db.session.scalars(held))


def _by_citizen(rows: list[InsurerRecord]) -> list[Enrollment]:
    return _live(rows, Enrollment.citizen_id.in_(sorted({r.citizen_id for r in rows})))


def _by_number(rows: list[InsurerRecord]) -> list[Enrollment]:
    numbers = sorted({r.social_insurance_number for r in rows})
    return _live(rows, Enrollment.social_insurance_number.in_(numbers))


def _by_person(rows: list[InsurerRecord]) -> list[Enrollment]:
    names, births = sorted({r.name_key for r in rows}), sorted({r.birth_date for r in rows})
    return _live(rows, Enrollment.name_key.in_(names), Enrollment.birth_date.in_(births))


def _citizen_key(item) -> tuple | None:
    return (item.scheme, item.citizen_id) if item.citizen_id else None


def _number_key(item) -> tuple | None:
    number = item.social_insurance_number
    return (item.scheme, number) if number else None


def _person_key(item) -> tuple | None:
    """Folded name and date of birth (an enrollment's name_key, a row's folded full name)."""
    if item.birth_date is None or not item.name_key:
        return None
    return item.scheme, item.name_key, item.birth_date


def _keyed(enrollments: list[Enrollment], key) -> dict[tuple, list[Enrollment]]:
    found: dict[tuple, list[Enrollment]] = {}
    for enrollment in sorted(enrollments, key=lambda e: e.id):
        if (value := key(enrollment)) is not None:
            found.setdefault(value, []).append(enrollment)
    return found


def latest_payments(enrollments: list[Enrollment]) -> dict[int, Payment]:
    """Each enrollment's latest payment: its newest renewal, else itself."""
    found = {
        e.id: Payment(e.paid_through_on, e.monthly_contribution, e.monthly_state_support)
        for e in enrollments
    }
    renewals = db.session.execute(
        select(
            Renewal.enrollment_id,
            Renewal.paid_through_after,
            Renewal.monthly_contribution,
            Renewal.monthly_state_support,
        )
        .where(Renewal.enrollment_id.in_(list(found)))
        .order_by(Renewal.renewed_on, Renewal.id)
    )
    for enrollment_id, through, contribution, support in renewals:
        base = found[enrollment_id]
        found[enrollment_id] = Payment(
            max(through, base.paid_through or through),
            contribution if contribution is not None else base.monthly_contribution,
            support if support is not None else base.state_support,
        )
    return found


def with_agents(enrollment_ids: list[int]) -> dict[int, Enrollment]:
    """The enrollments, their collection organizations loaded with them (one query each, not
    one per row)."""
    query = (
        select(Enrollment)
        .options(selectinload(Enrollment.collection_org))
        .where(Enrollment.id.in_(enrollment_ids))
    )
    return {e.id: e for e in db.session.scalars(query)}


def settle(tree: AreaTree, records: list[InsurerRecord]) -> None:
    """Compare every linked row and set its status and its enrollment's. A difference a
    supervisor accepted stays accepted while the list says the same."""
    with db.session.no_autoflush:
        enrollments = with_agents([r.enrollment_id for r in records if r.enrollment_id])
        payments = latest_payments(list(enrollments.values())) if enrollments else {}
        for record in records:
            _settle_one(tree, record, enrollments.get(record.enrollment_id), payments)


def _settle_one(tree: AreaTree, record: InsurerRecord, enrollment, payments) -> None:
    if record.resolution == "dismiss":
        record.status = "dismissed"
        return
    if enrollment is None or enrollment.deleted_at is not None:
        record.status = "only_insurer"
        return
    _fill_missing(enrollment, record)
    found = differences(tree, enrollment, payments[enrollment.id], record)
    accepted = record.resolution == "accept" and found == record.differences
    if found and not accepted and record.resolution == "accept":
        record.resolution = None  # the list changed since: look again
    record.differences = found
    record.status = "confirmed" if not found or accepted else "mismatched"
    enrollment.insurer_status = record.status


def _fill_missing(enrollment: Enrollment, record: InsurerRecord) -> None:
    """What the app lacks and the insurer knows, once matched: the social insurance number
    (so next month matches on it) and the date of birth."""
    if enrollment.social_insurance_number is None:
        enrollment.social_insurance_number = record.social_insurance_number
    if enrollment.birth_date is None and record.birth_date is not None:
        enrollment.birth_date = record.birth_date
