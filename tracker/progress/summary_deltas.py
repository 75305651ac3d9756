"""Keeping activity_summaries true on every flush, by deltas.

A flush that adds, edits, deletes or restores contacts and enrollments moves the kept counts by
what it changed, never by recounting an officer's year: logging a contact costs the same whether
the officer logged a hundred or a hundred thousand this year. Contacts and new participants move
by one per record; distinct households (reached, interested) move when a household gains its
first live contact of a period with an officer or an area, or loses its last. That is decided
from the household's own live contacts, read after its row is locked, so two concurrent first
contacts with one household cannot both count it (PostgreSQL; SQLite writes one at a time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache
from itertools import chain
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from ..models import ActivitySummary, Contact, Household, Setting
from ..periods import Period, containing
from . import lapse_book
from .metrics import Metric, kept_metrics, matches
from .summary import COUNTED, COUNTS, DAY_OF, SUBJECTS

S = ActivitySummary
Key = tuple[str, int, str, Period]  # subject, subject id, kind, period
# Kept counts of rows (one per record), and of distinct households (decided per household).
ROW_COUNTS = [item for item in kept_metrics() if not item.distinct]
HOUSEHOLD_COUNTS = [item for item in kept_metrics() if item.distinct == "household_id"]


class Version(NamedTuple):
    """A live contact or enrollment, as the counts see it: its keys, day and the values the
    metrics' conditions read."""

    id: int
    model: type
    officer_id: int
    area_id: int
    day: date
    household_id: int | None
    values: tuple[tuple[str, object], ...]

    def counts_for(self, item: Metric) -> bool:
        return item.model is self.model and matches(item, dict(self.values))


def keys(version: Version) -> list[Key]:
    return [
        (subject, getattr(version, column), kind, period)
        for column, subject in SUBJECTS.items()
        for kind, period in containing(version.day).items()
    ]


def _before(record) -> Version | None:
    """The record as the database held it before this flush, if it was live then."""

    def value(name):
        history = get_history(record, name)
        values = history.deleted or history.unchanged
        return values[0] if values else None

    return _live(record, value)


def _after(record) -> Version | None:
    return _live(record, lambda name: getattr(record, name))


def _live(record, value) -> Version | None:
    if value("deleted_at") is not None:
        return None
    model = type(record)
    return Version(
        record.id,
        model,
        value("officer_id"),
        value("area_id"),
        value(DAY_OF[model]),
        value("household_id"),
        tuple((name, value(name)) for name in COUNTED[model]),
    )


def _changes(session: Session) -> list[tuple[type, Version | None, Version | None]]:
    """(model, before, after) of every counted record this flush touched."""
    found = []
    for record in session.new:
        if type(record) in COUNTED:
            found.append((type(record), None, _after(record)))
    for record in session.deleted:
        if type(record) in COUNTED:
            found.append((type(record), _before(record), None))
    read = session.info.get(_READ, {})
    for record in session.dirty:
        model = type(record)
        if model in COUNTED and any(get_history(record, n).has_changes() for n in COUNTED[model]):
            before = read[model, record.id] if (model, record.id) in read else _before(record)
            found.append((model, before, _after(record)))
    return [change for change in found if change[1] != change[2]]


def _household_deltas(connection, changes, deltas) -> None:
    """Move the distinct-household counts for the households these contact changes involve,
    from each household's live contacts before and after the flush."""
    contact_changes = [(b, a) for model, b, a in changes if model is Contact]
    households = sorted(
        {v.household_id for pair in contact_changes for v in pair if v and v.household_id}
    )
    if not households:
        return
    connection.execute(  # one writer per household at a time (no-op on SQLite)
        select(Household.id)
        .where(Household.id.in_(households))
        .order_by(Household.id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE: the contacts just inserted hold
        # KEY SHARE on the household (their foreign key); FOR UPDATE would deadlock with them
    )
    names = COUNTED[Contact]
    live_now = connection.execute(
        select(*(getattr(Contact, name) for name in ("id", *names))).where(
            Contact.household_id.in_(households), Contact.deleted_at.is_(None)
        )
    )
    after: dict[int, list[Version]] = defaultdict(list)
    for row in live_now:
        values = dict(zip(names, row[1:], strict=True))
        version = Version(
            row[0],
            Contact,
            values["officer_id"],
            values["area_id"],
            values[DAY_OF[Contact]],
            values["household_id"],
            tuple(values.items()),
        )
        after[version.household_id].append(version)
    changed_ids = {v.id for pair in contact_changes for v in pair if v}
    before: dict[int, list[Version]] = {
        household: [v for v in versions if v.id not in changed_ids]
        for household, versions in after.items()
    }
    for old, _new in contact_changes:
        if old and old.household_id:
            before.setdefault(old.household_id, []).append(old)
    for household in households:
        for item in HOUSEHOLD_COUNTS:
            then = _reach(before.get(household, []), item)
            now = _reach(after.get(household, []), item)
            for key in now - then:
                deltas[key][item.kept] += 1
            for key in then - now:
                deltas[key][item.kept] -= 1


def _reach(versions: Iterable[Version], item: Metric) -> set[Key]:
    return {key for v in versions if v.counts_for(item) for key in keys(v)}


@cache
def _apply_statement(dialect: str):
    """Upsert adding deltas to the kept counts; built once, run as executemany."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(S)
    return insert.on_conflict_do_update(
        index_elements=[S.subject, S.kind, S.period_start, S.subject_id],
        set_={name: getattr(S, name) + getattr(insert.excluded, name) for name in COUNTS},
    )


_BEFORE = "kept_lifecycle_before"  # session.info: the touched enrollments' events before
_READ = "kept_records_before"  # session.info: the edited records as the database held them


def _read_before(session: Session) -> None:
    """The edited contacts and enrollments as the database holds them before the flush. Their
    attributes' history does not always tell: a value set on an object expired by a commit
    (`enrollment.deleted_at = None` after a commit) has no old value, and the old one read
    after the flush would be the new one."""
    ids: dict[type, list[int]] = defaultdict(list)
    for record in session.dirty:
        if type(record) in COUNTED and record.id is not None:
            ids[type(record)].append(record.id)
    read: dict[tuple[type, int], Version | None] = {}
    for model, wanted in ids.items():
        names = tuple(dict.fromkeys((*COUNTED[model], "household_id")))
        rows = session.connection().execute(
            select(model.id, *(getattr(model, name) for name in names)).where(model.id.in_(wanted))
        )
        for row in rows:
            values = dict(zip(names, row[1:], strict=True))
            read[model, row[0]] = (
                None
                if values["deleted_at"] is not None
                else Version(
                    row[0],
                    model,
                    values["officer_id"],
                    values["area_id"],
                    values[DAY_OF[model]],
                    values["household_id"],
                    tuple((name, values[name]) for name in COUNTED[model]),
                )
            )
    session.info[_READ] = read


def before_flush(session: Session, _context, _instances) -> None:
    """Read what this flush will move from, as the database holds it before: the edited
    records, and the kept events (returns, booked lapses) of the enrollments it may move
    (registered by progress.init_app)."""
    session.info.pop(_BEFORE, None)
    _read_before(session)
    ids = lapse_book.touched(session)
    if not ids:
        return
    connection = session.connection()
    found = lapse_book.booking(connection, lock="share")  # the daily job waits for us
    if found is not None:
        session.info[_BEFORE] = (found, lapse_book.events(connection, ids, *found))


def _grace_changed(session: Session) -> int | None:
    for record in chain(session.new, session.dirty):
        if isinstance(record, Setting) and record.key == "lapse_grace_days":
            return int(record.value)
    return None


def _lifecycle_deltas(session: Session, connection, deltas) -> None:
    """Move the kept returns and lapses of the enrollments this flush touched by the difference
    of their events after and before it; a new grace recounts them all."""
    grace = _grace_changed(session)
    stored = session.info.pop(_BEFORE, None)
    if grace is not None:
        if lapse_book.booking(connection) is not None:
            lapse_book.rebuild(connection, grace=grace)
        return
    ids = lapse_book.touched(session)
    if not ids:
        return
    found, before = stored if stored else (lapse_book.booking(connection, lock="share"), None)
    if found is None:
        return  # never built: read live until a rebuild or the job builds them
    after = lapse_book.events(connection, ids, *found)
    after.subtract(before or {})
    for (column, officer_id, area_id, day), step in after.items():
        if not step:
            continue
        for subject, subject_id in (("officer", officer_id), ("area", area_id)):
            if subject_id is None:
                continue
            for kind, period in containing(day).items():
                deltas[subject, subject_id, kind, period][column] += step


def after_flush(session: Session, _context) -> None:
    """Move the kept counts by what this flush changed (registered by progress.init_app)."""
    changes = _changes(session)
    lifecycle = (
        session.info.get(_BEFORE)
        or lapse_book.touched(session)
        or (_grace_changed(session) is not None)
    )
    if not changes and not lifecycle:
        return
    connection = session.connection()
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    _lifecycle_deltas(session, connection, deltas)
    for _model, old, new in changes:
        for version, step in ((old, -1), (new, 1)):
            if version is None:
                continue
            counted = [item.kept for item in ROW_COUNTS if version.counts_for(item)]
            for key in keys(version):
                for column in counted:
                    deltas[key][column] += step
    _household_deltas(connection, changes, deltas)
    rows = [
        {
            "subject": subject,
            "subject_id": subject_id,
            "kind": kind,
            "period_start": period.start,
            "period_end": period.end,
            **moved,
        }
        for (subject, subject_id, kind, period), moved in sorted(
            deltas.items(), key=lambda item: (item[0][0], item[0][1], item[0][2], item[0][3].start)
        )
        if any(moved.values())
    ]
    if rows:  # in key order, so two writers never wait for each other in a circle
        connection.execute(_apply_statement(connection.dialect.name), rows)
