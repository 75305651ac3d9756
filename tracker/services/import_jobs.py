"""Committing an import as a job outside the request, in chunks, with its progress.

A 20,000-row commit inside the request was killed by gunicorn's 30 s timeout and, on SQLite,
held the one write lock so long that officers' contacts failed with "database is locked". Now the
commit request only queues the job (tracker.jobs: an RQ worker, or a thread), and the job writes
CHUNK rows per transaction, each transaction also moving the job's progress: a job that stops
(a deploy, a crash) resumes exactly where its last chunk ended, and between chunks other writers
get the lock. A job is claimed with a compare-and-set on its status and counters, so two runners
never write the same rows.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, update
from sqlalchemy.exc import OperationalError

from .. import jobs
from ..access import may_see_import
from ..errors import RuleBroken
from ..extensions import db
from ..health import storage_failure
from ..models import Household, ImportJob, ParticipantCount, User
from . import audit
from .imports import (
    Preview,
    Problem,
    count_key,
    existing_counts,
    existing_households,
    household_key,
)

CHUNK = 500
PAUSE = 0.05  # seconds between chunks, so waiting writers take the SQLite lock
STALLED_AFTER = timedelta(minutes=5)  # no progress for this long: the runner is gone
PREVIEWS_KEPT = timedelta(days=7)


def _now() -> datetime:
    return datetime.now(UTC)


def save(user: User, result: Preview) -> ImportJob:
    """Keep a preview until it is committed (any worker can then read it), and drop previews
    nobody committed within a week."""
    db.session.execute(
        delete(ImportJob).where(
            ImportJob.status == "previewed", ImportJob.created_at < _now() - PREVIEWS_KEPT
        )
    )
    job = ImportJob(
        user_id=user.id,
        kind=result.kind,
        filename=result.filename,
        digest=result.digest,
        preview=json.dumps(asdict(result), ensure_ascii=False),
        status="previewed",
        total=len(result.rows),
    )
    db.session.add(job)
    db.session.commit()
    return job


def preview_of(job: ImportJob) -> Preview:
    data = json.loads(job.preview)
    data["duplicates"] = [Problem(**p) for p in data["duplicates"]]
    data["problems"] = [Problem(**p) for p in data["problems"]]
    return Preview(**data)


def find(user: User, job_id: int) -> ImportJob | None:
    job = db.session.get(ImportJob, job_id)
    return job if job is not None and may_see_import(user, job) else None


def stalled(job: ImportJob) -> bool:
    return job.status in ("queued", "running") and _now() - job.updated_at > STALLED_AFTER


def start(user: User, job_id: int) -> ImportJob:
    """Queue the job that writes a preview's rows; pressing twice queues it once. A failed or
    stalled job is queued again and resumes after its last written chunk."""
    job = find(user, job_id)
    if job is None:
        raise RuleBroken("file", "expired")
    if not waiting(job):
        return job
    if not preview_of(job).can_commit:
        raise RuleBroken("file", "has_problems")
    return queue(job, "tracker.services.import_jobs.run")


def waiting(job: ImportJob) -> bool:
    """Not done, and not already on its way: starting it would queue it."""
    return job.status != "done" and not (job.status in ("queued", "running") and not stalled(job))


def queue(job: ImportJob, runner: str) -> ImportJob:
    """Mark the job queued (once, whoever else presses) and hand it to `runner`."""
    claimed = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == job.status)
        .values(status="queued", error=None, updated_at=_now())
    ).rowcount
    db.session.commit()
    if claimed:
        try:
            jobs.enqueue(runner, job.id)
        except Exception:  # noqa: BLE001 - Redis unreachable: say so on the job's page
            current_app.logger.exception("import job %s could not be queued", job.id)
            db.session.execute(
                update(ImportJob)
                .where(ImportJob.id == job.id)
                .values(status="failed", error="queue", updated_at=_now())
            )
            db.session.commit()
    return job


def _write(kind: str, rows: list[dict]) -> int:
    """Add the rows not already there (another import, an officer); return how many."""
    written = 0
    if kind == "households":
        seen = existing_households(row["area_id"] for row in rows)
        for row in rows:
            if (key := household_key(row)) not in seen:
                seen.add(key)
                db.session.add(Household(status="prospect", **row))
                written += 1
        return written
    existing = existing_counts(row["area_id"] for row in rows)
    for row in rows:
        if (key := count_key(row)) not in existing:
            existing[key] = row["participants"]
            _area_id, as_of, scheme = key
            values = {**row, "as_of": date.fromisoformat(as_of), "scheme": scheme}
            db.session.add(ParticipantCount(**values))
            written += 1
    return written


def _chunk(job_id: int, kind: str, rows: list[dict], done: int) -> bool:
    """Write one chunk and move the job's counters in the same transaction; False when another
    runner moved them first (nothing of this chunk is kept)."""
    for attempt in range(3):
        try:
            written = _write(kind, rows[done : done + CHUNK])
            moved = db.session.execute(
                update(ImportJob)
                .where(
                    ImportJob.id == job_id, ImportJob.status == "running", ImportJob.done == done
                )
                .values(
                    done=min(done + CHUNK, len(rows)),
                    written=ImportJob.written + written,
                    updated_at=_now(),
                )
            ).rowcount
            if not moved:
                db.session.rollback()
                return False
            db.session.commit()
            return True
        except OperationalError as error:
            db.session.rollback()
            if "locked" not in str(error).lower() or attempt == 2:
                raise
            time.sleep(0.2)
    return False


def claim(job_id: int) -> ImportJob | None:
    """The queued job, now running, for this runner alone; None when it is done already or
    another runner has it."""
    claimed = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == "queued")
        .values(status="running", updated_at=_now())
    ).rowcount
    db.session.commit()
    return db.session.get(ImportJob, job_id) if claimed else None


def mark_failed(job_id: int, error: Exception) -> None:
    """The job's row says what stopped it (a full disk is told as such); it can resume."""
    db.session.rollback()
    current_app.logger.exception("import job %s failed", job_id)
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(status="failed", error=storage_failure(error) or "error", updated_at=_now())
    )
    db.session.commit()


def run(job_id: int) -> None:
    """The job itself (tracker.jobs calls it inside an app context)."""
    job = claim(job_id)
    if job is None:
        return
    rows = preview_of(job).rows
    pause = current_app.config.get("IMPORT_CHUNK_PAUSE", PAUSE)
    try:
        while job.done < len(rows):
            if not _chunk(job.id, job.kind, rows, job.done):
                return
            db.session.refresh(job)
            time.sleep(pause)
        _finish(job)
    except Exception as error:  # noqa: BLE001 - the job's row says what happened
        mark_failed(job_id, error)


def _finish(job: ImportJob) -> None:
    result = preview_of(job)
    audit.record(
        job.user,
        "import",
        job.kind,
        None,
        None,
        {
            "file": job.filename,
            "sha256": job.digest,
            "rows": job.written,
            "duplicates": len(result.duplicates) + (job.total - job.written),
        },
    )
    job.status, job.finished_at, job.updated_at = "done", _now(), _now()
    db.session.commit()


def progress(job: ImportJob) -> dict:
    """What the job page shows, and what it polls."""
    return {
        "id": job.id,
        "status": "stalled" if stalled(job) else job.status,
        "total": job.total,
        "done": job.done,
        "written": job.written,
        "error": job.error,
        "queue": "rq" if jobs.uses_queue(current_app) else "thread",
    }


def failure_text(code: str) -> str:
    """What a user reads of a stopped job, by its error code (a full disk, the queue, else)."""
    if code in ("full", "read_only", "io_error"):
        return _(
            "The server's disk is full or read-only: the import stopped. Please tell your "
            "administrator; once it is fixed, start it again and it goes on where it stopped."
        )
    if code == "queue":
        return _(
            "The import queue cannot be reached, so the import has not started. Please tell "
            "your administrator (Redis, the jobs worker)."
        )
    return _("The import stopped on an error. Start it again: it goes on where it stopped.")
