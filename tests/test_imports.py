"""Imports: hostile files refused while reading (entities, lying <dimension>, too many rows,
huge numbers, Unicode digits, NUL), and the commit as a job, in a thread without Redis and on
an RQ queue with it, resumable and claimed once."""

from __future__ import annotations

import io
import os
import re
import subprocess
import time
import tracemalloc
import uuid
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_user
from tests.servers import BIN, database_url
from tracker import jobs
from tracker.extensions import db
from tracker.models import AuditEvent, Household, ImportJob, ParticipantCount
from tracker.services import import_files, import_jobs

HEADER = "ward_code,head_name,address,phone,category\n"


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city, code="KT")
    make_user("chief", "supervisor")
    make_user("boss", "admin")
    return ward


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, kind, content: bytes, filename: str):
    return client.post(
        "/imports",
        data={"kind": kind, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def job_id_of(page: str) -> int:
    return int(page.split('data-token="')[1].split('"')[0])


def households_csv(rows: int, start: int = 0) -> bytes:
    lines = [f"KT,Hộ số {n},Tổ {n % 40},,other" for n in range(start, start + rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def xlsx(rows, patch=None) -> bytes:
    """A workbook of `rows`, with its sheet's XML rewritten by `patch` if given."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if patch is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = patch(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def set_dimension(ref):
    return lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)


HOUSEHOLD_ROWS = [["ward_code", "head_name", "address", "phone", "category"]] + [
    ["KT", f"Hộ {n}", f"Số {n}", None, "other"] for n in range(10)
]


def test_xml_entities_are_unreadable_not_a_crash(office, client, auth):
    def with_entities(xml):
        doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        return doctype + xml.replace("<v>", "<v>&b;", 1)

    auth.login("boss")
    response = upload(client, "households", xlsx(HOUSEHOLD_ROWS, with_entities), "h.xlsx")
    assert response.status_code == 422
    assert "Không đọc được" in response.get_data(as_text=True)
    assert count(ImportJob) == 0


def test_a_declared_dimension_of_a_million_cells_costs_nothing(office):
    """A1:XFD3000 in a 5 KB file took 375 MB: openpyxl padded every row to 16,384 columns."""
    data = xlsx(HOUSEHOLD_ROWS, set_dimension("A1:XFD1048576"))
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    rows = import_files.read_rows(data, "h.xlsx")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(rows) == 11 and len(rows[0]) <= import_files.MAX_COLUMNS
    assert peak < 20 * 1024 * 1024 and elapsed < 5, (peak, elapsed)


def test_a_stale_dimension_drops_no_rows(office):
    rows = import_files.read_rows(xlsx(HOUSEHOLD_ROWS, set_dimension("A1:E2")), "h.xlsx")
    assert [row[1] for row in rows[1:]] == [f"Hộ {n}" for n in range(10)]


def test_too_many_rows_stop_the_reading(office, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 50)
    with pytest.raises(import_files.FileProblem, match="too_many_rows"):
        import_files.read_rows(households_csv(51), "h.csv")
    many = [HOUSEHOLD_ROWS[0]] + [["KT", f"H{n}", "", None, "other"] for n in range(60)]
    with pytest.raises(import_files.FileProblem, match="too_many_rows"):
        import_files.read_rows(xlsx(many), "h.xlsx")
    assert len(import_files.read_rows(households_csv(50), "h.csv")) == 51


@pytest.mark.parametrize(
    "cell,refused",
    [
        ("462", False),
        ("1.234", False),
        ("12345678901234567890", True),  # passed the preview and failed on commit
        ("²", True),
        ("٤٦٢", True),
        ("-5", True),
    ],
)
def test_counts_are_bounded_at_preview(office, client, auth, cell, refused):
    auth.login("boss")
    body = f"area_code,as_of,participants,source\nKT,2024-03-26,{cell},BHXH\n".encode()
    page = upload(client, "counts", body, "c.csv").get_data(as_text=True)
    assert ('data-test="problems">1<' in page) is refused
    if not refused:
        client.post(f"/imports/{job_id_of(page)}/commit")
        jobs.wait_for_threads()
        assert count(ParticipantCount) == 1


@pytest.mark.parametrize(
    "line",
    [
        "KT,2024-03-26,1,a\x00b",
        "KT,0001-01-01,1,BHXH",
        "KT,01/01/0001,1,BHXH",
        "KT,٢٦/٠٣/٢٠٢٤,1,BHXH",
        "KT,2024-02-30,1,BHXH",
    ],
)
def test_hostile_count_cells_are_problems_not_crashes(office, client, auth, line):
    auth.login("boss")
    body = f"area_code,as_of,participants,source\n{line}\n".encode()
    response = upload(client, "counts", body, "c.csv")
    assert response.status_code == 200
    assert 'data-test="problems">1<' in response.get_data(as_text=True)


def test_counts_of_household_health_insurance_are_imported_apart(office, client, auth):
    """An optional scheme column: HI counts beside the VSI count of the same day, the base of
    the HI participants; a count without a scheme is voluntary; an unknown scheme a problem."""
    auth.login("boss")
    body = (
        b"area_code,as_of,participants,source,scheme\n"
        b"KT,2024-03-26,462,BHXH,voluntary_si\n"
        b"KT,2024-03-26,95,BHXH,household_hi\n"
        b"KT,2024-06-30,101,BHXH,household_hi\n"
    )
    page = upload(client, "counts", body, "c.csv").get_data(as_text=True)
    assert 'data-test="problems">0<' in page
    client.post(f"/imports/{job_id_of(page)}/commit")
    jobs.wait_for_threads()
    rows = db.session.execute(
        select(ParticipantCount.as_of, ParticipantCount.scheme, ParticipantCount.participants)
    )
    assert sorted((day.isoformat(), scheme, n) for day, scheme, n in rows) == [
        ("2024-03-26", "household_hi", 95),
        ("2024-03-26", "voluntary_si", 462),
        ("2024-06-30", "household_hi", 101),
    ]
    hi = client.get("/api/v1/leaderboard/areas?period=2024-06&parent=KT&scheme=household_hi")
    vsi = client.get("/api/v1/leaderboard/areas?period=2024-06&parent=KT")
    assert hi.json["total"]["actual"] == 101 and vsi.json["total"]["actual"] == 462
    # The same file again is all duplicates; a scheme left empty is voluntary (a duplicate of
    # the count above); an unknown one is a problem.
    again = upload(client, "counts", body, "c.csv").get_data(as_text=True)
    assert 'data-test="duplicates">3<' in again
    plain = b"area_code,as_of,participants,source,scheme\nKT,2024-03-26,462,BHXH,\n"
    assert 'data-test="duplicates">1<' in upload(client, "counts", plain, "p.csv").get_data(
        as_text=True
    )
    wrong = b"area_code,as_of,participants,source,scheme\nKT,2024-09-30,9,BHXH,both\n"
    assert 'data-test="problems">1<' in upload(client, "counts", wrong, "w.csv").get_data(
        as_text=True
    )


def test_an_oversized_csv_field_is_unreadable(office, client, auth):
    auth.login("boss")
    body = HEADER.encode() + b'KT,"' + b"x" * 200_000 + b'",,,other\n'
    assert upload(client, "households", body, "h.csv").status_code == 422


def test_the_commit_is_a_job_and_its_progress_is_shown(office, client, auth):
    auth.login("boss")
    page = upload(client, "households", households_csv(1200), "h.csv").get_data(as_text=True)
    job_id = job_id_of(page)
    response = client.post(f"/imports/{job_id}/commit")
    assert response.status_code == 302 and response.location == f"/imports/{job_id}"
    jobs.wait_for_threads()
    progress = client.get(f"/imports/{job_id}.json").json
    assert progress == {
        "id": job_id,
        "status": "done",
        "total": 1200,
        "done": 1200,
        "written": 1200,
        "error": None,
        "queue": "thread",
    }
    page = client.get(f"/imports/{job_id}").get_data(as_text=True)
    assert 'data-test="job-done-message"' in page
    assert count(Household) == 1200
    audit = db.session.scalar(select(AuditEvent.after).where(AuditEvent.action == "import"))
    assert audit["rows"] == 1200
    client.post(f"/imports/{job_id}/commit")  # pressed again: nothing more
    jobs.wait_for_threads()
    assert count(Household) == 1200 and count(AuditEvent) == 1
    assert 'data-test="recent-imports"' in client.get("/imports").get_data(as_text=True)


def test_another_users_import_is_refused_like_a_missing_one(office, client, auth):
    auth.login("boss")
    page = upload(client, "households", households_csv(3), "h.csv").get_data(as_text=True)
    auth.logout()
    auth.login("chief")
    job_id = job_id_of(page)
    assert client.get(f"/imports/{job_id}").status_code == 403
    assert client.get(f"/imports/{job_id}.json").status_code == 403
    assert client.get("/imports/987654").status_code == 403
    assert client.post(f"/imports/{job_id}/commit").status_code == 403
    jobs.wait_for_threads()
    assert count(Household) == 0


def test_a_stopped_job_resumes_where_it_stopped(office, client, auth, monkeypatch):
    auth.login("boss")
    monkeypatch.setattr(import_jobs, "CHUNK", 100)
    page = upload(client, "households", households_csv(450), "h.csv").get_data(as_text=True)
    job_id = job_id_of(page)
    real_write, calls = import_jobs._write, []

    def failing_write(kind, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("the worker was killed")
        return real_write(kind, rows)

    monkeypatch.setattr(import_jobs, "_write", failing_write)
    client.post(f"/imports/{job_id}/commit")
    jobs.wait_for_threads()
    progress = client.get(f"/imports/{job_id}.json").json
    assert progress["status"] == "failed" and progress["done"] == 200
    assert count(Household) == 200
    assert 'data-test="resume"' in client.get(f"/imports/{job_id}").get_data(as_text=True)
    client.post(f"/imports/{job_id}/commit")
    jobs.wait_for_threads()
    progress = client.get(f"/imports/{job_id}.json").json
    assert progress["status"] == "done" and progress["written"] == 450
    assert count(Household) == 450


def test_a_claimed_job_is_run_once(office, client, auth):
    auth.login("boss")
    page = upload(client, "households", households_csv(10), "h.csv").get_data(as_text=True)
    job = db.session.get(ImportJob, job_id_of(page))
    job.status = "queued"
    db.session.commit()
    import_jobs.run(job.id)
    import_jobs.run(job.id)  # a second runner finds it done
    assert count(Household) == 10 and count(AuditEvent) == 1


@pytest.fixture
def redis_queue(make_app):
    """The app with REDIS_URL set and a queue of this test's own (Redis outlives the test)."""
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"tracker-test-{uuid.uuid4().hex[:12]}"
    app = make_app(REDIS_URL=url, JOBS_QUEUE=name)
    yield app
    with app.app_context():
        queue = jobs.queue(app)
        queue.empty()
        queue.delete(delete_jobs=True)


def test_with_redis_the_job_waits_on_the_rq_queue_for_a_worker(redis_queue):
    from rq import SimpleWorker

    app = redis_queue
    with app.app_context():
        office_ward = make_area("Kim Tân", code="KT")
        assert office_ward.id
        make_user("boss", "admin")
        client = app.test_client()
        client.post("/login", data={"username": "boss", "password": "correct-horse-9"})
        page = upload(client, "households", households_csv(700), "h.csv").get_data(as_text=True)
        job_id = job_id_of(page)
        client.post(f"/imports/{job_id}/commit")
        time.sleep(0.2)
        progress = client.get(f"/imports/{job_id}.json").json
        assert progress["status"] == "queued" and progress["queue"] == "rq"
        page = client.get(f"/imports/{job_id}").get_data(as_text=True)
        assert 'data-test="waiting-for-worker"' in page
        assert jobs.queue(app).count == 1
        SimpleWorker([jobs.queue(app)], connection=jobs._redis(app)).work(burst=True)
        assert client.get(f"/imports/{job_id}.json").json["status"] == "done"
        assert count(Household) == 700


def test_the_documented_worker_command_runs_the_queue(redis_queue):
    """`flask --app app jobs-worker` (here with --burst), as docs/operations.md says."""
    app = redis_queue
    with app.app_context():
        make_area("Kim Tân", code="KT")
        make_user("boss", "admin")
        client = app.test_client()
        client.post("/login", data={"username": "boss", "password": "correct-horse-9"})
        page = upload(client, "households", households_csv(30), "h.csv").get_data(as_text=True)
        job_id = job_id_of(page)
        client.post(f"/imports/{job_id}/commit")
        db.session.commit()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(app),
            "REDIS_URL": app.config["REDIS_URL"],
            "JOBS_QUEUE": app.config["JOBS_QUEUE"],
            "SECRET_KEY": "worker-test",
        }
        subprocess.run(  # nosec B603 - the documented command
            [str(BIN / "flask"), "--app", "app", "jobs-worker", "--burst"],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert client.get(f"/imports/{job_id}.json").json["status"] == "done"
        assert count(Household) == 30


def test_an_unreachable_queue_is_said_on_the_jobs_page(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    with app.app_context():
        make_area("Kim Tân", code="KT")
        make_user("boss", "admin")
        client = app.test_client()
        client.post("/login", data={"username": "boss", "password": "correct-horse-9"})
        page = upload(client, "households", households_csv(3), "h.csv").get_data(as_text=True)
        job_id = job_id_of(page)
        assert client.post(f"/imports/{job_id}/commit").status_code == 302
        assert client.get(f"/imports/{job_id}.json").json["error"] == "queue"
        assert 'data-test="job-error"' in client.get(f"/imports/{job_id}").get_data(as_text=True)
        assert count(Household) == 0
