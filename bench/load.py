"""Load test on loopback: gunicorn on a generated database, locust headless with the mixed
workload of bench/locustfile.py, then a check that every contact the server accepted is stored
exactly once and that the kept counts still equal the live ones.

    python bench/load.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench
Writes bench/results/<name>.md and .json, and prints the markdown.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.generate import BENCH_PASSWORD  # noqa: E402
from tracker import create_app, data_versions, periods  # noqa: E402
from tracker.dates import local_today  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import ApiToken, Assignment, Contact, User  # noqa: E402
from tracker.progress import flows  # noqa: E402
from tracker.services import tokens  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LOCUST = Path(os.environ.get("LOCUST", ROOT / ".venv-bench" / "bin" / "locust"))
TOKEN_NAME = "load test"


def officers_with_tokens(count: int) -> list[dict]:
    """The busiest officers, each with a fresh API token (earlier load-test tokens revoked)."""
    rows = db.session.execute(
        select(User.id, User.username, func.min(Assignment.area_id))
        .join(Assignment, Assignment.officer_id == User.id)
        .where(User.role == "officer", User.active)
        .group_by(User.id, User.username)
        .order_by(User.id)
        .limit(count)
    ).all()
    db.session.execute(
        ApiToken.__table__.update()
        .where(ApiToken.name == TOKEN_NAME, ApiToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    db.session.commit()
    users = []
    for officer_id, username, _area in rows:
        officer = db.session.get(User, officer_id)
        areas = [a.area_id for a in officer.assignments]
        users.append(
            {
                "username": username,
                "token": tokens.create(officer, TOKEN_NAME),
                "areas": areas,
                "office": officer.office_id,
            }
        )
    return users


def contacts_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


def tokens_stored_since(start: datetime) -> list[str]:
    return db.session.scalars(select(Contact.client_token).where(Contact.created_at >= start)).all()


def kept_equals_live(today: date) -> bool:
    for period in periods.containing(today).values():
        for by in ("officer_id", "area_id"):
            live = {k: v for k, v in flows.live_flow_actuals("contacts", period, by).items() if v}
            if flows.flow_actuals("contacts", period, by) != live:
                return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    database: str, port: int, workers: int, threads: int, redis_url: str
) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        **({"REDIS_URL": redis_url} if redis_url else {}),
        "TRACKER_ENV": "production",
        "DATABASE_URL": database,
        "SECRET_KEY": "load-test-" + os.urandom(8).hex(),
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback: no TLS in front
        "LOGIN_ATTEMPTS_LIMIT": "100000 per minute",  # 50 sign-ins from one address at once
        "LOG_LEVEL": "WARNING",
        "WEB_THREADS": str(threads),  # the database pool is sized from it (tracker/config.py)
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-w", str(workers), "-k", "gthread", "--threads", str(threads)]
    command += ["-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "app:app"]
    server = subprocess.Popen(command, env=env)  # nosec B603 - our own gunicorn on loopback
    for _attempt in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # nosec B310
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def sign_in(port: int, username: str) -> str:
    """The session cookie of a user signed in through the sign-in form, as a browser would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    form = opener.open(f"{base}/login", timeout=60).read().decode()  # nosec B310 - loopback
    fields = {"username": username, "password": BENCH_PASSWORD, "csrf_token": CSRF.search(form)[1]}
    opener.open(f"{base}/login", urllib.parse.urlencode(fields).encode(), timeout=60)  # nosec B310
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def run_locust(port: int, users: list[dict], concurrent: int, seconds: int, weights: str):
    """Locust's per-request statistics, its distinct failures, and the client tokens of the
    contacts the server accepted (201)."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        accepted = Path(folder) / "accepted.txt"
        env = {
            **os.environ,
            "LOAD_USERS": json.dumps(users),
            "LOAD_ACCEPTED": str(accepted),
            "LOAD_WEIGHTS": weights,
        }
        subprocess.run(  # nosec B603 - locust from our bench environment
            [
                str(LOCUST),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(concurrent),
                "--spawn-rate",
                str(concurrent),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",  # requests in flight at the end finish and are counted
                "30",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
        )
        with open(f"{prefix}_stats.csv", newline="") as stats:
            rows = list(csv.DictReader(stats))
        with open(f"{prefix}_failures.csv", newline="") as failures:
            errors = [
                f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}×)"
                for row in csv.DictReader(failures)
            ]
        return rows, errors, set(accepted.read_text().split())


def summarize(stats: list[dict], seconds: int) -> list[dict]:
    rows = []
    for row in stats:
        rows.append(
            {
                "request": row["Name"] if row["Name"] != "Aggregated" else "All requests",
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "per_second": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
        )
    return rows


def markdown(report: dict) -> str:
    lines = [
        f"### {report['name']} — {report['users']} users, {report['seconds']} s, "
        f"gunicorn {report['workers']} workers × {report['threads']} threads, "
        f"mix {report['weights']} (contact POST : officer board : dashboard : Today), "
        f"{report['offices']} offices, data cache {report['cache']}",
        "",
        "| request | count | failures | per second | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["results"]:
        lines.append(
            f"| {row['request']} | {row['count']} | {row['failures']} | {row['per_second']} | "
            f"{row['p50_ms']:.0f} | {row['p95_ms']:.0f} |"
        )
    check = report["check"]
    lines += [f"- error: {error}" for error in report["errors"][:10]]
    lines += [
        "",
        f"Contacts accepted (201): {check['accepted']}; stored during the run: "
        f"{check['stored']}; lost: {check['lost']}; doubled: {check['doubled']}; stored but "
        f"never answered (in flight when the test stopped): {check['unanswered']}; kept counts "
        f"equal live counts: {check['kept_equals_live']}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--name", default="load-postgresql")
    parser.add_argument(
        "--weights", default="7,1,1,1", help="contact POST : officer board : dashboard : Today"
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="the shared store of data versions and boards (empty: none, the cache is off)",
    )
    args = parser.parse_args(argv)
    cache = {"REDIS_URL": args.redis, "DATA_CACHE": "redis"} if args.redis else {}
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "LOG_LEVEL": "WARNING", **cache})
    with app.app_context():
        # The generated database was written behind the app's back: an earlier run's versions
        # would name boards of other data.
        data_versions.forget_all()
        users = officers_with_tokens(args.users)
        offices = len({user["office"] for user in users})
        before = contacts_stored()
        db.session.remove()
    started = datetime.now(UTC)
    port = free_port()
    server = start_gunicorn(args.database, port, args.workers, args.threads, args.redis)
    try:
        for user in users:
            user["cookie"] = sign_in(port, user["username"])
        stats, errors, accepted = run_locust(port, users, args.users, args.seconds, args.weights)
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = summarize(stats, args.seconds)
    posts = next(r for r in results if r["request"] == "POST /api/v1/contacts")
    with app.app_context():
        stored = tokens_stored_since(started)
        check = {
            "accepted": len(accepted),
            "counted_by_locust": posts["count"] - posts["failures"],
            "stored": contacts_stored() - before,
            "lost": len(accepted - set(stored)),  # accepted, yet not in the database
            "doubled": len(stored) - len(set(stored)),
            # answered by the server after locust stopped listening: a phone would send the
            # same token again and be told it is already stored
            "unanswered": len(set(stored) - accepted),
            "kept_equals_live": kept_equals_live(local_today()),
        }
        day = local_today()
    report = {
        "name": args.name,
        "date": day.isoformat(),
        "database": args.database.split("@")[-1],
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
        "weights": args.weights,
        "offices": offices,
        "cache": "Redis" if args.redis else ("off" if args.workers > 1 else "process"),
        "results": results,
        "errors": errors,
        "check": check,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report))
    if check["lost"] or check["doubled"] or not check["kept_equals_live"]:
        raise SystemExit("Contacts were lost or doubled: see the check above.")


if __name__ == "__main__":
    main()
