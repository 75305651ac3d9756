"""Knowing when the server cannot write: the readiness check, and the errors that mean the disk
is full or read-only (told to users as such and logged loudly, not as "please try again").

/healthz says the process and the database answer; /readyz also writes, because a database
that answers but cannot write (disk full, a read-only file system or replica) serves every page
and refuses every contact.
"""

from __future__ import annotations

import errno
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import DBAPIError

from .extensions import db

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLITE_FULL = ("database or disk is full",)
_SQLITE_READ_ONLY = ("readonly database", "read-only database")


def storage_failure(error: BaseException) -> str | None:
    """'full', 'read_only' or 'io_error' when `error` says the server cannot write, else None.

    PostgreSQL says so with SQLSTATE class 53 (disk full, out of memory) or 25006 (a read-only
    transaction: a replica, or default_transaction_read_only); SQLite with its message; the
    file system with errno."""
    if isinstance(error, DBAPIError):
        state = getattr(error.orig, "sqlstate", None) or ""
        if state.startswith("53"):
            return "full"
        if state == "25006":
            return "read_only"
        text = str(error.orig).lower()
        if any(words in text for words in _SQLITE_FULL):
            return "full"
        if any(words in text for words in _SQLITE_READ_ONLY):
            return "read_only"
        if "disk i/o error" in text:
            return "io_error"
        return None
    if isinstance(error, OSError):
        if error.errno in _FULL_ERRNOS:
            return "full"
        if error.errno in _READ_ONLY_ERRNOS:
            return "read_only"
    return None


def _write_database() -> None:
    from .models import HealthCheck

    db.session.merge(HealthCheck(id=1, checked_at=datetime.now(UTC)))
    db.session.commit()


def _write_instance_folder() -> None:
    """instance/ holds the SQLite database by default and the development secret key."""
    folder = Path(current_app.instance_path)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-", delete=True) as probe:
        probe.write(os.urandom(4096))
        probe.flush()
        os.fsync(probe.fileno())


def readiness() -> dict[str, str]:
    """{"database": ..., "storage": ...}, each "ok" or what is wrong; failures logged CRITICAL."""
    report = {}
    for name, check in (("database", _write_database), ("storage", _write_instance_folder)):
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            if name == "database":
                db.session.rollback()
            report[name] = storage_failure(error) or "error"
            current_app.logger.critical(
                "READINESS: the %s cannot be written (%s)", name, report[name], exc_info=error
            )
        else:
            report[name] = "ok"
    return report
