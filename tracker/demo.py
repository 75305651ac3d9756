"""Demo data for Lào Cai city: the real figures, and plausible work around them.

Idempotent: every record has a natural key (a code, a username, a deterministic client token)
and is added only when missing. Daily work is generated from a seed per officer and day, so a run
on the same day adds nothing and a run on a later day adds only the days since.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from .extensions import db
from .models import (
    Area,
    Assignment,
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    OutreachSession,
    ParticipantCount,
    Target,
    User,
)
from .periods import year
from .progress import summary
from .services import contributions
from .services.enrollments import paid_through
from .services.pipeline import next_status
from .text import search_text
from .web import local_today

# Why B105 does not apply: the published demo password (README)
DEMO_PASSWORD = "laocai-2024"  # nosec B105
WORK_STARTS = date(2024, 1, 1)
OFFICIAL_SOURCE = "BHXH tỉnh Lào Cai (số liệu công bố)"

# (code, name, kind, households, working-age population, participants on 2024-03-26)
LOCAL_AREAS = [
    ("LC-KIMTAN", "Kim Tân", "ward", 6120, 15400, 462),
    ("LC-COCLEU", "Cốc Lếu", "ward", 4210, 10300, 318),
    ("LC-DUYENHAI", "Duyên Hải", "ward", 3480, 8600, 236),
    ("LC-LAOCAI", "Lào Cai", "ward", 2950, 7300, 204),
    ("LC-PHOMOI", "Phố Mới", "ward", 3900, 9800, 261),
    ("LC-BACCUONG", "Bắc Cường", "ward", 5200, 13100, 297),
    ("LC-BACLENH", "Bắc Lệnh", "ward", 3600, 9000, 221),
    ("LC-NAMCUONG", "Nam Cường", "ward", 2800, 7100, 176),
    ("LC-BINHMINH", "Bình Minh", "ward", 2400, 6200, 158),
    ("LC-POMHAN", "Pom Hán", "ward", 2700, 6900, 169),
    ("LC-XUANTANG", "Xuân Tăng", "ward", 2100, 5400, 131),
    ("LC-CAMDUONG", "Cam Đường", "commune", 1900, 5000, 118),
    ("LC-DONGTUYEN", "Đồng Tuyển", "commune", 1500, 4100, 96),
    ("LC-HOPTHANH", "Hợp Thành", "commune", 1700, 4600, 112),
    ("LC-TAPHOI", "Tả Phời", "commune", 1600, 4300, 104),
    ("LC-VANHOA", "Vạn Hòa", "commune", 1400, 3800, 104),
]
CITY_COUNTS = [(date(2022, 12, 31), 2944), (date(2023, 12, 31), 3136), (date(2024, 3, 26), 3167)]
CITY_TARGET_2024 = 4600
HOUSEHOLDS_PER_AREA = 400

# username, full name, role, supervisor, areas (first is primary)
USERS = [
    ("admin", "Quản trị hệ thống", "admin", None, []),
    ("leader", "Nguyễn Thị Hồng Nhung", "leader", None, []),
    ("supervisor", "Trần Văn Bình", "supervisor", None, ["LC-KIMTAN"]),
    ("supervisor2", "Đỗ Thị Thu Hà", "supervisor", None, ["LC-BACCUONG"]),
    ("officer", "Phạm Thị Lan", "officer", "supervisor", ["LC-KIMTAN", "LC-COCLEU"]),
    ("officer2", "Lê Văn Dũng", "officer", "supervisor", ["LC-DUYENHAI", "LC-LAOCAI"]),
    ("officer3", "Hoàng Thị Mai", "officer", "supervisor", ["LC-PHOMOI", "LC-KIMTAN"]),
    ("officer4", "Vũ Đức Thắng", "officer", "supervisor", ["LC-POMHAN", "LC-XUANTANG"]),
    ("officer5", "Bùi Thị Hương", "officer", "supervisor2", ["LC-BACCUONG", "LC-NAMCUONG"]),
    ("officer6", "Giàng A Sử", "officer", "supervisor2", ["LC-TAPHOI", "LC-HOPTHANH"]),
    ("officer7", "Lò Thị Yến", "officer", "supervisor2", ["LC-CAMDUONG", "LC-DONGTUYEN"]),
    (
        "officer8",
        "Đặng Minh Quang",
        "officer",
        "supervisor2",
        ["LC-BACLENH", "LC-BINHMINH", "LC-VANHOA"],
    ),
]
# How busy each officer is, relative to the office's average.
ACTIVITY = {
    "officer": 1.15,
    "officer2": 1.0,
    "officer3": 0.9,
    "officer4": 0.75,
    "officer5": 1.3,
    "officer6": 0.85,
    "officer7": 0.95,
    "officer8": 1.05,
    "supervisor": 0.3,
    "supervisor2": 0.25,
}

ORGS = [
    ("Bưu điện thành phố Lào Cai", "post_office", None),
    ("Hội Liên hiệp Phụ nữ thành phố Lào Cai", "womens_union", None),
    (
        "Hội Nông dân thành phố Lào Cai",
        "farmers_association",
        ["LC-CAMDUONG", "LC-DONGTUYEN", "LC-HOPTHANH", "LC-TAPHOI", "LC-VANHOA"],
    ),
    ("Tổ dịch vụ thu phường Kim Tân", "commune_committee", ["LC-KIMTAN"]),
    ("Hợp tác xã Dịch vụ Cốc Lếu", "cooperative", ["LC-COCLEU", "LC-DUYENHAI"]),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Lý",
    "Giàng",
    "Lò",
    "Vàng",
    "Sùng",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Hữu", "A"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Hà",
    "Hải",
    "Hương",
    "Lan",
    "Mai",
    "Nam",
    "Phương",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Tuấn",
    "Vân",
    "Yến",
    "Sử",
    "Chư",
    "Ánh",
    "Đức",
    "Hằng",
    "Khánh",
    "Lộc",
    "Nhung",
    "Oanh",
    "Quyết",
    "Thắng",
    "Trang",
]
STREETS = [
    "Hoàng Liên",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Hoàng Sào",
    "Lê Lợi",
    "Điện Biên",
    "Nhạc Sơn",
    "Phan Đình Phùng",
    "Quy Hóa",
    "Minh Khai",
]
CATEGORIES = (
    ["self_employed"] * 4 + ["trader"] * 3 + ["farmer"] * 3 + ["informal_worker"] * 3 + ["other"]
)
OUTCOMES = (
    ["informed"] * 30
    + ["interested"] * 20
    + ["follow_up"] * 18
    + ["enrolled"] * 16
    + ["declined"] * 8
    + ["no_answer"] * 8
)
CHANNELS = ["home_visit"] * 6 + ["phone"] * 3 + ["message"] * 1 + ["ward_meeting"] * 1


def _get_or_add(model, key: dict, **values):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        return row, 1
    return row, 0


def _areas(counter: dict) -> dict[str, Area]:
    province, added = _get_or_add(Area, {"code": "LC"}, name="Lào Cai", kind="province")
    counter["areas"] += added
    city, added = _get_or_add(
        Area,
        {"code": "LC-CITY"},
        name="Thành phố Lào Cai",
        kind="district",
        parent_id=province.id,
        households=52_000,
        working_age_population=72_000,
    )
    counter["areas"] += added
    areas = {"LC": province, "LC-CITY": city}
    for code, name, kind, households, working_age, _count in LOCAL_AREAS:
        area, added = _get_or_add(
            Area,
            {"code": code},
            name=name,
            kind=kind,
            parent_id=city.id,
            households=households,
            working_age_population=working_age,
        )
        counter["areas"] += added
        areas[code] = area
    return areas


def _counts(areas: dict[str, Area], counter: dict) -> None:
    for as_of, participants in CITY_COUNTS:
        _, added = _get_or_add(
            ParticipantCount,
            {"area_id": areas["LC-CITY"].id, "as_of": as_of},
            participants=participants,
            source=OFFICIAL_SOURCE,
        )
        counter["participant counts"] += added
    for code, *_rest, participants in LOCAL_AREAS:
        _, added = _get_or_add(
            ParticipantCount,
            {"area_id": areas[code].id, "as_of": CITY_COUNTS[-1][0]},
            participants=participants,
            source=OFFICIAL_SOURCE,
        )
        counter["participant counts"] += added


def _users(areas: dict[str, Area], counter: dict) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, full_name, role, supervisor, area_codes in USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                locale="vi",
                supervisor_id=users[supervisor].id if supervisor else None,
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            counter["users"] += 1
            for index, code in enumerate(area_codes):
                db.session.add(
                    Assignment(officer_id=user.id, area_id=areas[code].id, is_primary=index == 0)
                )
        users[username] = user
    db.session.flush()
    return users


def _orgs(areas: dict[str, Area], counter: dict) -> list[CollectionOrg]:
    orgs = []
    local = [areas[code] for code, *_ in LOCAL_AREAS]
    for name, kind, codes in ORGS:
        org, added = _get_or_add(CollectionOrg, {"name": name}, kind=kind, active=True)
        if added:
            org.areas = [areas[c] for c in codes] if codes else local
        counter["collection organizations"] += added
        orgs.append(org)
    return orgs


def _households(areas: dict[str, Area], users: dict[str, User], counter: dict):
    """The register: households per ward or commune, each with a deterministic name and
    address."""
    officers_by_area: dict[int, list[User]] = {}
    for user in users.values():
        for assignment in user.assignments:
            officers_by_area.setdefault(assignment.area_id, []).append(user)
    existing = {(h.area_id, h.head_name, h.address) for h in db.session.scalars(select(Household))}
    rows = []
    for code, name, *_ in LOCAL_AREAS:
        area = areas[code]
        # Why B311 does not apply: demo data, not security
        rng = random.Random(f"households-{code}")  # nosec B311
        officers = officers_by_area.get(area.id, [])
        for number in range(1, HOUSEHOLDS_PER_AREA + 1):
            # Draw every value before deciding to skip, so each run draws the same sequence.
            head = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            row = {
                "area_id": area.id,
                "head_name": head,
                "address": f"Số {number}, đường {rng.choice(STREETS)}, {name}",
                "phone": f"09{rng.randrange(10**7, 10**8)}",
                "category": rng.choice(CATEGORIES),
                "status": "prospect",
                "officer_id": officers[number % len(officers)].id if officers else None,
            }
            row["search_text"] = search_text(head, row["address"])
            row["name_key"] = search_text(head)
            if (area.id, head, row["address"]) not in existing:
                existing.add((area.id, head, row["address"]))
                rows.append(row)
    if rows:
        db.session.execute(insert(Household), rows)
    counter["households"] += len(rows)
    by_area: dict[int, list[Household]] = {}
    for household in db.session.scalars(select(Household).order_by(Household.id)):
        by_area.setdefault(household.area_id, []).append(household)
    return by_area


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _daily_work(users, households_by_area, orgs, counter, today: date) -> None:
    """Contacts and the enrollments they led to, day by day for every officer, busier in May
    and November (campaign months) and quiet at weekends. A household enrolls once; later
    enrollments in its ward come from ward meetings and sessions, without a household."""
    known_contacts = set(db.session.execute(select(Contact.officer_id, Contact.client_token)))
    known_enrollments = set(
        db.session.execute(select(Enrollment.officer_id, Enrollment.client_token))
    )
    contacts, enrollments = [], []
    status: dict[int, str] = {}
    follow_up: dict[int, date | None] = {}
    officers = [
        (name, user, sorted(a.area_id for a in user.assignments))
        for name, user in users.items()
        if name in ACTIVITY
    ]
    for day in _days(WORK_STARTS, today):
        for username, officer, area_ids in officers:
            # Why B311 does not apply: demo data, not security
            rng = random.Random(f"work-{username}-{day.isoformat()}")  # nosec B311
            rate = 3.0 * ACTIVITY[username] * (1.6 if day.month in (5, 11) else 1.0)
            if day.weekday() >= 5:
                rate *= 0.15
            for index in range(_poisson(rng, rate)):
                area_id = rng.choice(area_ids)
                household = rng.choice(households_by_area[area_id])
                outcome = rng.choice(OUTCOMES)
                token = f"demo-{day.isoformat()}-{index}"
                later = day + timedelta(days=rng.choice((3, 7, 14)))
                channel = rng.choice(CHANNELS)
                if status.get(household.id) == "enrolled":
                    household, channel = None, "ward_meeting"
                wants_follow_up = household is not None and outcome in ("interested", "follow_up")
                if household is not None:
                    status[household.id] = next_status(
                        status.get(household.id, "prospect"), outcome
                    )
                    follow_up[household.id] = later if wants_follow_up else None
                contact = {
                    "officer_id": officer.id,
                    "area_id": area_id,
                    "household_id": household.id if household else None,
                    "contacted_on": day,
                    "channel": channel,
                    "outcome": outcome,
                    "people_reached": rng.choice((1, 1, 1, 2, 3)) * (1 if household else 8),
                    "follow_up_on": later if wants_follow_up else None,
                    "notes": "",
                    "client_token": token,
                }
                if (officer.id, token) not in known_contacts:
                    contacts.append(contact)
                if outcome == "enrolled":
                    enrollment = _enrollment(rng, officer, household, area_id, day, token, orgs)
                    if (officer.id, token) not in known_enrollments:
                        enrollments.append(enrollment)
    if contacts:
        db.session.execute(insert(Contact), contacts)
    if enrollments:
        db.session.execute(insert(Enrollment), enrollments)
    counter["contacts"] += len(contacts)
    counter["enrollments"] += len(enrollments)
    for household_id, value in status.items():
        db.session.execute(
            Household.__table__.update()
            .where(Household.id == household_id)
            .values(status=value, next_follow_up_on=follow_up.get(household_id))
        )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means of daily contacts."""
    limit, product, count = pow(2.718281828, -mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _enrollment(rng, officer, household, area_id, day, token, orgs) -> dict:
    category = rng.choice(["other"] * 7 + ["near_poor"] * 2 + ["poor", "ethnic_minority"])
    basis = rng.choice([1_500_000] * 6 + [2_000_000, 3_000_000, 5_000_000])
    period = rng.choice(["1", "3", "3", "6", "12", "12"])
    months = 60 if period == "lump_sum" else int(period)
    figures = contributions.compute(day, category, basis)
    return {
        "officer_id": officer.id,
        "area_id": area_id,
        "household_id": household.id if household else None,
        "participant_name": household.head_name if household else _person(rng),
        "enrolled_on": day,
        "scheme": "voluntary_si",
        "category": category,
        "income_basis": basis,
        "payment_period": period,
        "months_paid": months,
        "paid_through_on": paid_through(day, months),
        "monthly_contribution": figures.monthly_contribution,
        "monthly_state_support": figures.monthly_state_support,
        "collection_org_id": rng.choice(orgs).id,
        "client_token": token,
    }


def _targets(areas, users, orgs, counter, today: date) -> None:
    leader = users["leader"]

    def add(subject: str, key: dict, period, metric: str, value: int, set_by: User) -> None:
        exists = db.session.scalar(
            select(Target.id).filter_by(
                subject=subject,
                metric=metric,
                period_start=period.start,
                period_end=period.end,
                replaced_at=None,
                **key,
            )
        )
        if exists is None:
            db.session.add(
                Target(
                    subject=subject,
                    metric=metric,
                    period_start=period.start,
                    period_end=period.end,
                    value=value,
                    set_by_id=set_by.id,
                    **key,
                )
            )
            counter["targets"] += 1

    add(
        "area",
        {"area_id": areas["LC-CITY"].id},
        year(2024),
        "participants_total",
        CITY_TARGET_2024,
        leader,
    )
    for code, *_rest, participants in LOCAL_AREAS:
        ward_target = round(participants * CITY_TARGET_2024 / CITY_COUNTS[-1][1])
        add(
            "area",
            {"area_id": areas[code].id},
            year(2024),
            "participants_total",
            ward_target,
            leader,
        )
    for index, org in enumerate(orgs):
        add(
            "collection_org",
            {"collection_org_id": org.id},
            year(2024),
            "new_participants",
            150 + 40 * index,
            leader,
        )
    for target_year in range(2024, today.year + 1):
        for username, officer in users.items():
            if username not in ACTIVITY or officer.supervisor is None:
                continue
            yearly = round(120 * ACTIVITY[username] / 10) * 10 + 10
            add(
                "officer",
                {"officer_id": officer.id},
                year(target_year),
                "new_participants",
                yearly,
                officer.supervisor,
            )
            add(
                "officer",
                {"officer_id": officer.id},
                year(target_year),
                "contacts",
                yearly * 6,
                officer.supervisor,
            )


def _sessions(areas, users, counter, today: date) -> None:
    existing = {(s.area_id, s.held_on) for s in db.session.scalars(select(OutreachSession))}
    for code, name, *_ in LOCAL_AREAS:
        # Why B311 does not apply: demo data, not security
        rng = random.Random(f"sessions-{code}")  # nosec B311
        for month_start in (
            date(y, m, 1) for y in range(2024, today.year + 1) for m in (3, 5, 8, 11)
        ):
            held_on = month_start + timedelta(days=rng.randrange(5, 25))
            attendees = rng.randrange(25, 90)
            if held_on > today or (areas[code].id, held_on) in existing:
                continue
            db.session.add(
                OutreachSession(
                    area_id=areas[code].id,
                    held_on=held_on,
                    starts_at="19:30",
                    kind="awareness",
                    title=f"Tuyên truyền BHXH tự nguyện tại {name}",
                    organizer_id=users["supervisor"].id,
                    partner_org="Hội Liên hiệp Phụ nữ",
                    attendees=attendees,
                    notes="Buổi tuyên truyền buổi tối tại nhà văn hóa tổ dân phố.",
                )
            )
            counter["awareness sessions"] += 1


def seed(today: date | None = None) -> dict[str, int]:
    """Add whatever demo data is missing, in one transaction; returns what was added."""
    today = today or local_today()
    counter = dict.fromkeys(
        [
            "areas",
            "participant counts",
            "users",
            "collection organizations",
            "households",
            "contacts",
            "enrollments",
            "targets",
            "awareness sessions",
        ],
        0,
    )
    try:
        areas = _areas(counter)
        _counts(areas, counter)
        users = _users(areas, counter)
        orgs = _orgs(areas, counter)
        households = _households(areas, users, counter)
        _daily_work(users, households, orgs, counter, today)
        if counter["contacts"] or counter["enrollments"]:
            summary.rebuild(db.session.connection())  # bulk inserts bypass the flush
        _targets(areas, users, orgs, counter, today)
        _sessions(areas, users, counter, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counter
