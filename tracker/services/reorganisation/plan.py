"""Judging a reorganisation's rows together, before anything is written: which units end, which
begin (or absorb others and go on), the successions and their shares, and what would move with
them — households, officers' assignments, offices' coverage, open follow-ups, targets after the
date. Every problem is reported against its row; a plan with problems cannot be applied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ...collation import in_order
from ...dates import local_today
from ...extensions import db
from ...models import Area, Assignment, Household, Office, Target, office_areas
from ...vocab import LOCAL_AREA_KINDS
from ..areas import ALLOWED_PARENTS, ALLOWED_PARENTS_SINCE_2025, DISTRICTS_ABOLISHED, existing_on
from .addresses import propose_successor
from .mapping import FULL_SHARE, MappingRow, Problem

# Kinds from the top of the tree down: new parents are created before their children.
LEVEL = {"province": 0, "district": 1, "city": 1, "town": 1}


@dataclass
class NewUnit:
    """A unit that begins on the date, or (existing) one that takes in others and goes on."""

    code: str
    name: str
    kind: str
    parent: str
    lines: list[int] = field(default_factory=list)
    existing: Area | None = None


@dataclass
class HouseholdMove:
    household_id: int
    head_name: str
    address: str
    from_code: str
    to_code: str
    options: list[str]  # the successors it may go to (more than one in a split)
    reason: str  # only, address, official, largest_share, chosen


@dataclass
class Plan:
    effective_on: date | None
    rows: list[MappingRow]
    ends: dict[str, Area] = field(default_factory=dict)
    units: dict[str, NewUnit] = field(default_factory=dict)
    links: list[tuple[str, str, int]] = field(default_factory=list)  # old, new, basis points
    households: list[HouseholdMove] = field(default_factory=list)
    assignments: int = 0
    follow_ups: int = 0
    targets_carried: list[tuple[Target, str]] = field(default_factory=list)
    targets_withdrawn: list[Target] = field(default_factory=list)
    offices: list[tuple[Office, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.rows)

    def successors_of(self, old_code: str) -> list[tuple[str, int]]:
        return [(new, share) for old, new, share in self.links if old == old_code]

    def predecessors_of(self, new_code: str) -> list[tuple[str, int]]:
        return [(old, share) for old, new, share in self.links if new == new_code]

    def old_name(self, old_code: str) -> str:
        """The name of a unit that ends, for the preview; a code no unit bore on the eve (its
        row has a problem, and the preview still shows what the rows say) as it was typed."""
        found = self.ends.get(old_code)
        return found.name if found is not None else old_code

    @property
    def dissolved(self) -> list[str]:
        return [code for code in self.ends if not self.successors_of(code)]


def build_plan(rows: list[MappingRow], choices: dict[int, str] | None = None) -> Plan:
    """The plan of one reorganisation (all rows share one effective date). `choices` assigns
    households of split units to a successor by code, over the proposals."""
    days = {row.effective_on for row in rows}
    plan = Plan(days.pop() if len(days) == 1 else None, rows)
    if not rows:
        plan.problems.append(Problem(1, "old_code", "nothing_to_do"))
        return plan
    if plan.effective_on is None:
        plan.problems.extend(Problem(r.line, "effective_date", "one_date") for r in rows)
        return plan
    if plan.effective_on > local_today():
        plan.problems.append(Problem(rows[0].line, "effective_date", "in_the_future"))
        return plan
    _old_units(plan)
    _new_units(plan)
    _links(plan)
    _parents(plan)
    _left_behind(plan)
    if not plan.problems:
        _households(plan, choices or {})
        _assignments_and_targets(plan)
        _offices(plan)
    return plan


def _old_units(plan: Plan) -> None:
    eve = plan.effective_on - timedelta(days=1)
    for row in plan.rows:
        if not row.old_code or row.old_code in plan.ends:
            continue
        area = db.session.scalar(select(Area).where(Area.code == row.old_code, *existing_on(eve)))
        if area is None:
            plan.problems.append(
                Problem(row.line, "old_code", "unknown_code", {"code": row.old_code})
            )
        elif area.valid_to is not None:
            code = "already_ends" if area.valid_to == plan.effective_on else "ends_before"
            plan.problems.append(Problem(row.line, "old_code", code, {"code": row.old_code}))
        else:
            plan.ends[row.old_code] = area


def _new_units(plan: Plan) -> None:
    for row in plan.rows:
        if not row.new_code:
            continue
        unit = plan.units.get(row.new_code)
        if unit is None:
            unit = NewUnit(row.new_code, row.new_name, row.kind, row.parent)
            plan.units[row.new_code] = unit
        elif row.new_name and (unit.name, unit.kind, unit.parent) != (
            row.new_name,
            row.kind,
            row.parent,
        ):
            plan.problems.append(
                Problem(row.line, "new_name", "rows_disagree", {"code": unit.code})
            )
        unit.lines.append(row.line)
    day = plan.effective_on
    for unit in plan.units.values():
        line = unit.lines[0]
        current = db.session.scalar(
            select(Area).where(Area.code == unit.code, Area.valid_to.is_(None))
        )
        going_on = current is not None and unit.code not in plan.ends
        if not unit.name:  # into a unit that exists and goes on
            if unit.code in plan.ends:
                plan.problems.append(Problem(line, "new_name", "name_missing"))
            elif going_on and current.exists_on(day):
                unit.existing, unit.name, unit.kind = current, current.name, current.kind
            else:
                known = db.session.scalar(select(Area.id).where(Area.code == unit.code).limit(1))
                code = "merge_into_ended" if known is not None else "unknown_code"
                plan.problems.append(Problem(line, "new_code", code, {"code": unit.code}))
        elif going_on:
            plan.problems.append(Problem(line, "new_code", "code_taken", {"name": current.name}))
        elif not unit.kind:
            plan.problems.append(Problem(line, "kind", "kind_missing"))


def _links(plan: Plan) -> None:
    shares: dict[str, int] = defaultdict(int)
    seen = set()
    for row in plan.rows:
        if not row.old_code or not row.new_code:
            continue
        if (row.old_code, row.new_code) in seen:
            plan.problems.append(Problem(row.line, "new_code", "duplicate_row"))
            continue
        seen.add((row.old_code, row.new_code))
        plan.links.append((row.old_code, row.new_code, row.share))
        shares[row.old_code] += row.share
    for row in plan.rows:
        if not row.old_code:
            continue
        dissolving = not row.new_code
        if dissolving and shares.get(row.old_code):
            plan.problems.append(Problem(row.line, "new_code", "dissolved_and_mapped"))
        elif not dissolving and shares[row.old_code] != FULL_SHARE:
            total = shares[row.old_code] / 100
            plan.problems.append(Problem(row.line, "share", "shares_not_100", {"total": total}))


def _parents(plan: Plan) -> None:
    """Each new unit's parent: another new unit of the plan, or a unit that exists on the date
    and does not end; of an allowed kind; no cycle among the new units."""
    day = plan.effective_on
    for unit in plan.units.values():
        if unit.existing is not None or unit.kind not in ALLOWED_PARENTS:
            continue  # goes on as it is, or already reported (no kind)
        line = unit.lines[0]
        allowed = ALLOWED_PARENTS[unit.kind]
        if day >= DISTRICTS_ABOLISHED:
            allowed = allowed + ALLOWED_PARENTS_SINCE_2025.get(unit.kind, ())
        if not unit.parent:
            if None not in allowed:
                plan.problems.append(Problem(line, "parent", "wrong_parent"))
            continue
        if unit.parent in plan.units and plan.units[unit.parent].existing is None:
            parent_kind = plan.units[unit.parent].kind
        else:
            parent = db.session.scalar(
                select(Area).where(Area.code == unit.parent, *existing_on(day))
            )
            if parent is None or unit.parent in plan.ends:
                code = "parent_ends" if unit.parent in plan.ends else "unknown_parent"
                plan.problems.append(Problem(line, "parent", code, {"code": unit.parent}))
                continue
            parent_kind = parent.kind
        if parent_kind not in allowed:
            plan.problems.append(Problem(line, "parent", "wrong_parent"))
    for unit in plan.units.values():
        seen, current = set(), unit.parent
        while current in plan.units and current not in seen:
            seen.add(current)
            if current == unit.code:
                plan.problems.append(Problem(unit.lines[0], "parent", "cycle"))
                break
            current = plan.units[current].parent


def _left_behind(plan: Plan) -> None:
    """Nothing may be left under a unit that ends, and a unit dissolved without a successor
    may not hold households."""
    ending_ids = {area.id for area in plan.ends.values()}
    for row in plan.rows:
        area = plan.ends.get(row.old_code)
        if area is None or row.line != _first_line(plan, row.old_code):
            continue
        staying = db.session.scalars(
            select(Area.name).where(
                Area.parent_id == area.id, Area.valid_to.is_(None), Area.id.not_in(ending_ids)
            )
        ).all()
        if staying:
            names = ", ".join(sorted(staying)[:5])
            plan.problems.append(Problem(row.line, "old_code", "children_left", {"names": names}))
        if not plan.successors_of(row.old_code):
            held = db.session.scalar(
                select(func.count()).select_from(Household).where(Household.area_id == area.id)
            )
            if held:
                plan.problems.append(
                    Problem(row.line, "new_code", "dissolved_with_households", {"count": held})
                )


def _first_line(plan: Plan, old_code: str) -> int:
    return next(row.line for row in plan.rows if row.old_code == old_code)


def _households(plan: Plan, choices: dict[int, str]) -> None:
    """Every household of an ending ward goes to its successor; in a split, to the one chosen,
    else the one its address names, else the official default, else the largest share."""
    today = local_today()
    for old_code, area in plan.ends.items():
        if area.kind not in LOCAL_AREA_KINDS:
            continue
        successors = sorted(plan.successors_of(old_code), key=lambda item: -item[1])
        if not successors:
            continue
        options = [code for code, _share in successors]
        names = {code: plan.units[code].name for code in options}
        rows = db.session.execute(
            select(
                Household.id, Household.head_name, Household.address, Household.next_follow_up_on
            )
            .where(Household.area_id == area.id)
            .order_by(in_order(Household.head_name), Household.id)
        )
        for household_id, head_name, address, follow_up in rows:
            if len(options) == 1:
                to_code, reason = options[0], "only"
            elif choices.get(household_id) in options:
                to_code, reason = choices[household_id], "chosen"
            else:
                to_code, reason = propose_successor(area, address or "", names, options[0])
            plan.households.append(
                HouseholdMove(
                    household_id, head_name, address or "", old_code, to_code, options, reason
                )
            )
            if follow_up is not None and follow_up >= today:
                plan.follow_ups += 1


def _assignments_and_targets(plan: Plan) -> None:
    ids = [area.id for area in plan.ends.values()]
    plan.assignments = db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.area_id.in_(ids))
    )
    code_of = {area.id: code for code, area in plan.ends.items()}
    reaching = db.session.scalars(
        select(Target).where(
            Target.area_id.in_(ids),
            Target.replaced_at.is_(None),
            Target.period_start >= plan.effective_on,
        )
    )
    for target in reaching:
        old_code = code_of[target.area_id]
        successors = plan.successors_of(old_code)
        whole = len(successors) == 1 and successors[0][1] == FULL_SHARE
        if whole and len(plan.predecessors_of(successors[0][0])) == 1:
            plan.targets_carried.append((target, successors[0][0]))  # a rename or a re-parent
        else:
            plan.targets_withdrawn.append(target)


def _offices(plan: Plan) -> None:
    """An office takes in a new unit when most of the unit's predecessors were its own (it
    covered them, or something above them)."""
    covered_by: dict[int, set[int]] = defaultdict(set)
    for office_id, area_id in db.session.execute(select(office_areas)):
        covered_by[area_id].add(office_id)
    offices = {office.id: office for office in db.session.scalars(select(Office))}

    def owners(area: Area | None) -> set[int]:
        found = set()
        while area is not None:
            found |= covered_by.get(area.id, set())
            area = area.parent
        return found

    for code, unit in plan.units.items():
        predecessors = [plan.ends[old] for old, _share in plan.predecessors_of(code)]
        if not predecessors:
            continue
        votes: dict[int, int] = defaultdict(int)
        for area in predecessors:
            for office_id in owners(area):
                votes[office_id] += 1
        already = owners(unit.existing) if unit.existing is not None else set()
        for office_id, count in sorted(votes.items()):
            if count * 2 > len(predecessors) and office_id not in already:
                plan.offices.append((offices[office_id], code))
