"""The documented maximum import (20,000 rows) under gunicorn, started as README.md says (default
30 s worker timeout, no Redis: the job runs in a thread), while 8 officers' phones log contacts:
the import completes, and not one contact fails ("database is locked" on SQLite used to be the
answer, and the commit request itself was killed at 30 s). `make import-load` prints the figures
(docs/performance.md)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_officer, make_user
from tests.servers import database_url, gunicorn
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import Contact, Household
from tracker.services import tokens

ROWS = 20_000
WARDS = 20
WRITERS = 8


class Browser:
    """Just enough of a browser for the HTML forms: cookies and the page's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        return self.opener.open(request, timeout=60)  # nosec B310 - loopback

    def csrf(self, path: str) -> str:
        page = self.open(path).read().decode()
        return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]

    def post_form(self, path: str, fields: dict, csrf_from: str | None = None):
        fields = {"csrf_token": self.csrf(csrf_from or path), **fields}
        return self.open(path, urllib.parse.urlencode(fields).encode())

    def upload(self, path: str, fields: dict, name: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        fields = {"csrf_token": self.csrf(path), **fields}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
        )
        body += content + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.open(path, body, headers)


def writer(base, token, ward_id, day, stop, results):
    while not stop.is_set():
        body = {
            "client_token": uuid.uuid4().hex,
            "area": ward_id,
            "contacted_on": day,
            "channel": "phone",
            "outcome": "informed",
            "people_reached": 1,
        }
        request = urllib.request.Request(
            f"{base}/api/v1/contacts",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results.append((status, time.perf_counter() - started))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_twenty_thousand_rows_under_gunicorn_while_eight_writers_log(app, backend):
    _, city = make_city()
    wards = [make_area(f"Phường {n}", parent=city, code=f"W{n:02d}") for n in range(WARDS)]
    make_user("boss", "admin")
    officer = make_officer("lan", areas=[wards[0]])
    officer.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    token = tokens.create(officer, "load")
    lines = ["ward_code,head_name,address,phone,category"] + [
        f"W{n % WARDS:02d},Hộ gia đình số {n},Tổ {n % 97} số nhà {n},09{n:08d},other"
        for n in range(ROWS)
    ]
    content = ("\n".join(lines) + "\n").encode()
    db.session.commit()
    env = {"DATABASE_URL": database_url(app), "SECRET_KEY": "import-load", "LOG_LEVEL": "WARNING"}
    env["REDIS_URL"] = ""
    with gunicorn(env) as base:
        browser = Browser(base)
        browser.post_form("/login", {"username": "boss", "password": "correct-horse-9"})
        stop, results, day = threading.Event(), [], local_today().isoformat()
        threads = [
            threading.Thread(target=writer, args=(base, token, wards[0].id, day, stop, results))
            for _ in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        try:
            started = time.perf_counter()
            page = browser.upload(
                "/imports", {"kind": "households"}, "file", "ho.csv", content
            ).read()
            preview_seconds = time.perf_counter() - started
            job_id = int(re.search(rb'data-token="(\d+)"', page)[1])
            started = time.perf_counter()
            browser.post_form(f"/imports/{job_id}/commit", {}, csrf_from="/imports")
            commit_seconds = time.perf_counter() - started
            deadline = time.monotonic() + 300
            while True:
                progress = json.loads(browser.open(f"/imports/{job_id}.json").read())
                if progress["status"] not in ("queued", "running") or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            job_seconds = time.perf_counter() - started
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
    statuses = [status for status, _seconds in results]
    latencies = [seconds for _status, seconds in results]
    failures = [status for status in statuses if status not in (200, 201)]
    p50, p95 = statistics.median(latencies) * 1000, percentile(latencies, 0.95) * 1000
    print(
        f"\n[{backend}] preview {preview_seconds:.1f} s, commit request {commit_seconds:.2f} s, "
        f"job {job_seconds:.1f} s for {progress['written']} rows; {len(results)} contacts by "
        f"{WRITERS} writers, {len(failures)} failed, latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    assert progress["status"] == "done" and progress["written"] == ROWS
    assert preview_seconds < 30 and commit_seconds < 5
    assert failures == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Household)) == ROWS
    assert db.session.scalar(select(func.count()).select_from(Contact)) == len(results)
