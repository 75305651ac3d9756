"""The demo's targets: the article's 4,600 for the city in 2024 and its wards' shares of it;
for 2025 and later, the units of today, each asked for YEARLY_GROWTH_ASKED above what it (or
its predecessors) had at the year's start; every organization and officer, every year."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Area, Office, Target, User
from ..periods import Period, year
from .data import ACTIVITY, CITY, CITY_COUNTS, CITY_TARGET_2024, LOCAL_AREAS, YEARLY_GROWTH_ASKED


def targets(units, office: Office, people, orgs, counter, today: date) -> None:
    leader = people["leader"]

    def add(subject: str, key: dict, period: Period, metric: str, value: int, by: User) -> None:
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
                    set_by_id=by.id,
                    **key,
                )
            )
            counter["targets"] += 1

    city = {"area_id": units[CITY].id}
    add("area", city, year(2024), "participants_total", CITY_TARGET_2024, leader)
    for code, *_rest, participants in LOCAL_AREAS:
        share = round(participants * CITY_TARGET_2024 / CITY_COUNTS[-1][1])
        add("area", {"area_id": units[code].id}, year(2024), "participants_total", share, leader)
    for target_year in range(2025, today.year + 1):
        for area, start in _todays_units(office, target_year):
            value = round(start * (1 + YEARLY_GROWTH_ASKED))
            add(
                "area", {"area_id": area.id}, year(target_year), "participants_total", value, leader
            )
    for target_year in range(2024, today.year + 1):
        for index, org in enumerate(orgs):
            value = 150 + 40 * index
            key = {"collection_org_id": org.id}
            add("collection_org", key, year(target_year), "new_participants", value, leader)
        for username, officer in people.items():
            if username not in ACTIVITY or officer.supervisor is None:
                continue
            yearly = round(120 * ACTIVITY[username] / 10) * 10 + 10
            for metric, value in (("new_participants", yearly), ("contacts", yearly * 6)):
                key = {"officer_id": officer.id}
                add("officer", key, year(target_year), metric, value, officer.supervisor)


def _todays_units(office: Office, target_year: int) -> list[tuple[Area, int]]:
    """The office's local units at the end of the year, with their participants (or their
    predecessors') on the eve of the year."""
    from ..progress import area_tree, office_scope, participants_through

    tree = area_tree()
    year_end = date(target_year, 12, 31)
    units = [
        i
        for i in office_scope(office).rows_in(tree, year(target_year))
        if tree.exists_on(i, year_end)
    ]
    starts = participants_through(date(target_year, 1, 1) - timedelta(days=1), units)
    return [(tree.areas[i], starts[i].value) for i in units if starts[i].value]
