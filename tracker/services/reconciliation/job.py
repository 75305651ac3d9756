"""Importing the insurer's list: a streaming preview, then a job that writes it in chunks.

Memory stays flat whatever the list's length: the preview keeps only counts and the first
problems, the job reads the stored file again and holds one chunk at a time. The job claims
and moves its counters like the other imports (services/import_jobs.py), so a stopped job
resumes after its last written chunk and two runners never write the same rows."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ...errors import RuleBroken
from ...extensions import db
from ...models import ImportJob, InsurerRecord, Office, User
from .. import audit, import_files, import_jobs
from ..areas import area_by_code
from . import listfile
from .matching import write_chunk

KIND = "insurer_list"
MAX_ROWS = 200_000
MAX_BYTES = 40 * 1024 * 1024  # an upload of the list (a CSV of 200,000 people is ~30 MB)
MAX_UNZIPPED = 512 * 1024 * 1024
CHUNK = 1000
PAUSE = 0.02  # seconds between chunks, so waiting writers take the SQLite lock
PROBLEMS_SHOWN = 200
COUNTERS = ["status", "done", "written", "updated_at"]


@dataclass
class ListPreview:
    filename: str
    digest: str
    office_id: int | None
    listed_on: str
    rows: int = 0
    new: int = 0
    known: int = 0  # already in an earlier list: updated in place
    schemes: dict[str, int] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)  # the first PROBLEMS_SHOWN
    problem_count: int = 0

    @property
    def can_commit(self) -> bool:
        return self.rows > 0 and self.problem_count == 0


class _Areas:
    """The unit bearing each code on the list's day, looked up once per code."""

    def __init__(self, day: date):
        self.day, self.found = day, {}

    def id_of(self, code: str) -> int | None:
        if code not in self.found:
            area = area_by_code(code, self.day)
            self.found[code] = area.id if area is not None else None
        return self.found[code]


def _rows(data: bytes, filename: str, listed_on: date, problems: list) -> Iterator[dict]:
    """Each person of the file with the area resolved, problems added as they are found."""
    rows = import_files.iter_rows(data, filename, MAX_ROWS, MAX_UNZIPPED)
    try:
        header = next(rows)
    except StopIteration:
        raise RuleBroken("file", "empty") from None
    where, missing = listfile.positions(header)
    if missing:
        problems.append(listfile.Problem(1, ", ".join(missing), _("Missing column.")))
        return
    areas = _Areas(listed_on)
    for line, cells in enumerate(rows, start=2):
        if not any(import_files.cell_text(c) for c in cells):
            continue
        before = len(problems)
        values = listfile.read_row(line, cells, where, problems)
        if values["area_code"]:
            values["area_id"] = areas.id_of(values["area_code"])
            if values["area_id"] is None:
                code = values["area_code"]
                reason = _("No unit bears the code “%(code)s” on the list's day.", code=code)
                problems.append(listfile.Problem(line, "area_code", reason))
        if len(problems) == before:
            values["line"] = line
            yield values


def _reading(data: bytes, filename: str, listed_on: date, problems: list) -> Iterator[dict]:
    try:
        yield from _rows(data, filename, listed_on, problems)
    except import_files.FileProblem as error:
        raise RuleBroken("file", error.code) from error


def preview(user: User, office: Office | None, listed_on: date, data: bytes, filename: str):
    """Read the whole list once and say what committing it would do; nothing is written."""
    result = ListPreview(
        filename[:200],
        hashlib.sha256(data).hexdigest(),
        office.id if office else None,
        listed_on.isoformat(),
    )
    problems: list[listfile.Problem] = []
    seen: set[int] = set()  # (scheme, number) as one int: 100,000 of them take 4 MB, not 20
    batch: list[tuple[str, str]] = []
    for values in _reading(data, filename, listed_on, problems):
        key = (values["scheme"], values["social_insurance_number"])
        packed = int(key[1]) * 2 + (key[0] == "household_hi")
        if packed in seen:
            reason = _("This social insurance number is already on an earlier line.")
            problems.append(listfile.Problem(values["line"], "social_insurance_number", reason))
            continue
        seen.add(packed)
        result.rows += 1
        result.schemes[key[0]] = result.schemes.get(key[0], 0) + 1
        batch.append(key)
        if len(batch) == CHUNK:
            _count_known(result, batch)
    _count_known(result, batch)
    result.problem_count = len(problems)
    result.problems = [asdict(p) for p in problems[:PROBLEMS_SHOWN]]
    return result


def _count_known(result: ListPreview, keys: list[tuple[str, str]]) -> None:
    if not keys:
        return
    known = {
        tuple(row)
        for row in db.session.execute(
            select(InsurerRecord.scheme, InsurerRecord.social_insurance_number).where(
                InsurerRecord.social_insurance_number.in_([number for _s, number in keys])
            )
        )
    }
    hits = sum(1 for key in keys if key in known)
    result.known += hits
    result.new += len(keys) - hits
    keys.clear()


def save(user: User, result: ListPreview, data: bytes) -> ImportJob:
    """Keep the preview and the file until the list is committed (any worker can read them)."""
    payload = {**asdict(result), "can_commit": result.can_commit}
    job = ImportJob(
        user_id=user.id,
        kind=KIND,
        filename=result.filename,
        digest=result.digest,
        preview=json.dumps(payload, ensure_ascii=False),
        payload=data,
        status="previewed",
        total=result.rows,
    )
    db.session.add(job)
    db.session.commit()
    return job


def start(user: User, job_id: int) -> ImportJob:
    """Queue the job that writes the list; pressing twice queues it once."""
    job = import_jobs.find(user, job_id)
    if job is None or job.kind != KIND:
        raise RuleBroken("file", "expired")
    if not import_jobs.waiting(job):
        return job
    if not preview_of(job).can_commit:
        raise RuleBroken("file", "has_problems")
    return import_jobs.queue(job, "tracker.services.reconciliation.job.run")


def preview_of(job: ImportJob) -> ListPreview:
    data = json.loads(job.preview)
    data.pop("can_commit", None)
    return ListPreview(**data)


def _now() -> datetime:
    return datetime.now(UTC)


def _chunk(job: ImportJob, rows: list[dict], listed_on: date) -> bool:
    """Write one chunk and move the job's counters in the same transaction; False when another
    runner moved them first (nothing of this chunk is kept)."""
    write_chunk(rows, job_office(job), listed_on)
    moved = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == "running", ImportJob.done == job.done)
        .values(done=job.done + len(rows), written=job.written + len(rows), updated_at=_now())
    ).rowcount
    if not moved:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def job_office(job: ImportJob) -> int | None:
    return json.loads(job.preview)["office_id"]


def run(job_id: int) -> None:
    """The job itself (tracker.jobs calls it inside an app context)."""
    job = import_jobs.claim(job_id)
    if job is None:
        return
    listed_on = date.fromisoformat(preview_of(job).listed_on)
    pause = current_app.config.get("IMPORT_CHUNK_PAUSE", PAUSE)
    try:
        skip, chunk = job.done, []
        data = job.payload  # read once: the job's counters are refreshed, never the file
        for values in _reading(data, job.filename, listed_on, []):
            if skip:
                skip -= 1
                continue
            chunk.append(values)
            if len(chunk) == CHUNK:
                if not _chunk(job, chunk, listed_on):
                    return
                db.session.refresh(job, COUNTERS)
                chunk = []
                time.sleep(pause)
        if chunk and not _chunk(job, chunk, listed_on):
            return
        db.session.refresh(job, COUNTERS)
        _finish(job)
    except Exception as error:  # noqa: BLE001 - the job's row says what happened
        import_jobs.mark_failed(job_id, error)


def _finish(job: ImportJob) -> None:
    counted = (
        select(InsurerRecord.status, func.count())
        .where(InsurerRecord.office_id == job_office(job))
        .group_by(InsurerRecord.status)
    )
    statuses = {status: count for status, count in db.session.execute(counted)}
    audit.record(
        job.user,
        "import",
        KIND,
        None,
        None,
        {"file": job.filename, "sha256": job.digest, "rows": job.written, **statuses},
    )
    job.status, job.finished_at, job.updated_at = "done", _now(), _now()
    job.payload = None  # the rows are in insurer_records now
    db.session.commit()
