"""Twenty writers at once, threads against the dev server and processes against gunicorn, on
SQLite (WAL) and PostgreSQL: every 2xx is stored exactly once, no "database is locked" reaches
anyone, concurrent replays of one client token create one record, and the kept counts of
progress.summary agree with the rows."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import make_area, make_household, make_officer
from tracker import periods
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import Contact
from tracker.progress import flows
from tracker.services import tokens

WRITERS = 20
PER_WRITER = 5


def post(base: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/contacts",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        assert "locked" not in body.lower(), body
        return error.code


def hammer(base: str, token: str, ward_id: int, household_id: int) -> list[tuple[str, int]]:
    """Unique contacts from 20 writers, all with one household (the first interested one must
    be counted once, however the writers interleave), and one token sent by all at once."""
    day = local_today().isoformat()

    def body(client_token: str) -> dict:
        return {
            "client_token": client_token,
            "area": ward_id,
            "household": household_id,
            "contacted_on": day,
            "channel": "phone",
            "outcome": "interested" if client_token.endswith("-3") else "informed",
            "people_reached": 1,
        }

    jobs = [f"w{writer}-{n}" for writer in range(WRITERS) for n in range(PER_WRITER)]
    jobs += ["same-token"] * WRITERS
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(lambda t: (t, post(base, token, body(t))), jobs))
    return statuses


def check(statuses) -> None:
    assert all(status in (200, 201) for _token, status in statuses), statuses
    stored = db.session.scalars(select(Contact.client_token)).all()
    assert len(stored) == len(set(stored)) == WRITERS * PER_WRITER + 1
    assert sum(1 for token, status in statuses if token == "same-token" and status == 201) == 1
    # Every writer moved the same kept rows (one officer, one ward, one day): none was lost.
    for period in periods.containing(local_today()).values():
        for by in ("officer_id", "area_id"):
            kept = flows.flow_actuals("contacts", period, by)
            assert kept == flows.live_flow_actuals("contacts", period, by)
            assert sum(kept.values()) == len(stored)
            reached = flows.flow_actuals("households_reached", period, by)
            assert reached == flows.live_flow_actuals("households_reached", period, by)
            assert list(reached.values()) == [1]
            interested = flows.flow_actuals("interested_households", period, by)
            assert list(interested.values()) == [1]


@pytest.fixture
def office(app):
    ward = make_area("Kim Tân")
    officer = make_officer("lan", areas=[ward])
    home = make_household(ward, "Nguyễn Văn An")
    return ward, home, tokens.create(officer, "load")


def test_twenty_threads_against_the_dev_server(app, office):
    ward, home, token = office
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        statuses = hammer(f"http://127.0.0.1:{server.server_port}", token, ward.id, home.id)
    finally:
        server.shutdown()
    db.session.expire_all()
    check(statuses)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    if options:  # the test schema travels in the URL to the gunicorn workers
        url += "?options=" + urllib.request.quote(options)
    return url


def test_twenty_writers_against_gunicorn_workers(app, office, tmp_path):
    if shutil.which("gunicorn", path=os.path.dirname(sys.executable)) is None:
        pytest.fail("gunicorn is not installed in this environment")
    ward, home, token = office
    db.session.commit()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(app),
        "SECRET_KEY": "load-test",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # nosec B603 - our own gunicorn on loopback
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "-w",
            "4",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "app:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # nosec B310
                break
            except OSError:
                time.sleep(0.1)
        statuses = hammer(base, token, ward.id, home.id)
    finally:
        server.terminate()
        server.wait(timeout=10)
    db.session.expire_all()
    check(statuses)
    assert db.session.scalar(select(func.count()).select_from(Contact)) == (
        WRITERS * PER_WRITER + 1
    )
