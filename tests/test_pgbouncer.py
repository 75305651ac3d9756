"""The production layout on PostgreSQL: gunicorn (threaded workers) → PgBouncer in transaction
mode → PostgreSQL (docs/operations.md). Contacts logged at once by many writers through it are
each stored once, boards answer, and nothing trips over a server connection shared between
clients (psycopg's prepared statements would: DATABASE_PGBOUNCER turns them off)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import POSTGRES_URL
from tests.factories import make_area, make_city, make_officer
from tests.servers import free_port, gunicorn
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import Contact
from tracker.services import tokens

PGBOUNCER = Path("/usr/sbin/pgbouncer")
WRITERS, EACH = 8, 25


@contextmanager
def pgbouncer(schema: str):
    """PgBouncer on a free port in transaction mode, pooling into this test's schema."""
    if not PGBOUNCER.exists():
        pytest.skip("pgbouncer is missing: apt-get install pgbouncer (.ci/run does)")
    server = urlsplit(POSTGRES_URL)
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    shutil.chown(folder, "postgres")  # it drops root for the postgres user, who writes its log
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"tracker = host={server.hostname} port={server.port or 5432} "
        f"dbname={server.path.lstrip('/')} user=postgres "
        f"connect_query='SET search_path TO \"{schema}\"'\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = any\npool_mode = transaction\n"
        "max_client_conn = 200\ndefault_pool_size = 6\n"
        f"logfile = {folder}/pgbouncer.log\n"
    )
    (folder / "pgbouncer.ini").chmod(0o644)
    process = subprocess.Popen(  # nosec B603 - Debian's pgbouncer on loopback
        [str(PGBOUNCER), "-u", "postgres", str(folder / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while "listening on" not in _log(folder):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("pgbouncer did not start: " + _log(folder))
            time.sleep(0.05)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/tracker"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _log(folder: Path) -> str:
    log = folder / "pgbouncer.log"
    return log.read_text() if log.exists() else ""


def _call(base, token, path, body=None):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(params=["postgresql"] if POSTGRES_URL else [])
def backend(request) -> str:
    """PgBouncer fronts PostgreSQL only: this module runs on it alone."""
    return request.param


def test_many_writers_through_pgbouncer_in_transaction_mode(app):
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    schema = options.removeprefix("-csearch_path=")
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    officer = make_officer("lan", areas=[ward])
    token = tokens.create(officer, "pgbouncer")
    ward_id = ward.id  # threads read no ORM state
    day = local_today().isoformat()
    statuses, sent = [], []

    def write():
        for _ in range(EACH):
            client_token = uuid.uuid4().hex
            sent.append(client_token)
            body = {
                "client_token": client_token,
                "area": ward_id,
                "contacted_on": day,
                "channel": "phone",
                "outcome": "informed",
                "people_reached": 1,
            }
            statuses.append(_call(base, token, "/api/v1/contacts", body))
            statuses.append(_call(base, token, "/api/v1/leaderboard/officers"))

    with pgbouncer(schema) as url:
        env = {
            "TRACKER_ENV": "production",
            "SECRET_KEY": "pgbouncer-test",
            "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": url,
            "DATABASE_PGBOUNCER": "1",
            "WEB_THREADS": "4",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        with gunicorn(env, workers=2, threads=4) as base:
            writers = [threading.Thread(target=write) for _ in range(WRITERS)]
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join()
    assert sorted(set(statuses)) == [200, 201]
    db.session.rollback()
    stored = db.session.scalars(
        select(Contact.client_token).where(Contact.client_token.in_(sent))
    ).all()
    assert len(stored) == len(set(stored)) == WRITERS * EACH
    assert db.session.scalar(select(func.count()).select_from(Contact)) == WRITERS * EACH
