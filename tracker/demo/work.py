"""The demo's field work, generated deterministically: households per ward, and contacts,
enrollments and awareness sessions day by day since 2024, in the units of each day (the old
wards until 2025-06-30, the units they became after). Each officer-day draws from a seed of its
own, so a run on the same day adds nothing and a later run adds only the days since."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select

from ..extensions import db
from ..models import Area, Contact, Household, OutreachSession, User
from ..progress import kept
from ..services import contributions
from ..services.enrollments import paid_through
from ..services.pipeline import next_status
from ..text import search_text
from .data import (
    ACTIVITY,
    CATEGORIES,
    CHANNELS,
    FAMILY,
    GIVEN,
    HOUSEHOLDS_PER_AREA,
    LOCAL_AREAS,
    MIDDLE,
    OUTCOMES,
    STREETS,
    USERS,
    WORK_STARTS,
)


def _rng(seed: str) -> random.Random:
    # Why B311 does not apply: demo data, not security
    return random.Random(seed)  # nosec B311


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _staffed_codes() -> list[str]:
    """The old units someone worked in (Thống Nhất had nobody of this office)."""
    codes = {code for *_user, area_codes in USERS for code in area_codes}
    return [code for code, *_rest in LOCAL_AREAS if code in codes]


def households(units: dict[str, Area], people: dict[str, User], counter: dict):
    """The register: HOUSEHOLDS_PER_AREA households per staffed ward, in the ward of 2024 (the
    reorganisation moves them), each with a deterministic name and address. Returns
    {old code: [(id, head name)]} in a fixed order, wherever the households live now."""
    officers_by_code: dict[str, list[User]] = {}
    for username, *_rest, codes in USERS:
        for code in codes:
            officers_by_code.setdefault(code, []).append(people[username])
    known = {
        (head, address): household_id
        for household_id, head, address in db.session.execute(
            select(Household.id, Household.head_name, Household.address)
        )
    }
    specs: dict[str, list[tuple[str, str]]] = {}
    rows = []
    for code in _staffed_codes():
        area = units[code]
        rng = _rng(f"households-{code}")
        officers = officers_by_code.get(code, [])
        specs[code] = []
        for number in range(1, HOUSEHOLDS_PER_AREA + 1):
            head = _person(rng)
            address = f"Số {number}, đường {rng.choice(STREETS)}, {area.name}"
            phone, category = f"09{rng.randrange(10**7, 10**8)}", rng.choice(CATEGORIES)
            specs[code].append((head, address))
            if (head, address) in known:
                continue
            rows.append(
                {
                    "area_id": area.id,
                    "head_name": head,
                    "address": address,
                    "phone": phone,
                    "category": category,
                    "status": "prospect",
                    "officer_id": officers[number % len(officers)].id if officers else None,
                    "search_text": search_text(head, address),
                    "name_key": search_text(head),
                }
            )
    if rows:
        db.session.execute(insert(Household), rows)
        counter["households"] += len(rows)
        known = {
            (head, address): household_id
            for household_id, head, address in db.session.execute(
                select(Household.id, Household.head_name, Household.address)
            )
        }
    return {code: [(known[key], key[0]) for key in keys] for code, keys in specs.items()}


@dataclass(frozen=True)
class Phase:
    """A stretch of days and, for each officer, the units they worked in then."""

    start: date
    end: date
    areas: dict[str, list[int]]  # username → area ids
    households: dict[int, list[tuple[int, str]]]  # area id → (household id, head name)


def phases(units: dict[str, Area], registers: dict, today: date, reorganised_on: date | None):
    """The units of 2024 until the reorganisation; the units they became after it."""
    from ..progress import area_tree

    old_areas = {
        username: [units[code].id for code in codes]
        for username, *_rest, codes in USERS
        if username in ACTIVITY
    }
    old_households = {units[code].id: register for code, register in registers.items()}
    last_old_day = today if reorganised_on is None else reorganised_on - timedelta(days=1)
    result = [Phase(WORK_STARTS, min(today, last_old_day), old_areas, old_households)]
    if reorganised_on is None or today < reorganised_on:
        return result
    tree = area_tree()
    successor = {old: next(tree.current_successors(old)) for old in old_households}
    new_areas = {
        username: list(
            dict.fromkeys(successor.get(a) or next(tree.current_successors(a)) for a in areas)
        )
        for username, areas in old_areas.items()
    }
    new_households: dict[int, list] = {}
    for old, register in old_households.items():
        new_households.setdefault(successor[old], []).extend(register)
    result.append(Phase(reorganised_on, today, new_areas, new_households))
    return result


def daily_work(people, all_phases: list[Phase], orgs, counter) -> list[dict]:
    """Contacts and the enrollments they led to, day by day for every officer, busier in May
    and November (campaign months) and quiet at weekends. A household enrolls once (in
    voluntary social insurance, and one in five in household health insurance too); later
    enrollments in its ward come from ward meetings and sessions, without a household. Writes
    the contacts it lacks; returns every enrollment it drew, for participants.store()."""
    known_contacts = set(db.session.execute(select(Contact.officer_id, Contact.client_token)))
    contacts, enrollments = [], []
    status: dict[int, str] = {}
    follow_up: dict[int, date | None] = {}
    for phase in all_phases:
        day = phase.start
        while day <= phase.end:
            for username, area_ids in phase.areas.items():
                officer = people[username]
                rng = _rng(f"work-{username}-{day.isoformat()}")
                rate = 3.0 * ACTIVITY[username] * (1.6 if day.month in (5, 11) else 1.0)
                if day.weekday() >= 5:
                    rate *= 0.15
                for index in range(_poisson(rng, rate)):
                    area_id = rng.choice(area_ids)
                    household_id, head = rng.choice(phase.households[area_id])
                    outcome, channel = rng.choice(OUTCOMES), rng.choice(CHANNELS)
                    token = f"demo-{day.isoformat()}-{index}"
                    later = day + timedelta(days=rng.choice((3, 7, 14)))
                    # Every draw is made whether or not the record exists, so that the same
                    # day always draws the same sequence.
                    people_reached = rng.choice((1, 1, 1, 2, 3))
                    if status.get(household_id) == "enrolled":
                        household_id, head, channel = None, None, "ward_meeting"
                    wants_follow_up = household_id is not None and outcome in (
                        "interested",
                        "follow_up",
                    )
                    if household_id is not None:
                        status[household_id] = next_status(
                            status.get(household_id, "prospect"), outcome
                        )
                        follow_up[household_id] = later if wants_follow_up else None
                    if (officer.id, token) not in known_contacts:
                        contacts.append(
                            {
                                "officer_id": officer.id,
                                "area_id": area_id,
                                "household_id": household_id,
                                "contacted_on": day,
                                "channel": channel,
                                "outcome": outcome,
                                "people_reached": people_reached * (1 if household_id else 8),
                                "follow_up_on": later if wants_follow_up else None,
                                "notes": "",
                                "client_token": token,
                            }
                        )
                    if outcome == "enrolled":
                        enrollment = _enrollment(
                            rng, officer, household_id, head, area_id, day, token, orgs
                        )
                        enrollments.append(enrollment)
                        if rng.random() < 0.2 and household_id is not None:
                            enrollments.append(_household_health(enrollment))
            day += timedelta(days=1)
    if contacts:
        with kept.bulk():  # rebuilt after the load: bulk inserts skip the flush
            db.session.execute(insert(Contact), contacts)
    counter["contacts"] += len(contacts)
    for household_id, value in status.items():
        db.session.execute(
            Household.__table__.update()
            .where(Household.id == household_id)
            .values(status=value, next_follow_up_on=follow_up.get(household_id))
        )
    return enrollments


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means of daily contacts."""
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _enrollment(rng, officer, household_id, head, area_id, day, token, orgs) -> dict:
    return enrollment_row(
        rng,
        officer.id,
        area_id,
        day,
        token,
        orgs,
        household_id=household_id,
        name=head or _person(rng),
    )


PERIODS = ["3", "3", "6", "12", "12", "1"]


def enrollment_row(
    rng, officer_id, area_id, day, token, orgs, household_id=None, name=None, period=None
):
    """A voluntary social insurance enrollment with the contribution of its day's rules; its
    paid-through date is set by participants.store() from the participant's payments."""
    category = rng.choice(["other"] * 7 + ["near_poor"] * 2 + ["poor", "ethnic_minority"])
    factor = rng.choice([1] * 6 + [1.5, 2, 3])
    drawn = rng.choice(PERIODS)
    period = period or drawn
    minimum = contributions.rule_on(day).minimum_basis
    basis = int(minimum * factor) // 1000 * 1000
    figures = contributions.compute(day, category, basis)
    name = name or _person(rng)
    return {
        "officer_id": officer_id,
        "area_id": area_id,
        "household_id": household_id,
        "participant_name": name,
        "name_key": search_text(name),  # a bulk insert runs no ORM listener
        "enrolled_on": day,
        "scheme": "voluntary_si",
        "category": category,
        "income_basis": basis,
        "payment_period": period,
        "months_paid": int(period),
        "paid_through_on": paid_through(day, int(period)),
        "monthly_contribution": figures.monthly_contribution,
        "monthly_state_support": figures.monthly_state_support,
        "supported_months": int(period) if figures.monthly_state_support else 0,
        "collection_org_id": rng.choice(orgs).id,
        "client_token": token,
    }


def _household_health(enrollment: dict) -> dict:
    """The same household's health insurance, paid for a year: another scheme, counted apart."""
    return {
        **enrollment,
        "scheme": "household_hi",
        "category": "other",
        "income_basis": None,
        "payment_period": "12",
        "months_paid": 12,
        "paid_through_on": paid_through(enrollment["enrolled_on"], 12),
        "monthly_contribution": None,
        "monthly_state_support": None,
        "supported_months": None,
        "client_token": enrollment["client_token"] + "-hi",
    }


def sessions(all_phases: list[Phase], organizer: User, counter: dict, today: date) -> None:
    """Evening awareness sessions in March, May, August and November, in the units of the day."""
    existing = {(s.area_id, s.held_on) for s in db.session.scalars(select(OutreachSession))}
    for phase in all_phases:
        area_ids = sorted(phase.households)
        for year in range(phase.start.year, phase.end.year + 1):
            for month in (3, 5, 8, 11):
                for area_id in area_ids:
                    rng = _rng(f"sessions-{area_id}-{year}-{month}")
                    held_on = date(year, month, 1) + timedelta(days=rng.randrange(5, 25))
                    attendees = rng.randrange(25, 90)
                    if not phase.start <= held_on <= min(phase.end, today):
                        continue
                    if (area_id, held_on) in existing:
                        continue
                    name = db.session.get(Area, area_id).name
                    db.session.add(
                        OutreachSession(
                            area_id=area_id,
                            held_on=held_on,
                            starts_at="19:30",
                            kind="awareness",
                            title=f"Tuyên truyền BHXH tự nguyện tại {name}",
                            organizer_id=organizer.id,
                            partner_org="Hội Liên hiệp Phụ nữ",
                            attendees=attendees,
                            notes="Buổi tuyên truyền buổi tối tại nhà văn hóa tổ dân phố.",
                        )
                    )
                    counter["awareness sessions"] += 1
