"""Counts kept ready per officer and per area for calendar months, quarters and years.

A province board over a year would otherwise read a third of a million contacts on every visit;
activity_summaries holds one row per officer (or area) and period instead. Every flush that adds,
edits, deletes or restores a contact or an enrollment moves the rows it touched by what changed,
in the same transaction (summary_deltas); statements that bypass the flush (a household merge,
bulk loads) recompute the rows they touched, or all of them, from the live tables (refresh,
rebuild). Tests hold the kept counts equal to the live ones. Custom date ranges, and groupings
other than officer and area, are counted live.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.dialects import postgresql, sqlite

from ..models import ActivitySummary
from ..periods import Period, containing
from ..vocab import SUMMARY_KINDS
from .metrics import condition, counted_columns, counted_models, kept_events, kept_metrics
from .sql import fetch, only_ids

SUBJECTS = {"officer_id": "officer", "area_id": "area"}  # grouping column → subject
MODELS = counted_models()  # contacts, enrollments
DAY_OF = {model: kept_metrics(model)[0].day for model in MODELS}
COUNTED = {model: counted_columns(model) for model in MODELS}  # a change of these moves a count
S = ActivitySummary
COUNTS = tuple(item.kept for item in [*kept_metrics(), *kept_events()])


def covers(period: Period, by: str) -> bool:
    """Whether the summary answers for this period and grouping."""
    return by in SUBJECTS and period.kind in SUMMARY_KINDS


def activity(
    metrics: Iterable[str], period: Period, by: str, ids: Iterable[int] | None = None
) -> dict[str, dict[int, int]]:
    """{metric: {id: count}} for several summary columns in one query."""
    metrics = list(metrics)
    query = select(S.subject_id, *(getattr(S, m) for m in metrics)).where(
        S.subject == SUBJECTS[by], S.kind == period.kind, S.period_start == period.start
    )
    query, keep = only_ids(query, S.subject_id, ids)
    result: dict[str, dict[int, int]] = {m: {} for m in metrics}
    for subject_id, *counts in fetch(query):
        if keep is None or subject_id in keep:
            for metric, count in zip(metrics, counts, strict=True):
                if count:
                    result[metric][subject_id] = count
    return result


def monthly(metric: str, year: int, officer_ids: Iterable[int]) -> dict[int, list[int]]:
    """{officer id: [January … December]} of one summary column."""
    officer_ids = list(officer_ids)
    column = getattr(S, metric)
    query = select(S.subject_id, S.period_start, column).where(
        S.subject == "officer",
        S.kind == "month",
        S.period_start.between(date(year, 1, 1), date(year, 12, 31)),
        S.subject_id.in_(officer_ids),
    )
    result = {officer_id: [0] * 12 for officer_id in officer_ids}
    for officer_id, start, count in fetch(query):
        result[officer_id][start.month - 1] = count
    return result


# Keeping the rows true ----------------------------------------------------------------------


def _counts(subject_column: str):
    """Kept column → correlated subquery counting the live rows of the summary row's period."""
    counts = {}
    for item in kept_metrics():
        model = item.model
        day = getattr(model, item.day)
        where = (
            getattr(model, subject_column) == S.subject_id,
            day.between(S.period_start, S.period_end),
            model.deleted_at.is_(None),
            condition(item, model),
        )
        measure = (
            func.count(getattr(model, item.distinct).distinct()) if item.distinct else func.count()
        )
        counts[item.kept] = select(measure).where(*where).scalar_subquery()
    return counts


def _insert(connection):
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(S)


@cache
def _refresh_statements(dialect: str):
    """Built once: a contact POST runs them on every write, and building SQLAlchemy statements
    costs more than running these ones."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(S)
    upsert = insert.on_conflict_do_update(
        index_elements=[S.subject, S.kind, S.period_start, S.subject_id],
        set_={"period_end": insert.excluded.period_end},
    )
    row = and_(
        S.subject == bindparam("row_subject"),
        S.subject_id == bindparam("row_id"),
        S.kind == bindparam("row_kind"),
        S.period_start == bindparam("row_start"),
    )
    recount = {
        subject: sql_update(S).where(row).values(_counts(column))
        for column, subject in SUBJECTS.items()
    }
    return upsert, recount


def refresh(connection, touched: Iterable[tuple[str, int, date]]) -> None:
    """Recompute the rows of these (subject, id, day) from the live tables: the counts of
    records (a bulk write that moves returns or lapses reports nothing touched, so everything
    is rebuilt). The rows are locked
    before they are counted, so two transactions writing for the same officer take turns on
    PostgreSQL and the second counts what the first committed (READ COMMITTED)."""
    spans: dict[tuple[str, int], set[tuple[str, Period]]] = defaultdict(set)
    for subject, subject_id, day in touched:
        if subject_id is not None and day is not None:
            spans[subject, subject_id].update(containing(day).items())
    upsert, recount = _refresh_statements(connection.dialect.name)
    for (subject, subject_id), periods in sorted(spans.items()):
        rows = sorted(periods, key=lambda item: (item[0], item[1].start))
        # Insert the rows, or lock them if they exist (the no-op update takes the lock), always
        # in the same order, so that two writers never wait for each other in a circle.
        connection.execute(
            upsert,
            [
                {
                    "subject": subject,
                    "kind": kind,
                    "period_start": period.start,
                    "subject_id": subject_id,
                    "period_end": period.end,
                    **dict.fromkeys(COUNTS, 0),
                }
                for kind, period in rows
            ],
        )
        # New statements, so on PostgreSQL they see what a writer we waited for committed.
        connection.execute(
            recount[subject],
            [
                {
                    "row_subject": subject,
                    "row_id": subject_id,
                    "row_kind": kind,
                    "row_start": period.start,
                }
                for kind, period in rows
            ],
        )


def touched_by_rows(model, rows) -> set[tuple[str, int, date]]:
    """(subject, id, day) of rows changed by a bulk statement (which the flush never sees)."""
    day = DAY_OF[model]
    return {
        (subject, getattr(row, column), getattr(row, day))
        for row in rows
        for column, subject in SUBJECTS.items()
    }


# Rebuilding everything (bulk loads) ---------------------------------------------------------

MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _bounds(dialect: str, kind: str, day):
    """SQL for the first and last day of the month, quarter or year holding `day`."""
    months = MONTHS[kind]
    if dialect == "postgresql":
        start = func.date_trunc(kind, day)
        end = (
            start
            + literal_column(f"interval '{months} months'")
            - literal_column("interval '1 day'")
        )
        return cast(start, Date), cast(end, Date)
    if kind == "quarter":
        back = func.printf("-%d months", (cast(func.strftime("%m", day), Integer) - 1) % 3)
        start = func.date(day, "start of month", back)
    else:
        start = func.date(day, f"start of {kind}")
    return start, func.date(start, f"+{months} months", "-1 day")


def rebuild(connection) -> None:
    """Recompute the whole table from the live rows: after bulk loads, which bypass the flush.
    One grouped pass over each counted model per subject and kind, then the returns and the
    lapses up to today (progress/lapse_book.py)."""
    from . import lapse_book

    dialect = connection.dialect.name
    connection.execute(delete(S))
    names = ["subject", "kind", "period_start", "period_end", "subject_id"]
    for column, subject in SUBJECTS.items():
        for kind in SUMMARY_KINDS:
            for model in MODELS:
                items = kept_metrics(model)
                start, end = _bounds(dialect, kind, getattr(model, DAY_OF[model]))
                key = getattr(model, column)
                measures = [
                    (
                        func.count(getattr(model, item.distinct).distinct())
                        if item.distinct
                        else func.count()
                    ).filter(condition(item, model))
                    for item in items
                ]
                insert = _insert(connection).from_select(
                    [*names, *(item.kept for item in items)],
                    select(literal(subject), literal(kind), start, end, key, *measures)
                    .where(model.deleted_at.is_(None))
                    .group_by(key, start, end),
                )
                connection.execute(
                    insert.on_conflict_do_update(
                        index_elements=[S.subject, S.kind, S.period_start, S.subject_id],
                        set_={item.kept: getattr(insert.excluded, item.kept) for item in items},
                    )
                )
    lapse_book.rebuild(connection)
