"""The demo's participants written: the officers' enrollments and the participants the office
already had before 2024, each with the payments of its life (demo/lifecycle.py), their
renewals, and citizen IDs (the same person's in both schemes)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import bindparam, insert, select, update

from ..extensions import db
from ..models import Area, Enrollment, Renewal, User
from ..progress import kept
from ..services import contributions
from .data import LOCAL_AREAS, USERS
from .lifecycle import (
    FIRST_COUNT,
    SECOND_COUNT,
    WARD_COUNT,
    History,
    kinds_by_ward,
    lapsing,
    paying,
)
from .work import PERIODS, enrollment_row

HISTORY_STARTS = date(2018, 1, 1)  # the first rules the app holds


def _rng(seed: str) -> random.Random:
    # Why B311 does not apply: demo data, not security
    return random.Random(seed)  # nosec B311


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def store(
    drawn: list[dict], units: dict[str, Area], staff: dict[str, User], orgs, counter, today: date
) -> None:
    """Write the enrollments and renewals the database lacks, and bring every paid-through
    date to where the payments drawn up to today leave it."""
    code_of = {units[code].id: code for code, *_rest in LOCAL_AREAS}
    lives: list[tuple[dict, History]] = []
    for row in drawn:
        rng = _rng(f"life-{row['officer_id']}-{row['client_token']}")
        through = WARD_COUNT if row["enrolled_on"] <= WARD_COUNT else row["enrolled_on"]
        lives.append((row, paying(rng, row["enrolled_on"], row["months_paid"], today, through)))
    early = {}
    for row, _history in lives:
        code = code_of.get(row["area_id"])
        if (
            row["scheme"] == "voluntary_si"
            and code
            and SECOND_COUNT < row["enrolled_on"] <= WARD_COUNT
        ):
            early[code] = early.get(code, 0) + 1
    lives.extend(_earlier_participants(kinds_by_ward(early), units, staff, orgs, today))
    _citizen_ids(lives)
    _write(lives, counter)


def _officer_of(code: str, staff: dict[str, User]) -> User:
    """Who the office credits with a ward's earlier participants: its first officer."""
    for username, *_rest, codes in USERS:
        if code in codes and username.startswith("officer"):
            return staff[username]
    return staff["supervisor"]


def _earlier_participants(kinds, units, staff, orgs, today: date):
    """The participants of each ward before the officers' own work, of each kind."""
    lives = []
    for code, numbers in kinds.items():
        officer = _officer_of(code, staff)
        area_id = units[code].id
        plan = (
            ("steady", numbers.steady),
            ("joined", numbers.joined_2023),
            ("gone2023", numbers.lapsed_2023),
            ("gone2024", numbers.lapsed_2024),
        )
        for kind, count in plan:
            for number in range(count):
                token = f"demo-earlier-{code}-{kind}-{number}"
                rng = _rng(token)
                months = int(rng.choice(PERIODS[:-1]))  # quarterly or longer
                if kind == "steady":
                    start = _day_between(rng, HISTORY_STARTS, FIRST_COUNT - timedelta(days=1))
                    history = paying(rng, start, months, today, WARD_COUNT)
                elif kind == "joined":
                    start = _day_between(rng, FIRST_COUNT + timedelta(days=1), SECOND_COUNT)
                    history = paying(rng, start, months, today, WARD_COUNT)
                elif kind == "gone2023":
                    window = (FIRST_COUNT + timedelta(days=1), SECOND_COUNT)
                    history = lapsing(rng, months, window, FIRST_COUNT, today)
                else:
                    window = (SECOND_COUNT + timedelta(days=1), WARD_COUNT)
                    history = lapsing(rng, months, window, FIRST_COUNT, today)
                row = enrollment_row(
                    rng, officer.id, area_id, history.enrolled_on, token, orgs, period=str(months)
                )
                lives.append((row, history))
    return lives


def _citizen_ids(lives) -> None:
    """Twelve digits as on a citizen ID card (010: Lào Cai), unique; a household's health
    insurance is the same person's."""
    number = 0
    by_person = {}
    for row, _history in lives:
        if row["scheme"] != "voluntary_si":
            continue
        number += 1
        rng = _rng(f"citizen-{row['client_token']}")
        born = rng.randrange(1960, 2004)
        century = 0 if born < 2000 else 2
        row["citizen_id"] = f"010{century + rng.randrange(2)}{born % 100:02d}{number:06d}"
        row["birth_date"] = date(born, rng.randrange(1, 13), rng.randrange(1, 29))
        by_person[row["officer_id"], row["client_token"]] = row["citizen_id"], row["birth_date"]
    for row, _history in lives:
        if row["scheme"] == "household_hi":
            vsi_token = row["client_token"].removesuffix("-hi")
            row["citizen_id"], row["birth_date"] = by_person.get(
                (row["officer_id"], vsi_token), (None, None)
            )


def _amounts(row: dict, day: date, months: int, supported: int) -> dict:
    """A renewal's figures at the rules of its day: the participant's basis (raised to the
    minimum when the law raised it), support under the 120-month cap."""
    if row["scheme"] != "voluntary_si":
        return {
            "income_basis": None,
            "monthly_contribution": None,
            "monthly_state_support": None,
            "supported_months": None,
        }
    minimum = contributions.rule_on(day).minimum_basis
    figures = contributions.compute(day, row["category"], max(row["income_basis"], minimum))
    paid = contributions.payment(figures, months, supported)
    return {
        "income_basis": figures.income_basis,
        "monthly_contribution": figures.monthly_contribution,
        "monthly_state_support": figures.monthly_state_support,
        "supported_months": paid.supported_months,
    }


def _write(lives, counter) -> None:
    known = dict(
        ((officer_id, token), (enrollment_id, paid_through))
        for enrollment_id, officer_id, token, paid_through in db.session.execute(
            select(
                Enrollment.id,
                Enrollment.officer_id,
                Enrollment.client_token,
                Enrollment.paid_through_on,
            )
        )
    )
    new_rows, moved = [], []
    for row, history in lives:
        row["paid_through_on"] = history.paid_through
        found = known.get((row["officer_id"], row["client_token"]))
        if found is None:
            new_rows.append(row)
        elif found[1] != history.paid_through:
            moved.append({"row_id": found[0], "paid_through_on": history.paid_through})
    with kept.bulk():  # enrollments written in bulk: the kept counts are rebuilt after
        if new_rows:
            db.session.execute(insert(Enrollment), new_rows)
        if moved:
            db.session.execute(
                update(Enrollment)
                .where(Enrollment.id == bindparam("row_id"))
                .values(paid_through_on=bindparam("paid_through_on")),
                moved,
            )
    counter["enrollments"] += len(new_rows)
    ids = {
        (officer_id, token): enrollment_id
        for enrollment_id, officer_id, token in db.session.execute(
            select(Enrollment.id, Enrollment.officer_id, Enrollment.client_token)
        )
    }
    known_renewals = set(db.session.execute(select(Renewal.officer_id, Renewal.client_token)))
    renewals = []
    for row, history in lives:
        supported = row["supported_months"] or 0  # towards the person's 120 months
        for index, (renewed_on, months, before, after) in enumerate(history.renewals):
            token = f"{row['client_token']}-r{index}"
            amounts = _amounts(row, renewed_on, months, supported)
            supported += amounts.get("supported_months") or 0
            if (row["officer_id"], token) in known_renewals:
                continue
            renewals.append(
                {
                    "enrollment_id": ids[row["officer_id"], row["client_token"]],
                    "officer_id": row["officer_id"],
                    "renewed_on": renewed_on,
                    "method": str(months),
                    "months": months,
                    "paid_through_before": before,
                    "paid_through_after": after,
                    "client_token": token,
                    **amounts,
                }
            )
    if renewals:
        with kept.bulk():  # their returns and lapses are kept counts too
            db.session.execute(insert(Renewal), renewals)
    counter["renewals"] += len(renewals)
