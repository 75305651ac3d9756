"""Database wiring: Flask-SQLAlchemy, Alembic, and SQLite's pragmas."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import collation
from .extensions import db, migrate

SQLITE_BUSY_TIMEOUT_MS = 5000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work while one writer writes; foreign keys are off unless asked for."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    collation.register_sqlite(dbapi_connection)  # ORDER BY … COLLATE vi: Vietnamese order


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection, _record) -> None:
    """No JIT: it pays off for long analytic queries, not ours. Misled by a recursive CTE's row
    estimate, PostgreSQL spent 257 ms compiling a 20-ward board's query (docs/performance.md)."""
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()  # a SET inside a transaction rolled back would be undone


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables on the metadata)

    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)


def plus_days(column, days: int):
    """`column + days` for a DATE column, in SQL both databases understand."""
    from datetime import timedelta

    from sqlalchemy import func

    from .extensions import db

    if db.engine.dialect.name == "sqlite":
        return func.date(column, f"+{int(days)} days")
    return column + timedelta(days=days)
