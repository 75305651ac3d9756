"""The CSV downloads stream (tracker/exports.csv_chunks): the officer board's file starts with its
title and header before the board is counted, carries the same bytes as the file built whole,
refuses bad arguments before its body starts, and a country's board (20,000 officers) is
written without its memory growing beyond what ranking the officers needs. That ranking still
holds every officer's target and actuals (about 650 bytes an officer, measured below): the
file, its rows and their figures are what no longer grow with the board. On SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
import tracemalloc
import urllib.error
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from tests.factories import make_area, make_city, make_enrollment, make_officer, make_user
from tests.servers import database_url, gunicorn
from tests.test_import_load import Browser
from tracker import exports, progress
from tracker.extensions import db
from tracker.models import Target, User
from tracker.models.base import utcnow
from tracker.periods import parse

BOARD = "/boards/officers.csv?period=2024"


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city, code="02647")
    chief = make_user("chief", "supervisor", full_name="Trần Văn Bình")
    an = make_officer("an", supervisor=chief, areas=[ward], full_name="An")
    make_officer("binh", supervisor=chief, areas=[ward], full_name="=Bình")  # a formula
    make_user("leader", "leader")
    for day in (1, 2):
        make_enrollment(an, ward, date(2024, 3, day))
    return chief, an


def add_officers(start: int, count: int, supervisor: User) -> None:
    """Officers `start` … `start + count - 1` of one team, half of them with a year's target,
    written in bulk (the factories hash a password per user: 20,000 would take minutes)."""
    password_hash, now = supervisor.password_hash, utcnow()
    first = db.session.query(db.func.coalesce(db.func.max(User.id), 0)).scalar() + 1
    db.session.execute(
        insert(User),
        [
            {
                "id": first + n,
                "username": f"cb{start + n:05d}",
                "full_name": f"Cán bộ {start + n:05d}",
                "role": "officer",
                "supervisor_id": supervisor.id,
                "active": True,
                "locale": "vi",
                "password_hash": password_hash,
                "created_at": now,
            }
            for n in range(count)
        ],
    )
    db.session.execute(
        insert(Target),
        [
            {
                "subject": "officer",
                "officer_id": first + n,
                "metric": "new_participants",
                "scheme": "voluntary_si",
                "period_start": date(2024, 1, 1),
                "period_end": date(2024, 12, 31),
                "value": 10 + n % 7,
                "set_at": now,
                "note": "",
            }
            for n in range(0, count, 2)
        ],
    )
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence past them
        db.session.execute(db.text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
    db.session.commit()


def test_the_csv_streams_and_holds_the_bytes_of_the_whole_file(office, client, auth, monkeypatch):
    exported_at = datetime(2024, 6, 1, 3, 0, tzinfo=UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return exported_at

    monkeypatch.setattr(exports, "datetime", Clock)
    auth.login("leader")
    response = client.get(BOARD)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # sent as it is written
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    pieces = list(response.response)
    assert len(pieces) >= 2  # the title and header go first, before the board is counted
    assert pieces[0].decode("utf-8").startswith("\ufeffBảng xếp hạng cán bộ")
    assert pieces[0].count(b"\n") == 4
    streamed = b"".join(pieces)

    def built_whole(table, extension):  # the download as it was: the file built in memory
        body = exports.to_csv(table, exports.dialect(), exported_at)
        return exports.Response(body, content_type=exports.MEDIA_TYPES[extension])

    monkeypatch.setattr(exports, "download", built_whole)
    whole = client.get(BOARD)
    assert "Content-Length" in whole.headers
    assert streamed == whole.data
    rows = list(csv.reader(io.StringIO(streamed.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[4:6]] == ["An", "'=Bình"]  # formulas still neutralised
    assert rows[6][1] == "Tổng cộng (2 cán bộ)"


def test_csv_chunks_joined_are_to_csv_and_pieces_are_bounded(app):
    columns = [exports.Column("Name"), exports.Column("Count", exports.INTEGER)]
    rows = [[f"=row {n}" if n % 5 == 0 else f"row {n}", n] for n in range(5000)]
    counted: list[int] = []

    def lazy():
        for row in rows:
            counted.append(1)
            yield row

    when = datetime(2024, 5, 1, tzinfo=UTC)
    with app.test_request_context("/"):
        way = exports.DIALECTS["vi"]
        whole = exports.to_csv(
            exports.Table("T", columns, rows, total=["Total", 5000], notes=["n"]), way, when
        )
        table = exports.Table(
            "T", columns, lazy(), total=lambda: ["Total", len(counted)], notes=["n"]
        )
        pieces = list(exports.csv_chunks(table, way, when))
    assert b"".join(pieces) == whole
    assert all(len(piece) < 2 * exports.CSV_CHUNK + 200 for piece in pieces)
    assert len(pieces) > 5
    assert b"'=row 0;0" in whole and whole.rstrip().endswith(b"n")


def test_xlsx_still_built_whole(office, client, auth):
    auth.login("leader")
    response = client.get("/boards/officers.xlsx?period=2024")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.data) > 0


@pytest.mark.parametrize(
    "query, status",
    [
        ("period=2024-13", 400),
        ("metric=nothing", 400),
        ("scheme=nothing", 400),
        ("area=999999", 404),
        ("team=999999", 404),
        ("office=999999", 404),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_bad_arguments_are_refused_before_the_body(office, client, auth, query, status, extension):
    auth.login("leader")
    response = client.get(f"/boards/officers.{extension}?{query}")
    assert response.status_code == status
    assert not response.data.startswith("\ufeff".encode())


def test_under_gunicorn_the_body_is_written_after_the_view_has_returned(office, app, client, auth):
    """A real server sends the body once the view's request has ended: the rows are read in a
    context of their own (a new database session, the reader's language and role found again).
    The test client above keeps the test's context open and could not show that."""
    auth.login("leader")
    in_process = client.get(BOARD).data.decode("utf-8-sig").splitlines()
    db.session.commit()
    env = {"DATABASE_URL": database_url(app), "SECRET_KEY": "streaming", "LOG_LEVEL": "WARNING"}
    env["REDIS_URL"] = ""
    with gunicorn(env, workers=1, threads=2) as base:
        leader, officer = Browser(base), Browser(base)
        leader.post_form("/login", {"username": "leader", "password": "correct-horse-9"})
        response = leader.open(BOARD)
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers.get("Content-Length") is None
        served = response.read().decode("utf-8-sig").splitlines()
        with pytest.raises(urllib.error.HTTPError) as refused:
            leader.open("/boards/officers.csv?area=999999")
        assert refused.value.code == 404
        officer.post_form("/login", {"username": "an", "password": "correct-horse-9"})
        own = officer.open(BOARD).read().decode("utf-8-sig").splitlines()
    # Line 2 says when the file was exported: the same day, unless midnight fell in between.
    assert served[0] == in_process[0] and served[2:] == in_process[2:]
    assert [line.split(";")[1] for line in own[4:-3]] == ["An"]


def test_officers_still_export_their_own_row_only(office, client, auth):
    chief, an = office
    auth.login("an")
    rows = list(csv.reader(io.StringIO(client.get(BOARD).data.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[4:-3]] == ["an"]


def export_peak(client, url: str) -> tuple[int, int, int]:
    """(bytes, rows, peak bytes traced) while the streamed body is read: the request has been
    answered (arguments checked, headers sent), so what is traced is the body's work —
    ranking the board and writing it."""
    response = client.get(url)
    assert response.status_code == 200
    tracemalloc.start()
    try:
        size = lines = 0
        for piece in response.response:
            size += len(piece)
            lines += piece.count(b"\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return size, lines, peak


def ranking_peak(count_today) -> int:
    """Peak bytes traced while the board is ranked and held, no file written: the floor of
    any export of it (its ranking reads every officer's target and actuals)."""
    tracemalloc.start()
    try:
        board = progress.officer_leaderboard(parse("2024"), "new_participants", count_today)
        peak = tracemalloc.get_traced_memory()[1]
        del board
    finally:
        tracemalloc.stop()
    return peak


def test_memory_stays_flat_from_2000_to_20000_officers(app, client, auth):
    from tracker.dates import local_today

    chief = make_user("chief", "supervisor")
    make_user("leader", "leader")
    auth.login("leader")
    measured = {}
    added = 0
    for count in (2_000, 20_000):
        add_officers(added, count - added, chief)
        added = count
        assert client.get(BOARD).data  # warm: compiled statements, the names' sort keys
        size, lines, peak = export_peak(client, BOARD)
        assert lines == count + 7  # title, covers, blank, header, rows, total, blank, note
        db.session.expire_all()
        floor = ranking_peak(local_today())
        measured[count] = (size, peak, floor)
    (_size_small, peak_small, floor_small), (size_large, peak_large, floor_large) = (
        measured[2_000],
        measured[20_000],
    )
    # What the file adds over ranking the board does not grow with the rows ...
    beyond_small, beyond_large = peak_small - floor_small, peak_large - floor_large
    assert beyond_large < beyond_small + 256 * 1024, measured
    # ... and is a small part of the file, which is never held whole.
    assert beyond_large < size_large / 4, measured
