"""Data versions: a token for each slice of the data that changes with every committed write to
that slice, so a board computed once is served again, and a browser's copy confirmed with a 304,
until something the board reads from has changed (tracker/fresh.py, docs/performance.md).

The slices are fine enough that one ward's contact does not invalidate the country:

- ``officer:<id>``, ``area:<id>`` and ``office:<id>``: field work (contacts, enrollments,
  renewals, households, sessions) of that officer, in that area, by an officer of that office;
- ``all``: any field work at all (national boards read everyone's);
- ``global``: everything else a board reads (areas, users, targets, settings, official counts,
  the kept counts rebuilt in bulk, lapses booked), which changes seldom.

Field work comes in two families, each with its own tokens: ``outreach`` (contacts, households,
sessions) and ``enrollments`` (enrollments, renewals). What reads only participants (rankings on
new participants, the insurer's confirmations, participants year by year) names the second and
stays cached while officers log contacts all day.

Tokens move only after the transaction commits (a rolled-back write changes nothing), and a
token is never reused: a fresh random one replaces it, so a token evicted from the store comes
back as a new one and nothing stale can match it."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import Delete, Insert, Update, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from .dates import local_today
from .extensions import cache, db
from .models import (
    ApiToken,
    AuditEvent,
    Contact,
    Enrollment,
    HealthCheck,
    Household,
    ImportJob,
    OutreachSession,
    Renewal,
    User,
)

GLOBAL = "global"
ALL = "all"
OUTREACH, ENROLLMENTS = "outreach", "enrollments"
FAMILIES = (OUTREACH, ENROLLMENTS)
PENDING = "data_versions_pending"  # session.info: the slices this transaction wrote to
PREFIX = "v:"

# Writes that no board reads: who did what, sign-in bookkeeping, job progress, the readiness row.
IGNORED_MODELS = (AuditEvent, ApiToken, HealthCheck, ImportJob)
IGNORED_TABLES = frozenset(model.__table__.name for model in IGNORED_MODELS)
# A user row changed only in these columns (sign-out, password, language) changes no board.
USER_BOOKKEEPING = frozenset({"session_epoch", "password_hash", "must_change_password", "locale"})
# Field work: whose and where. Renewals carry their enrollment's area; sessions their organizer.
FIELDWORK = {  # model: (the column naming whose work it is, its family)
    Contact: ("officer_id", OUTREACH),
    Household: ("officer_id", OUTREACH),
    OutreachSession: ("organizer_id", OUTREACH),
    Enrollment: ("officer_id", ENROLLMENTS),
    Renewal: ("officer_id", ENROLLMENTS),
}


def officer(officer_id: int) -> str:
    return f"officer:{officer_id}"


def area(area_id: int) -> str:
    return f"area:{area_id}"


def office(office_id: int) -> str:
    return f"office:{office_id}"


def enabled() -> bool:
    """Off when the store is not shared by every process that writes (docs/operations.md)."""
    return current_app.config["DATA_CACHE"] != "off"


def stamp(slices: Iterable[str], families=FAMILIES) -> tuple[str, ...] | None:
    """The current tokens of these slices in these families (and of ``global``), in a stable
    order; None when versions are off. A slice with no token yet gets a fresh one."""
    if not enabled():
        return None
    names = sorted({GLOBAL, *(f"{family}/{name}" for name in slices for family in families)})
    tokens = cache.get_many(*(PREFIX + name for name in names))
    for index, token in enumerate(tokens):
        if token is None:
            cache.add(PREFIX + names[index], _new_token(), timeout=0)
            tokens[index] = cache.get(PREFIX + names[index])
    return tuple(tokens)


def touch(slices: Iterable[str]) -> None:
    """Move the tokens of these slices (after a commit, or from a command that wrote)."""
    slices = set(slices)
    if slices and has_app_context() and enabled():
        cache.set_many({PREFIX + name: _new_token() for name in slices}, timeout=0)


# Parts of a page's figures, cached apart ---------------------------------------------------------

# The slices the page being computed reads (tracker/fresh.py sets them while it computes).
_READING: ContextVar[tuple[str, ...] | None] = ContextVar("data_versions_reading", default=None)


@contextmanager
def reading(slices: Iterable[str]) -> Iterator[None]:
    marker = _READING.set(tuple(sorted(set(slices))))
    try:
        yield
    finally:
        _READING.reset(marker)


def memoized(*families: str):
    """Cache a part of a page's figures by the versions of only the families it reads, in the
    slices of the page being computed: an officer board's confirmed participants stay cached
    while contacts move its contact columns. Outside a page's computation (an export, the API,
    a test) the function is simply called. Its arguments name the part (repr, hashed)."""

    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            slices = _READING.get()
            if slices is None or not enabled():
                return function(*args, **kwargs)
            tokens = stamp(slices, families)
            arguments = repr((args, sorted(kwargs.items()), local_today(), slices)).encode()
            digest = hashlib.sha256(arguments).hexdigest()[:32]
            key = ":".join(["part", name, digest, *tokens])
            value = cache.get(key)
            if value is None:
                value = function(*args, **kwargs)
                cache.set(key, value)
            return value

        return wrapper

    return decorate


def forget_all() -> None:
    """Drop every token and cached board: after the database changed behind the app's back (a
    restored backup, a generated bench database)."""
    if enabled():
        cache.clear()


def _new_token() -> str:
    return secrets.token_hex(8)


# Collecting what a transaction wrote ----------------------------------------------------------


def _pending(session: Session) -> set[str]:
    return session.info.setdefault(PENDING, set())


def _values(obj, column: str) -> set[int]:
    """The column's value now and, for an edit, before it (a record moved between officers or
    areas changes both)."""
    history = inspect(obj).attrs[column].history
    values = {*history.added, *history.unchanged, *history.deleted}
    return {value for value in values if value is not None}


def _fieldwork_slices(session: Session, rows: list) -> set[str]:
    """The slices these records were written to, in their families."""
    officers, areas, enrollments = {}, {}, set()
    for obj in rows:
        whose, family = FIELDWORK[type(obj)]
        officers.setdefault(family, set()).update(_values(obj, whose))
        if isinstance(obj, Renewal):
            enrollments |= _values(obj, "enrollment_id")
        else:
            areas.setdefault(family, set()).update(_values(obj, "area_id"))
    connection = session.connection()
    if enrollments:
        areas.setdefault(ENROLLMENTS, set()).update(
            connection.scalars(
                select(Enrollment.area_id).where(Enrollment.id.in_(sorted(enrollments)))
            )
        )
    # The signed-in officer is usually in the session already: no query for their office.
    office_of, unknown = {}, []
    for officer_id in sorted(set().union(*officers.values())):
        user = session.identity_map.get(identity_key(User, officer_id))
        if user is not None and "office_id" in user.__dict__:  # loaded, not expired
            office_of[officer_id] = user.office_id
        else:
            unknown.append(officer_id)
    if unknown:
        query = select(User.id, User.office_id).where(User.id.in_(unknown))
        office_of.update(connection.execute(query).all())
    written = set()
    for family in officers.keys() | areas.keys():
        whose = officers.get(family, set())
        offices = {office_of.get(officer_id) for officer_id in whose} - {None}
        written |= {
            f"{family}/{name}"
            for name in (
                ALL,
                *map(officer, whose),
                *map(area, areas.get(family, ())),
                *map(office, offices),
            )
        }
    return written


def _is_bookkeeping(obj) -> bool:
    if isinstance(obj, IGNORED_MODELS):
        return True
    if isinstance(obj, User):
        state = inspect(obj)
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        return state.persistent and changed <= USER_BOOKKEEPING
    return False


def after_flush(session: Session, _context) -> None:
    fieldwork, other = [], False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if type(obj) in FIELDWORK:
            fieldwork.append(obj)
        elif not _is_bookkeeping(obj):
            other = True
    pending = _pending(session)
    if fieldwork:
        pending |= _fieldwork_slices(session, fieldwork)
    if other:
        pending.add(GLOBAL)


def after_commit(session: Session) -> None:
    touch(session.info.pop(PENDING, ()))


def after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def _on_engine_execute(_connection, statement, *_args) -> None:
    """A statement written outside a flush (a bulk load, a rebuild of the kept counts, lapses
    booked, a reorganisation) names no rows the listener could read: it moves ``global``."""
    if not isinstance(statement, Insert | Update | Delete):
        return
    if statement.table.name in IGNORED_TABLES:
        return
    if has_app_context() and db.session.registry.has():
        session = db.session()
        if not session._flushing:
            _pending(session).add(GLOBAL)


LISTENERS = (
    (Session, "after_flush", after_flush),
    (Session, "after_commit", after_commit),
    (Session, "after_rollback", after_rollback),
    (Engine, "before_execute", _on_engine_execute),
)


def init_app(app: Flask) -> None:
    """Configure the store and register the listeners once per process."""
    cache.init_app(app, config=_cache_config(app))
    for target, name, listener in LISTENERS:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


def _cache_config(app: Flask) -> dict:
    mode = app.config["DATA_CACHE"]
    if mode == "redis":
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": app.config["REDIS_URL"],
            "CACHE_KEY_PREFIX": "tracker:",
            "CACHE_DEFAULT_TIMEOUT": app.config["DATA_CACHE_SECONDS"],
        }
    if mode == "process":
        return {
            "CACHE_TYPE": "SimpleCache",
            "CACHE_THRESHOLD": 2000,
            "CACHE_DEFAULT_TIMEOUT": app.config["DATA_CACHE_SECONDS"],
        }
    return {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
