"""Generate an office at scale for benchmarks: a province (or a country) of areas, officers,
households, contacts, enrollments, targets and official counts, with realistic shapes —
campaign peaks in May and November, quiet weekends, a few very active officers and many
ordinary ones. Bulk inserts in large batches, one transaction per table.

    python bench/generate.py --database sqlite:///$PWD/bench/province.db --contacts 1000000
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from tracker.extensions import db  # noqa: E402
from tracker.models import (  # noqa: E402
    ActivitySummary,
    Area,
    Assignment,
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    Office,
    ParticipantCount,
    Target,
    User,
    office_areas,
)
from tracker.progress import kept  # noqa: E402
from tracker.text import search_text  # noqa: E402

BATCH = 20_000
CHANNELS = ["home_visit"] * 6 + ["phone"] * 3 + ["message", "ward_meeting"]
OUTCOMES = (
    ["informed"] * 30
    + ["interested"] * 20
    + ["follow_up"] * 18
    + ["enrolled"] * 10
    + ["declined"] * 10
    + ["no_answer"] * 12
)
CATEGORIES = ["self_employed", "trader", "farmer", "informal_worker", "other"]
BENCH_PASSWORD = "bench-password-1"  # nosec B105 - benchmark users on a scratch database


def _batches(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model, rows) -> int:
    if db.session.get_bind().dialect.name == "postgresql":
        return _copy(model, rows)
    count = 0
    for batch in _batches(rows):
        db.session.execute(insert(model), batch)
        count += len(batch)
    db.session.commit()
    return count


def _copy(model, rows) -> int:
    """PostgreSQL's COPY, several times faster than INSERT at ten million rows. COPY knows
    nothing of the model's Python-side defaults, so they are filled in here, once."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    table = model.__table__
    defaults = {}
    for column in table.columns:
        if column.default is not None:
            value = column.default.arg
            defaults[column.name] = value(None) if callable(value) else value
    # Every column but a generated key: rows may leave some out (NULL, or the default).
    names = [c.name for c in table.columns if not (c.primary_key and c.name not in first)]
    cursor = db.session.connection().connection.driver_connection.cursor()
    count = 0
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in itertools.chain([first], rows):
            copy.write_row([row.get(name, defaults.get(name)) for name in names])
            count += 1
    db.session.commit()
    return count


def day_weights(start: date, end: date) -> tuple[list[date], list[float]]:
    days, weights = [], []
    day = start
    while day <= end:
        weight = 1.6 if day.month in (5, 11) else 1.0
        weight *= 0.15 if day.weekday() >= 5 else 1.0
        days.append(day)
        weights.append(weight)
        day += timedelta(days=1)
    return days, weights


def generate(
    officers: int = 300,
    areas: int = 200,
    provinces: int = 1,
    orgs: int = 40,
    households: int = 150_000,
    contacts: int = 1_000_000,
    enrollments: int = 100_000,
    years: int = 3,
    end: date | None = None,
    seed: int = 7,
) -> dict[str, int]:
    from werkzeug.security import generate_password_hash

    rng = random.Random(seed)  # nosec B311
    password_hash = generate_password_hash(BENCH_PASSWORD)
    end = end or date.today()
    start = date(end.year - years + 1, 1, 1)
    made: dict[str, int] = {}
    clock = time.perf_counter()
    created = datetime(start.year, 1, 1, tzinfo=UTC)  # accounts older than their records

    # Areas: provinces › districts (one per 20 communes) › wards and communes
    area_rows, next_id = [], 1
    local_ids, district_of, locals_of = [], {}, []
    per_province = max(areas // provinces, 1)
    for p in range(provinces):
        province_id = next_id
        locals_of.append([])
        area_rows.append(
            {
                "id": province_id,
                "code": f"P{p:02d}",
                "name": f"Tỉnh {p + 1}",
                "kind": "province",
                "parent_id": None,
            }
        )
        next_id += 1
        districts = max(per_province // 20, 1)
        for d in range(districts):
            district_id = next_id
            area_rows.append(
                {
                    "id": district_id,
                    "code": f"P{p:02d}-D{d:02d}",
                    "name": f"Huyện {p + 1}.{d + 1}",
                    "kind": "district",
                    "parent_id": province_id,
                }
            )
            next_id += 1
            for c in range(per_province // districts):
                area_rows.append(
                    {
                        "id": next_id,
                        "code": f"P{p:02d}-D{d:02d}-C{c:03d}",
                        "name": f"Xã {p + 1}.{d + 1}.{c + 1}",
                        "kind": "commune" if c % 3 else "ward",
                        "parent_id": district_id,
                        "households": 2000,
                        "working_age_population": 5000,
                    }
                )
                local_ids.append(next_id)
                locals_of[p].append(next_id)
                district_of[next_id] = district_id
                next_id += 1
    made["areas"] = _insert(Area, area_rows)
    # An office of the insurer per province, covering it; its teams and officers work there.
    province_ids = [row["id"] for row in area_rows if row["kind"] == "province"]
    made["offices"] = _insert(
        Office,
        (
            {"id": p + 1, "code": f"BHXH-P{p:02d}", "name": f"BHXH Tỉnh {p + 1}", "active": True}
            for p in range(provinces)
        ),
    )
    db.session.execute(
        insert(office_areas),
        [{"office_id": p + 1, "area_id": area_id} for p, area_id in enumerate(province_ids)],
    )

    # People: a supervisor for every ten officers, a leader and an admin
    supervisors = max(officers // 10, 1)
    user_rows = [
        {
            "id": 1,
            "username": "bench-admin",
            "full_name": "Admin",
            "role": "admin",
            "password_hash": password_hash,
            "created_at": created,
            "locale": "vi",
            "active": True,
        },
        {
            "id": 2,
            "username": "bench-leader",
            "full_name": "Leader",
            "role": "leader",
            "password_hash": password_hash,
            "created_at": created,
            "locale": "vi",
            "active": True,
        },
    ]
    for s in range(supervisors):
        user_rows.append(
            {
                "id": 3 + s,
                "username": f"sup{s:03d}",
                "full_name": f"Tổ trưởng {s}",
                "role": "supervisor",
                "office_id": s % provinces + 1,
                "password_hash": password_hash,
                "created_at": created,
                "locale": "vi",
                "active": True,
            }
        )
    officer_ids = []
    for o in range(officers):
        officer_id = 3 + supervisors + o
        officer_ids.append(officer_id)
        user_rows.append(
            {
                "id": officer_id,
                "username": f"off{o:05d}",
                "full_name": f"Cán bộ {o:05d}",
                "role": "officer",
                "supervisor_id": 3 + o % supervisors,
                "office_id": (o % supervisors) % provinces + 1,  # their supervisor's
                "password_hash": password_hash,
                "created_at": created,
                "locale": "vi",
                "active": True,
            }
        )
    made["users"] = _insert(User, user_rows)

    def wards_of(index: int) -> list[int]:
        """Two communes of the officer's province."""
        communes = locals_of[(index % supervisors) % provinces]
        return [communes[(index * 2 + k) % len(communes)] for k in range(2)]

    areas_of = {oid: wards_of(i) for i, oid in enumerate(officer_ids)}
    made["assignments"] = _insert(
        Assignment,
        (
            {"officer_id": oid, "area_id": aid, "is_primary": k == 0}
            for oid, aids in areas_of.items()
            for k, aid in enumerate(aids)
        ),
    )
    made["collection_orgs"] = _insert(
        CollectionOrg,
        (
            {
                "id": i + 1,
                "name": f"Tổ chức dịch vụ thu {i + 1}",
                "kind": "post_office",
                "active": True,
            }
            for i in range(orgs)
        ),
    )

    # Households, spread over wards and communes
    def household_rows():
        for h in range(households):
            area_id = local_ids[h % len(local_ids)]
            name = f"Hộ {h:06d}"
            address = f"Số {h % 500}, thôn {h % 37}"
            yield {
                "id": h + 1,
                "area_id": area_id,
                "head_name": name,
                "address": address,
                "search_text": search_text(name, address),
                "name_key": search_text(name),
                "category": CATEGORIES[h % 5],
                "status": "prospect",
            }

    made["households"] = _insert(Household, household_rows())
    households_in: dict[int, list[int]] = {}
    for h in range(households):
        households_in.setdefault(local_ids[h % len(local_ids)], []).append(h + 1)

    # Activity: a few very active officers (Pareto), campaign months, quiet weekends
    activity = [rng.paretovariate(2.0) for _ in officer_ids]
    days, day_weight = day_weights(start, end)

    def contact_rows():
        chosen_officers = rng.choices(officer_ids, weights=activity, k=contacts)
        chosen_days = rng.choices(days, weights=day_weight, k=contacts)
        for n in range(contacts):
            officer_id = chosen_officers[n]
            area_id = areas_of[officer_id][n % 2]
            pool = households_in[area_id]
            outcome = OUTCOMES[n % len(OUTCOMES)]
            yield {
                "officer_id": officer_id,
                "area_id": area_id,
                "household_id": pool[(n * 7919) % len(pool)] if n % 10 else None,
                "contacted_on": chosen_days[n],
                "channel": CHANNELS[n % len(CHANNELS)],
                "outcome": outcome,
                "people_reached": 1,
                "notes": "",
                "client_token": f"b{n}",
            }

    # The kept counts are rebuilt once both are loaded: bulk inserts skip the flush.
    loading = ExitStack()
    loading.enter_context(kept.bulk())
    made["contacts"] = _insert(Contact, contact_rows())

    def enrollment_rows():
        chosen_officers = rng.choices(officer_ids, weights=activity, k=enrollments)
        chosen_days = rng.choices(days, weights=day_weight, k=enrollments)
        for n in range(enrollments):
            officer_id = chosen_officers[n]
            area_id = areas_of[officer_id][n % 2]
            day = chosen_days[n]
            yield {
                "officer_id": officer_id,
                "area_id": area_id,
                "household_id": None,
                "participant_name": f"Người tham gia {n}",
                "enrolled_on": day,
                "scheme": "voluntary_si",
                "category": "other",
                "income_basis": 1_500_000,
                "payment_period": "3",
                "months_paid": 3,
                "paid_through_on": day + timedelta(days=90),
                "monthly_contribution": 330_000,
                "monthly_state_support": 66_000,
                "collection_org_id": 1 + n % orgs,
                "client_token": f"e{n}",
            }

    made["enrollments"] = _insert(Enrollment, enrollment_rows())
    loading.close()

    # Targets: every officer, every year and month, two metrics; areas' participants_total
    def target_rows():
        for year in range(start.year, end.year + 1):
            periods_of_year = [(date(year, 1, 1), date(year, 12, 31))] + [
                (date(year, m, 1), (date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)))
                for m in range(1, 13)
            ]
            for officer_id in officer_ids:
                for metric, per_year in (("new_participants", 120), ("contacts", 1200)):
                    for first, last in periods_of_year:
                        value = (
                            per_year if first.month == 1 and last.month == 12 else per_year // 12
                        )
                        yield {
                            "subject": "officer",
                            "officer_id": officer_id,
                            "metric": metric,
                            "period_start": first,
                            "period_end": last,
                            "value": value,
                            "set_by_id": 1,
                        }
            for area_id in local_ids:
                yield {
                    "subject": "area",
                    "area_id": area_id,
                    "metric": "participants_total",
                    "period_start": date(year, 1, 1),
                    "period_end": date(year, 12, 31),
                    "value": 700,
                    "set_by_id": 2,
                }

    made["targets"] = _insert(Target, target_rows())
    made["participant_counts"] = _insert(
        ParticipantCount,
        (
            {
                "area_id": area_id,
                "as_of": date(year, 12, 31),
                "participants": 300 + 100 * k,
                "source": "bench",
            }
            for area_id in local_ids
            for k, year in enumerate(range(start.year - 1, end.year))
        ),
    )
    if db.session.get_bind().dialect.name == "postgresql":  # ids were given: move sequences on
        for model in (Area, User, CollectionOrg, Household):
            table = model.__tablename__
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    db.session.commit()
    # What autovacuum would do soon on PostgreSQL. SQLite keeps no statistics unless asked, and
    # the app never asks: with them, the funnel's check of enrollments by household took a
    # skip-scan of another index (the generated enrollments name no household) and minutes.
    if db.session.get_bind().dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    made["summary_rows"] = db.session.scalar(select(func.count()).select_from(ActivitySummary))
    made["seconds"] = round(time.perf_counter() - clock, 1)
    return made


def _arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: the app's DATABASE_URL)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database that was already generated"
    )
    for name, default in (
        ("officers", 300),
        ("areas", 200),
        ("provinces", 1),
        ("orgs", 40),
        ("households", 150_000),
        ("contacts", 1_000_000),
        ("enrollments", 100_000),
        ("years", 3),
    ):
        parser.add_argument(f"--{name}", type=int, default=default)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    from flask_migrate import upgrade

    from tracker import create_app

    args = _arguments(argv)
    if args.database:
        _create_database(args.database)
    config = {"SQLALCHEMY_DATABASE_URI": args.database} if args.database else {}
    app = create_app(config)
    with app.app_context():
        upgrade()
        if db.session.scalar(select(Contact.id).limit(1)) is not None:
            if args.reuse:
                print("The database already holds generated data: reused as it is.")
                return
            sys.exit("The database already holds contacts: generate into an empty one.")
        sizes = {k: v for k, v in vars(args).items() if k not in ("database", "reuse")}
        print(generate(**sizes))


def _create_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL URL whose database does not exist yet."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()


if __name__ == "__main__":
    main()
