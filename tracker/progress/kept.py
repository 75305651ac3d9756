"""Keeping the kept counts (activity_summaries) true, wired explicitly by init_app.

Every flush moves them by what it changed (summary_deltas.after_flush). A bulk statement on the
counted tables skips the flush, so it can only run inside `bulk()`, which makes the counts true
again when it ends; anywhere else it raises BulkWriteError before it reaches the database, so a
bulk write that forgets the counts cannot be written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from flask import Flask, has_app_context
from sqlalchemy import Delete, Insert, Update, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Renewal
from . import summary, summary_deltas, tree

# The mapped tables themselves: migrations, which write with tables of their own making (and no
# kept counts to keep yet, or a rebuild of their own), are not the app's bulk writes.
# Renewals too: their returns and lapses are kept (progress/lapse_book.py).
COUNTED_TABLES = frozenset(model.__table__ for model in (*summary.MODELS, Renewal))
_IN_BULK: ContextVar[bool] = ContextVar("kept_counts_bulk", default=False)


class BulkWriteError(RuntimeError):
    """A bulk statement on contacts or enrollments outside progress.kept.bulk()."""


@dataclass
class Touched:
    """What a bulk write changed: (subject, id, day) triples to recount, or None for all."""

    rows: set[tuple[str, int, date]] | None = None

    def add(self, model: type, rows: Iterable) -> None:
        self.rows = (self.rows or set()) | summary.touched_by_rows(model, rows)


@contextmanager
def bulk(session: Session | None = None) -> Iterator[Touched]:
    """The only way to run bulk statements on the counted tables. On leaving, the rows the
    caller reported as touched are recounted, or, when it reported none, everything is rebuilt
    (a bulk load)."""
    session = session or db.session
    touched = Touched()
    marker = _IN_BULK.set(True)
    try:
        yield touched
    finally:
        _IN_BULK.reset(marker)
    connection = session.connection()
    if touched.rows is None:
        summary.rebuild(connection)
    else:
        summary.refresh(connection, touched.rows)


def _refuse_bulk_writes(statement) -> None:
    if _IN_BULK.get() or not isinstance(statement, Insert | Update | Delete):
        return
    if statement.table not in COUNTED_TABLES:
        return
    if has_app_context() and db.session.registry.has() and db.session()._flushing:
        return  # the flush itself, which moves the counts
    raise BulkWriteError(
        f"a bulk write to {statement.table.name} skips the kept counts: "
        "run it inside tracker.progress.kept.bulk()"
    )


def _on_session_execute(state) -> None:
    _refuse_bulk_writes(state.statement)


def _on_engine_execute(_connection, statement, *_args) -> None:
    _refuse_bulk_writes(statement)


LISTENERS = (
    (Session, "before_flush", summary_deltas.before_flush),
    (Session, "after_flush", summary_deltas.after_flush),
    (Session, "after_flush", tree.forget_after_area_writes),
    (Session, "after_transaction_end", tree.forget_at_the_end),
    (Session, "do_orm_execute", _on_session_execute),
    (Engine, "before_execute", _on_engine_execute),
)


def init_app(_app: Flask) -> None:
    """Register the listeners once per process (every app shares SQLAlchemy's classes)."""
    for target, name, listener in LISTENERS:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
