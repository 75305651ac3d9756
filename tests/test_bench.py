"""The benchmark still works: a small generated office (10,000 contacts) on SQLite and, through
COPY, on PostgreSQL, with kept counts equal to live ones, measured once. Times are not judged
here (docs/performance.md has the real figures)."""

import json
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import generate, run
from tests.conftest import POSTGRES_URL
from tracker import create_app, periods
from tracker.progress import flows

SMALL = ["--officers", "30", "--areas", "20", "--households", "2000"]
SMALL += ["--contacts", "10000", "--enrollments", "1000"]


@pytest.fixture
def bench_database(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'small.db'}"
        return
    url = make_url(POSTGRES_URL).set(database=f"bench_ci_{uuid.uuid4().hex[:8]}")
    yield url.render_as_string(hide_password=False)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    server.dispose()


def test_generate_and_measure_a_small_office(bench_database, tmp_path, monkeypatch):
    generate.main(["--database", bench_database, *SMALL])
    generate.main(["--database", bench_database, "--reuse", *SMALL])  # kept, not doubled

    app = create_app({"SQLALCHEMY_DATABASE_URI": bench_database})
    with app.app_context():
        for period in periods.containing(generate.date.today()).values():
            for by in ("officer_id", "area_id"):
                live = flows.live_flow_actuals("households_reached", period, by)
                kept = flows.flow_actuals("households_reached", period, by)
                assert kept == {key: value for key, value in live.items() if value}

    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    rows = run.run(bench_database, repeat=2, name="ci-small")
    assert [row["read"] for row in rows][-1] == "Contact POST (API)"
    assert all(row["p50_ms"] > 0 and row["statements"] > 0 for row in rows)
    report = json.loads((tmp_path / "results" / "ci-small.json").read_text())
    assert 10_000 <= report["rows_in_database"]["contacts"] < 20_000
    assert "| Officer leaderboard (year) |" in (tmp_path / "results" / "ci-small.md").read_text()
