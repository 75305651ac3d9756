"""How the progress queries reach the database when they read many rows."""

from __future__ import annotations

from collections.abc import Iterable

from ..extensions import db

IN_LIST_LIMIT = 500


def only_ids(query, column, ids: Iterable[int] | None):
    """(query, keep): the query filtered on `ids` in SQL when the list is short, and `keep`,
    the set the caller filters its rows by. A long list (every officer of a country: 20,000
    bound parameters) costs more to send and parse than the rows it would leave out."""
    if ids is None:
        return query, None
    keep = set(ids)
    if len(keep) <= IN_LIST_LIMIT:
        query = query.where(column.in_(keep))
    return query, keep


def fetch(query):
    """Rows of a column query through SQLAlchemy Core: the ORM's result handling costs ~10 ms
    per 20,000 rows, and these queries select columns, never objects. Pending changes are
    flushed first, as the ORM would (the kept counts are written by the flush)."""
    db.session.flush()
    return db.session.connection().execute(query)
