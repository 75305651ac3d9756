"""Reconciling the insurer's per-person list at scale: preview and commit time and peak memory
for lists of 10,000 and 100,000 people against as many enrollments, on a fresh database.

The list holds 90 % of the enrollments (of them 4 % with a name typed without diacritics and
3 % with another contribution, a tenth matched by name and date of birth only) and 10 %
people the officers never reported. Memory is flat when the 100,000 list peaks no higher than
the 10,000 one (plus the file itself, which the job keeps).

    python bench/reconcile.py --database sqlite:///bench/reconcile.db --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, insert, select  # noqa: E402

from tracker import create_app, jobs  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Area, Enrollment, ImportJob, InsurerRecord, Office, User  # noqa: E402
from tracker.progress import kept  # noqa: E402
from tracker.services.reconciliation import job  # noqa: E402
from tracker.services.reconciliation.listfile import COLUMNS  # noqa: E402
from tracker.text import fold, search_text  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Quốc", "Thu", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Lan", "Mai", "Nam", "Tâm", "Yến"]
LISTED_ON = date(2026, 11, 30)


def _world(size: int) -> tuple[User, Office, list[Area]]:
    """An office over 200 wards, an officer per ward, and `size` enrollments among them."""
    with kept.bulk():
        db.session.execute(delete(InsurerRecord))
        db.session.execute(delete(ImportJob))
        db.session.execute(delete(Enrollment))
    office = db.session.scalar(select(Office).where(Office.code == "BENCH"))
    if office is None:
        province = Area(code="B0", name="Tỉnh", kind="province")
        db.session.add(province)
        db.session.flush()
        wards = [
            Area(code=f"B{n:03d}", name=f"Phường {n}", kind="ward", parent_id=province.id)
            for n in range(1, 201)
        ]
        db.session.add_all(wards)
        office = Office(code="BENCH", name="BHXH cơ sở", areas=[province])
        db.session.add(office)
        chief = User(username="chief", full_name="Chief", role="supervisor", locale="vi")
        chief.set_password("bench-password-9")
        db.session.add(chief)
        db.session.flush()
        chief.office_id = office.id
        officers = [
            User(
                username=f"o{n}",
                full_name=f"Officer {n}",
                role="officer",
                locale="vi",
                supervisor_id=chief.id,
                password_hash="x",
            )
            for n in range(200)
        ]
        db.session.add_all(officers)
        db.session.commit()
    wards = db.session.scalars(select(Area).where(Area.kind == "ward").order_by(Area.id)).all()
    officers = db.session.scalars(
        select(User).where(User.role == "officer").order_by(User.id)
    ).all()
    chief = db.session.scalar(select(User).where(User.username == "chief"))
    rows = []
    for n in range(size):
        name = f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 8]} {GIVEN[n // 80 % 11]}"
        rows.append(
            {
                "officer_id": officers[n % 200].id,
                "area_id": wards[n % 200].id,
                "participant_name": name,
                "name_key": search_text(name),
                "citizen_id": f"010{n:09d}",
                "birth_date": date(1960, 1, 1) + timedelta(days=n % 15000),
                "enrolled_on": date(2024, 1, 1) + timedelta(days=n % 1000),
                "scheme": "voluntary_si",
                "category": "other",
                "payment_period": "12",
                "months_paid": 12,
                "paid_through_on": date(2024, 1, 1) + timedelta(days=n % 1000 + 364),
                "monthly_contribution": 330_000,
                "monthly_state_support": 66_000,
                "client_token": f"bench-{n}",
            }
        )
    with kept.bulk():
        for start in range(0, size, 10_000):
            db.session.execute(insert(Enrollment), rows[start : start + 10_000])
    db.session.commit()
    return chief, office, wards


def _list(size: int, wards: list[Area]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(COLUMNS)
    for n in range(size):
        if n % 10 == 9:  # a person the officers never reported
            name, citizen, born = f"Người Mới {n}", "", date(1980, 1, 1)
        else:
            name = f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 8]} {GIVEN[n // 80 % 11]}"
            citizen, born = f"010{n:09d}", date(1960, 1, 1) + timedelta(days=n % 15000)
            if n % 25 == 0:
                name = fold(name).title()
            if n % 10 == 3:
                citizen = ""  # matched by name, date of birth and area
        contribution = 352_000 if n % 33 == 0 else 330_000
        through = date(2024, 1, 1) + timedelta(days=n % 1000 + 364)
        out.writerow(
            [
                f"15{n:08d}",
                citizen,
                name,
                born.isoformat(),
                wards[n % 200].code,
                "voluntary_si",
                "",
                through.isoformat(),
                contribution,
                66_000,
                "",
                "",
            ]
        )
    return buffer.getvalue().encode()


def measure(size: int, memory: bool) -> dict:
    """One list of `size` people: timed, or (memory) with every allocation traced, which
    makes it three times slower."""
    chief, office, wards = _world(size)
    data = _list(size, wards)
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    preview = job.preview(chief, office, LISTED_ON, data, "list.csv")
    preview_s = time.perf_counter() - started
    _, preview_peak = tracemalloc.get_traced_memory() if memory else (0, 0)
    if memory:
        tracemalloc.reset_peak()
    saved = job.save(chief, preview, data)
    started = time.perf_counter()
    job.start(chief, saved.id)
    jobs.wait_for_threads(3600)
    commit_s = time.perf_counter() - started
    _, job_peak = tracemalloc.get_traced_memory() if memory else (0, 0)
    if memory:
        tracemalloc.stop()
    db.session.expire_all()
    statuses = {}
    for (status,) in db.session.execute(select(InsurerRecord.status)):
        statuses[status] = statuses.get(status, 0) + 1
    if memory:
        return {
            "preview_peak_mb": round(preview_peak / 1e6, 1),
            "job_peak_mb": round(job_peak / 1e6, 1),
        }
    return {
        "people": size,
        "file_mb": round(len(data) / 1e6, 1),
        "preview_s": round(preview_s, 1),
        "commit_s": round(commit_s, 1),
        "rows_per_s": round(size / commit_s),
        **statuses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:///bench/reconcile.db")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--name", default="reconcile-sqlite")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "IMPORT_CHUNK_PAUSE": 0})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        results = [
            {**measure(size, memory=False), **measure(size, memory=True)} for size in args.sizes
        ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(results, indent=2))
    columns = list(results[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for row in results:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")


if __name__ == "__main__":
    main()
