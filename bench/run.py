"""Measure the reads users wait on, and the contact POST, on a generated database.

For each: server time p50/p95 over repeated runs (in-process, no network), SQL statements per
request, peak memory per request, and beside each read its floor — the same aggregate as one
hand-written SQL statement on the same connection — with the ratio app/floor.

    python bench/run.py --database sqlite:///bench/province.db --repeat 20
Writes bench/results/<name>.json and .md, and prints the markdown table.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select, text  # noqa: E402

from bench.generate import BENCH_PASSWORD  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.dates import local_today  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Area, Enrollment, User  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Counter:
    def __init__(self):
        self.statements = 0

    def __call__(self, *args):
        self.statements += 1


def timed(action, repeat: int):
    """(milliseconds per run, statements per run, peak KiB): timed runs first, then one run
    under tracemalloc for the memory peak (tracemalloc slows Python down, so never timed)."""
    counter = Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    times = []
    try:
        action()  # warm caches the way a running server has them
        for _run in range(repeat):
            counter.statements = 0
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        counter.statements = 0
        tracemalloc.start()
        action()
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return times, counter.statements, peak / 1024


def floor_of(sql: str, params: dict, repeat: int) -> list[float]:
    times = []
    with db.engine.connect() as connection:
        connection.execute(text(sql), params).all()
        for _run in range(repeat):
            started = time.perf_counter()
            connection.execute(text(sql), params).all()
            times.append((time.perf_counter() - started) * 1000)
    return times


# Each read's floor: the same aggregates as one hand-written statement on the base tables
# (contacts, enrollments, counts), without the kept counts of progress.summary.
OFFICERS_FLOOR = """
WITH c AS (SELECT officer_id, count(*) AS contacts, count(DISTINCT household_id) AS households
           FROM contacts WHERE deleted_at IS NULL AND contacted_on BETWEEN :start AND :end
           GROUP BY officer_id),
     e AS (SELECT officer_id, count(*) FILTER (WHERE enrolled_on >= :start) AS enrolled,
                  count(*) FILTER (WHERE enrolled_on < :start) AS previous
           FROM enrollments WHERE deleted_at IS NULL AND enrolled_on BETWEEN :before AND :end
           GROUP BY officer_id)
SELECT u.id, c.contacts, c.households, e.enrolled, e.previous FROM users u
LEFT JOIN c ON c.officer_id = u.id LEFT JOIN e ON e.officer_id = u.id
WHERE u.role = 'officer' AND u.active"""
WARDS_FLOOR = """
SELECT a.id,
  (SELECT count(*) FROM contacts c WHERE c.area_id = a.id AND c.deleted_at IS NULL
     AND c.contacted_on BETWEEN :start AND :end),
  (SELECT count(*) FROM enrollments e WHERE e.area_id = a.id AND e.deleted_at IS NULL
     AND e.enrolled_on BETWEEN :start AND :end),
  p.participants + (SELECT count(*) FROM enrollments e WHERE e.area_id = a.id
     AND e.deleted_at IS NULL AND e.enrolled_on > p.as_of AND e.enrolled_on <= :today)
FROM areas a
LEFT JOIN participant_counts p ON p.area_id = a.id AND p.as_of = (
  SELECT max(as_of) FROM participant_counts q WHERE q.area_id = a.id AND q.as_of <= :today)
WHERE a.parent_id = :parent"""
DASHBOARD_FLOOR = f"""
SELECT 'area', * FROM ({WARDS_FLOOR}) AS wards
UNION ALL SELECT 'officer', officers.id, officers.contacts, officers.enrolled, officers.previous
FROM ({OFFICERS_FLOOR}) AS officers"""
TODAY_FLOOR = """
SELECT
  (SELECT count(*) FROM contacts WHERE officer_id = :officer AND deleted_at IS NULL
     AND contacted_on BETWEEN :month AND :today),
  (SELECT count(DISTINCT household_id) FROM contacts WHERE officer_id = :officer
     AND deleted_at IS NULL AND contacted_on BETWEEN :month AND :today),
  (SELECT count(*) FROM enrollments WHERE officer_id = :officer AND deleted_at IS NULL
     AND enrolled_on BETWEEN :month AND :today),
  (SELECT count(*) FROM households WHERE officer_id = :officer
     AND next_follow_up_on <= :today)"""
TEAM_FLOOR = """
SELECT u.id,
  (SELECT count(*) FROM contacts c WHERE c.officer_id = u.id AND c.deleted_at IS NULL
     AND c.contacted_on BETWEEN :month AND :today),
  (SELECT count(*) FROM enrollments e WHERE e.officer_id = u.id AND e.deleted_at IS NULL
     AND e.enrolled_on BETWEEN :month AND :today),
  (SELECT count(*) FROM contacts c WHERE c.officer_id = u.id AND c.deleted_at IS NULL
     AND c.contacted_on BETWEEN :week AND :today),
  (SELECT max(contacted_on) FROM contacts c WHERE c.officer_id = u.id AND c.deleted_at IS NULL)
FROM users u WHERE u.supervisor_id = :supervisor AND u.role = 'officer' AND u.active"""


def result(read, url, times, statements, peak, floor=None) -> dict:
    """One row of the table: the request's p50 and p95, statements and peak, and beside a read
    its floor (the same aggregates in one hand-written statement) and the ratio."""
    p50 = statistics.median(times)
    floor50 = statistics.median(floor) if floor else None
    return {
        "read": read,
        "url": url,
        "p50_ms": round(p50, 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "statements": statements,
        "peak_kib": round(peak),
        "floor_p50_ms": round(floor50, 1) if floor50 is not None else None,
        "ratio": round(p50 / floor50, 1) if floor50 else None,
    }


def run(database: str | None, repeat: int, name: str, data_cache: str = "off") -> list[dict]:
    config = {
        # off: every read computes its figures (what the targets are about); process: the
        # repeated read of a page whose data did not change, from the cache (tracker/fresh.py)
        "DATA_CACHE": data_cache,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "LOGIN_ATTEMPTS_LIMIT": "100000 per minute",
        "LOG_LEVEL": "WARNING",
    }
    if database:
        config["SQLALCHEMY_DATABASE_URI"] = database
    app = create_app(config)
    gc.freeze()  # as app.py does for the server
    rows = []
    with app.app_context():
        today = local_today()
        busiest = db.session.execute(
            select(Enrollment.officer_id, func.count())
            .group_by(Enrollment.officer_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()[0]
        officer = db.session.get(User, busiest)
        supervisor = officer.supervisor
        district = db.session.scalar(
            select(Area).where(Area.kind == "district").order_by(Area.id).limit(1)
        )

        def client_for(user: User):
            client = app.test_client()
            with app.app_context():
                response = client.post(
                    "/login", data={"username": user.username, "password": BENCH_PASSWORD}
                )
            assert response.status_code == 302, response.status_code
            return client

        leader = db.session.scalar(select(User).where(User.role == "leader"))
        as_leader, as_officer, as_supervisor = (
            client_for(leader),
            client_for(officer),
            client_for(supervisor),
        )
        year = today.year
        dates = {
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "before": date(year - 1, 1, 1),
            "today": today,
            "month": today.replace(day=1),
            "week": today - timedelta(days=today.weekday()),
            "parent": district.id,
            "officer": officer.id,
            "supervisor": supervisor.id,
        }
        reads = [
            (
                "Officer leaderboard (year)",
                as_leader,
                f"/boards/officers?period={year}",
                OFFICERS_FLOOR,
            ),
            (
                "Ward leaderboard (year)",
                as_leader,
                f"/boards/areas?period={year}&parent={district.id}",
                WARDS_FLOOR,
            ),
            (
                "Leadership dashboard (year)",
                as_leader,
                f"/dashboard?period={year}",
                DASHBOARD_FLOOR,
            ),
            ("Officer's Today", as_officer, "/", TODAY_FLOOR),
            ("Team page (month)", as_supervisor, "/team", TEAM_FLOOR),
            (
                "Export officers CSV (year)",
                as_leader,
                f"/boards/officers.csv?period={year}",
                OFFICERS_FLOOR,
            ),
        ]
        for label, client, url, floor_sql in reads:

            def fetch(client=client, url=url):
                with app.app_context():  # a fresh `g` per request, as in a real server
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    for _piece in response.response:  # a streamed body is worked out as read
                        pass
                    response.close()

            measured = timed(fetch, repeat)
            rows.append(result(label, url, *measured, floor_of(floor_sql, dates, repeat)))
        csv_url = f"/boards/officers.csv?period={year}"

        def first_byte():
            """The CSV export until its first piece (title, what it covers, header) has come,
            then the client hangs up: how long a user waits before the download starts."""
            with app.app_context():
                response = as_leader.get(csv_url)
                assert response.status_code == 200, (csv_url, response.status_code)
                assert next(iter(response.response))
                response.close()

        measured = timed(first_byte, repeat)
        rows.append(result("Export officers CSV (year), first byte", csv_url, *measured))
        area_id = officer.assignments[0].area_id
        counter = iter(range(10**9))

        def post_contact():
            with app.app_context():
                response = as_officer.post(
                    "/api/v1/contacts",
                    json={
                        "client_token": f"bench-{time.time_ns()}-{next(counter)}",
                        "area": area_id,
                        "contacted_on": today.isoformat(),
                        "channel": "phone",
                        "outcome": "informed",
                        "people_reached": 1,
                    },
                )
            assert response.status_code == 201, response.get_data(as_text=True)

        measured = timed(post_contact, repeat)
        rows.append(result("Contact POST (API)", "/api/v1/contacts", *measured))
        counts = {
            table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("contacts", "enrollments", "households", "targets")
        }
    RESULTS.mkdir(exist_ok=True)
    report = {
        "name": name,
        "database": app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1],
        "date": date.today().isoformat(),
        "repeat": repeat,
        "rows_in_database": counts,
        "results": rows,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / f"{name}.md").write_text(markdown(report))
    return rows


def markdown(report: dict) -> str:
    lines = [
        f"### {report['name']} — {report['rows_in_database']['contacts']:,} contacts, "
        f"{report['repeat']} runs each",
        "",
        "| what | p50 ms | p95 ms | SQL statements | peak KiB | floor p50 ms | app/floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["results"]:
        lines.append(
            f"| {row['read']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['statements']} | {row['peak_kib']} | "
            f"{row['floor_p50_ms'] if row['floor_p50_ms'] is not None else '—'} | "
            f"{row['ratio'] if row['ratio'] is not None else '—'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--name", default="province-sqlite")
    parser.add_argument(
        "--data-cache",
        choices=("off", "process"),
        default="off",
        help="off: every read computes; process: reads of unchanged data come from the cache",
    )
    args = parser.parse_args(argv)
    run(args.database, args.repeat, args.name, args.data_cache)
    print((RESULTS / f"{args.name}.md").read_text())


if __name__ == "__main__":
    main()
