"""Applying a plan in one transaction: units end and begin, successions are recorded, and
households, assignments, coverage and targets after the date move. Everything changed is written
into the reorganisation's `moves`, which is what undo reads back."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from ...extensions import db
from ...models import (
    Area,
    AreaSuccession,
    Assignment,
    Household,
    Reorganisation,
    Target,
    User,
    collection_org_areas,
    office_areas,
)
from .. import audit
from ..areas import existing_on
from .plan import LEVEL, Plan

CHUNK = 500


class ReorganisationError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def apply(
    actor: User | None, plan: Plan, source: str = "", note: str = "", commit: bool = True
) -> Reorganisation:
    """Write the plan; with commit=False the caller ends the transaction (a file of several
    dates is applied whole or not at all)."""
    if not plan.can_apply:
        raise ReorganisationError("has_problems")
    try:
        reorganisation = _apply(actor, plan, source.strip()[:200], note.strip())
        if commit:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return reorganisation


def _apply(actor, plan: Plan, source: str, note: str) -> Reorganisation:
    day = plan.effective_on
    moves: dict[str, list] = defaultdict(list)
    for area in plan.ends.values():  # first: the new units may take their codes
        area.valid_to = day
        moves["ended"].append(area.id)
    db.session.flush()
    units = _begin_units(plan, moves)
    reorganisation = Reorganisation(
        effective_on=day, source=source, note=note, applied_by_id=actor.id if actor else None
    )
    for old, new, share in plan.links:
        reorganisation.successions.append(
            AreaSuccession(
                predecessor_id=plan.ends[old].id,
                successor_id=units[new].id,
                effective_on=day,
                share=share,
            )
        )
    db.session.add(reorganisation)
    db.session.flush()
    successors = {
        plan.ends[old].id: [units[new].id for new, _share in _by_share(plan, old)]
        for old in plan.ends
    }
    _move_households(plan, units, moves)
    _move_assignments(successors, moves)
    _cover_successors(successors, moves)
    for office, code in plan.offices:
        db.session.execute(insert(office_areas).values(office_id=office.id, area_id=units[code].id))
        moves["office_areas_added"].append([office.id, units[code].id])
    _move_targets(actor, plan, units, moves)
    reorganisation.moves = dict(moves)
    audit.record(
        actor,
        "reorganise",
        "reorganisation",
        reorganisation.id,
        None,
        {
            "effective_on": day.isoformat(),
            "source": source,
            "ended": sorted(plan.ends),
            "begun": sorted(code for code, unit in plan.units.items() if unit.existing is None),
            "successions": len(plan.links),
            "households": len(plan.households),
            "assignments": plan.assignments,
        },
    )
    return reorganisation


def _by_share(plan: Plan, old_code: str) -> list[tuple[str, int]]:
    return sorted(plan.successors_of(old_code), key=lambda item: (-item[1], item[0]))


def _begin_units(plan: Plan, moves) -> dict[str, Area]:
    """The new units, parents first, and the units that take others in, by code."""
    units: dict[str, Area] = {}
    ordered = sorted(plan.units.values(), key=lambda unit: (LEVEL.get(unit.kind, 2), unit.code))
    for unit in ordered:
        if unit.existing is not None:
            units[unit.code] = unit.existing
            continue
        parent = units.get(unit.parent) or (
            db.session.scalar(
                select(Area).where(Area.code == unit.parent, *existing_on(plan.effective_on))
            )
            if unit.parent
            else None
        )
        area = Area(
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            parent_id=parent.id if parent else None,
            valid_from=plan.effective_on,
        )
        db.session.add(area)
        db.session.flush()
        units[unit.code] = area
        moves["created"].append(area.id)
    return units


def _move_households(plan: Plan, units: dict[str, Area], moves) -> None:
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for move in plan.households:
        groups[plan.ends[move.from_code].id, units[move.to_code].id].append(move.household_id)
    for (from_id, to_id), ids in sorted(groups.items()):
        for start in range(0, len(ids), CHUNK):
            db.session.execute(
                update(Household)
                .where(Household.id.in_(ids[start : start + CHUNK]))
                .values(area_id=to_id)
            )
        moves["households"].append({"from": from_id, "to": to_id, "ids": ids})


def _move_assignments(successors: dict[int, list[int]], moves) -> None:
    """An officer who covered an ending unit covers its successors: the assignment moves to the
    largest one, and the others are added; nobody is assigned twice to one unit."""
    ending = list(successors)
    rows = db.session.scalars(select(Assignment).where(Assignment.area_id.in_(ending))).all()
    officers = {row.officer_id for row in rows}
    held = {
        (a.officer_id, a.area_id): a
        for a in db.session.scalars(select(Assignment).where(Assignment.officer_id.in_(officers)))
    }
    for row in sorted(rows, key=lambda a: (a.officer_id, not a.is_primary, a.id)):
        first, *others = successors[row.area_id]
        if (row.officer_id, first) in held:
            kept = held[(row.officer_id, first)]
            moves["assignments_dropped"].append(
                {"officer_id": row.officer_id, "area_id": row.area_id, "is_primary": row.is_primary}
            )
            if row.is_primary and not kept.is_primary:
                moves["primary_set"].append(kept.id)
            primary = row.is_primary
            db.session.delete(row)
            db.session.flush()
            if primary and not kept.is_primary:
                kept.is_primary = True
        else:
            moves["assignments_moved"].append({"id": row.id, "from": row.area_id, "to": first})
            row.area_id = first
            held[(row.officer_id, first)] = row
        for area_id in others:
            if (row.officer_id, area_id) not in held:
                added = Assignment(officer_id=row.officer_id, area_id=area_id)
                db.session.add(added)
                db.session.flush()
                held[(row.officer_id, area_id)] = added
                moves["assignments_added"].append(added.id)
    db.session.flush()


def _cover_successors(successors: dict[int, list[int]], moves) -> None:
    """A collection organization that served an ending unit serves its successors."""
    pairs = db.session.execute(
        select(collection_org_areas).where(collection_org_areas.c.area_id.in_(list(successors)))
    ).all()
    existing = set(db.session.execute(select(collection_org_areas)).all())
    for org_id, area_id in pairs:
        for successor in successors[area_id]:
            if (org_id, successor) not in existing:
                db.session.execute(
                    insert(collection_org_areas).values(collection_org_id=org_id, area_id=successor)
                )
                existing.add((org_id, successor))
                moves["org_areas_added"].append([org_id, successor])


def _move_targets(actor, plan: Plan, units: dict[str, Area], moves) -> None:
    now = datetime.now(UTC)
    for target in plan.targets_withdrawn:
        target.replaced_at = now
        moves["targets_closed"].append(target.id)
    for target, code in plan.targets_carried:
        target.replaced_at = now
        moves["targets_closed"].append(target.id)
        db.session.flush()
        carried = Target(
            subject="area",
            area_id=units[code].id,
            metric=target.metric,
            scheme=target.scheme,  # a household health insurance target stays one
            period_start=target.period_start,
            period_end=target.period_end,
            value=target.value,
            exact_value=target.exact_value,
            set_by_id=actor.id if actor else target.set_by_id,
            set_at=now,
            note=target.note,
        )
        db.session.add(carried)
        db.session.flush()
        moves["targets_created"].append(carried.id)
