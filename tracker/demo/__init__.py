"""Demo data for the office serving Lào Cai city, in today's Vietnam: Lào Cai province (with
Yên Bái merged in) from the official catalogue, the old city's wards and communes until
2025-06-30 and the units they became after, the article's figures on their dates, and plausible
work around them (docs/design.md, "Areas in time").

Idempotent: every record has a natural key (a code, a username, a deterministic client token)
and is added only when missing; a run on a later day adds only the days since.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..dates import local_today
from ..extensions import db
from ..models import Area
from ..services.reorganisation import apply, build_plan
from ..services.reorganisation.catalogue import EFFECTIVE_ON, SOURCE
from ..services.reorganisation.load import mapping_rows
from . import participants, people, places, work
from .data import CITY, DEMO_PASSWORD
from .targets import targets

__all__ = ["DEMO_PASSWORD", "seed"]
COUNTED = (
    "areas",
    "offices",
    "participant counts",
    "users",
    "collection organizations",
    "households",
    "reorganisations",
    "contacts",
    "enrollments",
    "renewals",
    "targets",
    "awareness sessions",
)


class DemoError(RuntimeError):
    """The database holds something the demo cannot build on."""


def seed(today: date | None = None) -> dict[str, int]:
    """Add whatever demo data is missing, in one transaction; returns what was added."""
    today = today or local_today()
    counter = dict.fromkeys(COUNTED, 0)
    try:
        _refuse_the_old_demo()
        catalogue = places.catalogue()
        units = places.old_units(counter, catalogue)
        places.counts(units, counter)
        office = places.office(units, counter)
        staff = people.users(units, office, counter)
        orgs = people.orgs(units, counter)
        registers = work.households(units, staff, counter)
        reorganised = _reorganise(units, catalogue, staff["admin"], today, counter)
        if reorganised:
            places.carry_sizes(units)
        phases = work.phases(units, registers, today, EFFECTIVE_ON if reorganised else None)
        drawn = work.daily_work(staff, phases, orgs, counter)
        participants.store(drawn, units, staff, orgs, counter, today)
        targets(units, office, staff, orgs, counter, today)
        work.sessions(phases, staff["supervisor"], counter, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counter


def _refuse_the_old_demo() -> None:
    if db.session.scalar(select(Area.id).where(Area.code == "LC-KIMTAN")) is not None:
        raise DemoError(
            "This database holds the demo of an earlier version (areas coded LC-…), which "
            "predates the 2025 reorganisation. Seed an empty database instead."
        )


def _reorganise(units, catalogue, admin, today: date, counter: dict) -> bool:
    """Apply the province's 2025 reorganisation once its day has come; True when it stands."""
    if units[CITY].valid_to is not None:
        return True
    if today < EFFECTIVE_ON:
        return False
    plan = build_plan(mapping_rows(catalogue, units))
    if not plan.can_apply:
        raise DemoError(f"the catalogue's reorganisation does not apply: {plan.problems[:3]}")
    apply(admin, plan, SOURCE, commit=False)
    counter["reorganisations"] += 1
    return True
