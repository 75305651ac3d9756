import re
from unittest.mock import patch

from flask import url_for
from sqlalchemy.exc import OperationalError

from tracker.extensions import db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_reports_a_dead_database(app, client):
    with patch.object(db.session, "execute", side_effect=OperationalError("x", {}, Exception())):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in client.get("/login", base_url="https://x").headers


def test_static_files_are_fingerprinted_compressed_and_cached_for_good(app, client):
    """Phones download plotly.js once, compressed (WhiteNoise, tracker/assets.py): the URL
    carries the content's hash, so the cache lives as long as the bytes do."""
    with app.test_request_context():
        url = url_for("static", filename="vendor/plotly/plotly-cartesian.min.js")
    assert re.fullmatch(r"/static/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js", url)
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert int(response.headers["Content-Length"]) < 600_000
    response.close()
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and len(plain.data) > 1_000_000
    plain.close()
    # the name without its hash may point at other bytes tomorrow: a short cache only
    unhashed = client.get("/static/img/icon-192.png")
    assert unhashed.status_code == 200 and "immutable" not in unhashed.headers["Cache-Control"]
    unhashed.close()
    assert client.get("/assets/plotly.min.js").status_code == 404
    assert client.get("/static/vendor/plotly/nothing.abcdefabcdef.js").status_code == 404


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy nội dung.".encode() in response.data


def test_readyz_writes(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok", "storage": "ok"}


def _read_only(backend):
    """A database that answers but refuses writes: SQLite with query_only, PostgreSQL with
    read-only transactions (a replica, or a disk the administrator made read-only)."""
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def read_only(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if backend == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()

    db.session.remove()
    db.engine.dispose()
    return read_only


def test_readyz_fails_while_every_write_fails(app, client, backend, caplog):
    """/healthz said ok while every write failed; /readyz writes, so it knows."""
    from sqlalchemy import event

    listener = _read_only(backend)
    try:
        assert client.get("/healthz").status_code == 200  # the database still answers
        response = client.get("/readyz")
    finally:
        event.remove(db.engine, "connect", listener)
        db.engine.dispose()
    assert response.status_code == 503
    assert response.json["status"] == "error" and response.json["database"] == "read_only"
    assert any(r.levelname == "CRITICAL" and "READINESS" in r.getMessage() for r in caplog.records)


def test_a_full_disk_is_told_to_the_user_and_logged_loudly(app, client, backend, caplog):
    """Users saw "Nothing was saved; please try again" when the disk was full."""
    import sqlite3

    import psycopg
    from sqlalchemy import event, func, select

    from tests.factories import make_area, make_officer
    from tracker.dates import local_today
    from tracker.models import Contact

    ward = make_area("Kim Tân")
    make_officer("lan", areas=[ward])
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})

    def disk_full(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO CONTACTS"):
            if backend == "sqlite":
                raise sqlite3.OperationalError("database or disk is full")
            raise psycopg.errors.DiskFull("could not extend file: No space left on device")

    event.listen(db.engine, "before_cursor_execute", disk_full)
    try:
        body = {
            "client_token": "full-1",
            "area": ward.id,
            "contacted_on": local_today().isoformat(),
            "channel": "phone",
            "outcome": "informed",
            "people_reached": 1,
        }
        api = client.post("/api/v1/contacts", json=body)
        form = client.post(
            "/contacts/new",
            data={**body, "area_id": ward.id, "client_token": "full-2", "people_reached": "1"},
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", disk_full)
    assert api.status_code == 503 and api.json["error"]["code"] == "storage_unavailable"
    assert form.status_code == 503
    assert "ổ đĩa đã đầy" in form.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    assert any(
        r.levelname == "CRITICAL" and "STORAGE FAILURE" in r.getMessage() for r in caplog.records
    )


def test_personal_responses_are_not_cached(app, client):
    from tests.factories import make_officer

    make_officer("lan")
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})
    for path in ("/api/v1/me", "/boards/officers.csv", "/records"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "private, no-store", path
    # Today (as the boards) is kept by the browser only to be revalidated, and cleared at sign-out
    today = client.get("/")
    assert today.headers["Cache-Control"] == "private, no-cache" and today.headers["ETag"]
    assert client.post("/logout").headers["Clear-Site-Data"] == '"cache"'
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers["Cache-Control"]
    static.close()
