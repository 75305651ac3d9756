"""Returns and lapses kept in activity_summaries (docs/design.md, "Schemes, lapses and net
growth"), so boards, Today and the estimate between official counts read them like the other
kept flows instead of counting them from the paid-through dates on every visit.

- A return, and the lapse of the spell before it, are known when the payment is written: the
  flush that writes a renewal, or changes an enrollment's paid-through date, officer, area,
  scheme or deletion, moves the kept counts by the difference between that enrollment's events
  before and after it (summary_deltas).
- A lapse also happens when time passes without any write. `book()` (the daily job,
  `flask --app app book-lapses`) adds the lapses of every day after the last booked one up to
  today and moves lapse_bookings.booked_through in the same transaction: run twice, it books
  nothing twice; a missed day is booked by the next run.
- Reads add the lapses of the days after the booked one counted live (`tail`): on a day the job
  has not run yet that is one day, a small range of the paid-through index, so a board is
  right whether or not the job ran.
- The events depend on the grace (a setting): a change of it rebuilds the kept returns and
  lapses in the same transaction. Kept counts built under another grace, or never built (no
  booking row), or booked past today (a clock set back) are not read: the flows are counted
  live then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import chain

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from ..extensions import db
from ..models import ActivitySummary, Enrollment, LapseBooking, Renewal
from ..periods import Period
from ..services.settings import lapse_grace_days
from ..vocab import SUMMARY_KINDS
from . import lifecycle
from .metrics import Metric, kept_events

S = ActivitySummary
B = LapseBooking
LAPSED = {m.scheme: m.kept for m in kept_events() if m.code == "lapsed"}
RETURNED = {m.scheme: m.kept for m in kept_events() if m.code == "returned"}
COLUMNS = (*LAPSED.values(), *RETURNED.values())
# What a change of moves an enrollment's events.
ENROLLMENT_FIELDS = ("paid_through_on", "deleted_at", "officer_id", "area_id", "scheme")
RENEWAL_FIELDS = ("enrollment_id", "officer_id", "renewed_on", "paid_through_before")
Event = tuple[str, int | None, int | None, date]  # kept column, officer id, area id, day


def today() -> date:
    """The lifecycle's today (looked up on its module, where tests set the day)."""
    return lifecycle.local_today()


def booking(connection, lock: str | None = None) -> tuple[date, int] | None:
    """(booked_through, grace_days), or None before the kept counts were built. `lock`: "share"
    for a writer moving them (the job waits for it), "update" for the job."""
    query = select(B.booked_through, B.grace_days).where(B.id == 1)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update(read=lock == "share")
    row = connection.execute(query).first()
    return (row[0], row[1]) if row else None


def kept_through() -> date | None:
    """The last day whose lapses the kept counts hold, when they may be read at all."""
    found = booking(db.session.connection())
    if found is None:
        return None
    booked, grace = found
    if grace != lapse_grace_days() or booked > today():
        return None
    return booked


def reads_kept(item: Metric, through: date | None) -> bool:
    return item.records is not None or through is not None


def tail(item: Metric, period: Period, through: date) -> Period | None:
    """The days of the period whose lapses are not booked yet, up to today (to count live), if
    any: none on a day the job has run, as nothing has lapsed after today."""
    if item.code != "lapsed":
        return None
    start, end = max(period.start, through + timedelta(days=1)), min(period.end, today())
    return Period(start, end) if start <= end else None


# Moved by a flush ---------------------------------------------------------------------------


def _changed(record, names, dirty) -> bool:
    return record not in dirty or any(get_history(record, n).has_changes() for n in names)


def touched(session: Session) -> set[int]:
    """Ids of the enrollments whose events this flush may move (those with an id yet)."""
    dirty = set(session.dirty)
    ids: set[int] = set()
    for record in chain(session.new, dirty, session.deleted):
        if isinstance(record, Enrollment) and _changed(record, ENROLLMENT_FIELDS, dirty):
            ids.add(record.id)
        elif isinstance(record, Renewal) and _changed(record, RENEWAL_FIELDS, dirty):
            history = get_history(record, "enrollment_id")
            ids.update(chain(history.added, history.unchanged, history.deleted))
    ids.discard(None)
    return ids


def events(connection, ids: Iterable[int], booked: date, grace: int) -> Counter[Event]:
    """The kept events of these enrollments as the database holds them now: their returns,
    and their lapses up to the booked day, by the rules of progress/lifecycle.py."""
    found: Counter[Event] = Counter()
    ids = sorted(ids)
    if not ids:
        return found
    shift = timedelta(days=grace + 1)
    enrollments = {
        row.id: row
        for row in connection.execute(
            select(
                Enrollment.id,
                Enrollment.scheme,
                Enrollment.officer_id,
                Enrollment.area_id,
                Enrollment.paid_through_on,
            ).where(Enrollment.id.in_(ids), Enrollment.deleted_at.is_(None))
        )
    }
    for row in enrollments.values():
        if row.paid_through_on is not None and row.paid_through_on + shift <= booked:
            found[LAPSED[row.scheme], row.officer_id, row.area_id, row.paid_through_on + shift] += 1
    if not enrollments:
        return found
    renewals = connection.execute(
        select(
            Renewal.enrollment_id,
            Renewal.officer_id,
            Renewal.renewed_on,
            Renewal.paid_through_before,
        ).where(Renewal.enrollment_id.in_(list(enrollments)))
    )
    for renewal in renewals:
        enrollment = enrollments[renewal.enrollment_id]
        lapsed_on = renewal.paid_through_before + shift
        if renewal.renewed_on < lapsed_on:
            continue  # paid in time: no lapse, no return
        found[RETURNED[enrollment.scheme], renewal.officer_id, enrollment.area_id,
              renewal.renewed_on] += 1  # fmt: skip
        if lapsed_on <= booked:
            found[LAPSED[enrollment.scheme], enrollment.officer_id, enrollment.area_id,
                  lapsed_on] += 1  # fmt: skip
    return found


# Booked in SQL (the daily job, rebuilds) ----------------------------------------------------


def _add(connection, source, column: str) -> None:
    """Add the events of a subquery (officer_id, area_id, day), grouped per officer and area
    and calendar period, to one kept column."""
    from .summary import SUBJECTS, _bounds, _insert

    names = ["subject", "kind", "period_start", "period_end", "subject_id", column]
    for subject_column, subject in SUBJECTS.items():
        key = source.c[subject_column]
        for kind in SUMMARY_KINDS:
            start, end = _bounds(connection.dialect.name, kind, source.c.day)
            statement = _insert(connection).from_select(
                names,
                select(literal(subject), literal(kind), start, end, key, func.count())
                .where(key.is_not(None))
                .group_by(key, start, end),
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[S.subject, S.kind, S.period_start, S.subject_id],
                    set_={column: getattr(S, column) + getattr(statement.excluded, column)},
                )
            )


def _set_booking(connection, booked: date, grace: int) -> None:
    connection.execute(delete(B))
    connection.execute(insert(B).values(id=1, booked_through=booked, grace_days=grace))


def rebuild(connection, on: date | None = None, grace: int | None = None) -> None:
    """Recount every kept return and lapse (up to `on`, today by default) from the enrollments
    and renewals: after bulk loads, and when the grace changes."""
    on = on or today()
    grace = lapse_grace_days() if grace is None else grace
    connection.execute(update(S).values(dict.fromkeys(COLUMNS, 0)))
    for scheme, column in LAPSED.items():
        _add(connection, lifecycle.lapse_events(scheme, on, grace=grace), column)
    for scheme, column in RETURNED.items():
        _add(connection, lifecycle.return_events(scheme, grace=grace), column)
    _set_booking(connection, on, grace)


def book(on: date | None = None) -> int:
    """Book the lapses of every day after the last booked one, up to `on` (today): the daily
    job. Returns the number of days booked; 0 when they were booked already. The booking row
    is locked first, so two runs take turns and the second finds nothing left to book."""
    on = on or today()
    connection = db.session.connection()
    found = booking(connection, lock="update")
    grace = lapse_grace_days()
    if found is None or found[1] != grace or found[0] > on:
        rebuild(connection, on, grace)
        return 1
    booked = found[0]
    if booked >= on:
        return 0
    for scheme, column in LAPSED.items():
        _add(
            connection,
            lifecycle.lapse_events(scheme, on, booked + timedelta(days=1), on, grace),
            column,
        )
    connection.execute(update(B).values(booked_through=on))
    return (on - booked).days
