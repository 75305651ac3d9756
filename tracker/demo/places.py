"""The demo's places: Lào Cai province from the official catalogue (the old units until
2025-06-30, today's after), the article's official counts, and the office that covers the old
city and, since the reorganisation, the units it became."""

from __future__ import annotations

from sqlalchemy import insert, select

from ..extensions import db
from ..models import Area, Office, ParticipantCount, office_areas
from ..services.reorganisation.catalogue import Catalogue, official_catalogue
from ..services.reorganisation.load import ensure_old_units
from .data import CITY, CITY_COUNTS, LOCAL_AREAS, OFFICE, OFFICIAL_SOURCE, PROVINCE


def get_or_add(model, key: dict, **values):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        return row, 1
    return row, 0


def catalogue() -> Catalogue:
    return official_catalogue(PROVINCE)


def old_units(counter: dict, the_catalogue: Catalogue) -> dict[str, Area]:
    """The units of 2008–2025 the province came from, by official code (added once)."""
    added = []
    units = ensure_old_units(the_catalogue, added)
    counter["areas"] += len(added)
    for code, households, working_age, _count in LOCAL_AREAS:
        area = units[code]
        area.households = area.households or households
        area.working_age_population = area.working_age_population or working_age
    city = units[CITY]
    city.households = city.households or sum(row[1] for row in LOCAL_AREAS)
    city.working_age_population = city.working_age_population or sum(row[2] for row in LOCAL_AREAS)
    return units


def counts(units: dict[str, Area], counter: dict) -> None:
    for as_of, participants in CITY_COUNTS:
        _, added = get_or_add(
            ParticipantCount,
            {"area_id": units[CITY].id, "as_of": as_of},
            participants=participants,
            source=OFFICIAL_SOURCE,
        )
        counter["participant counts"] += added
    for code, *_rest, participants in LOCAL_AREAS:
        _, added = get_or_add(
            ParticipantCount,
            {"area_id": units[code].id, "as_of": CITY_COUNTS[-1][0]},
            participants=participants,
            source=OFFICIAL_SOURCE,
        )
        counter["participant counts"] += added


def office(units: dict[str, Area], counter: dict) -> Office:
    """The office serving the old city: it covers the city, and the reorganisation hands it the
    units the city's wards became (services/reorganisation/plan.py, _offices)."""
    code, name = OFFICE
    found, added = get_or_add(Office, {"code": code}, name=name, active=True)
    counter["offices"] += added
    if added:
        db.session.execute(insert(office_areas).values(office_id=found.id, area_id=units[CITY].id))
    return found


def carry_sizes(units: dict[str, Area]) -> None:
    """Today's units know their households and working-age population as the sum of what
    their predecessors had, by share (coverage per 1,000 needs one)."""
    from ..progress import area_tree

    tree = area_tree()
    successors = {s for area in units.values() for s in tree.current_successors(area.id)}
    for area_id in successors:
        area = tree.areas[area_id]
        if not area.is_local:
            continue
        sources = {i: w for i, w in tree.lineage(area_id).items() if i != area_id}
        for name in ("households", "working_age_population"):
            total = sum(w * (getattr(tree.areas[i], name) or 0) for i, w in sources.items())
            if getattr(area, name) is None and total:
                setattr(area, name, round(total))
