"""Reorganisations of areas as data (docs/design.md, "Areas in time"): merges, splits, renames
and re-parents, one effective date each, previewed, applied in one audited transaction, undone
while nothing was logged in their successors since the date.

- mapping: the rows (old code, new code, new name, kind, parent, effective date, share)
- plan: judging rows together and what would move
- addresses: where a household of a split unit goes
- apply / undo: writing, and unwriting
- catalogue: a province's units and its 2025 reorganisation from the official packages
"""

from __future__ import annotations

from itertools import groupby

from ...models import Reorganisation, User
from .apply import ReorganisationError, apply
from .mapping import MappingError, MappingRow, Problem, read_rows, table_cells, to_csv
from .plan import HouseholdMove, Plan, build_plan
from .undo import undo, why_not_undoable


def by_date(rows: list[MappingRow]) -> list[list[MappingRow]]:
    """The rows of each effective date, earliest first: a file may hold several."""
    ordered = sorted(rows, key=lambda row: (row.effective_on, row.line))
    return [list(group) for _day, group in groupby(ordered, key=lambda row: row.effective_on)]


def apply_all(actor: User | None, rows: list[MappingRow], source: str = "") -> list[Plan]:
    """Plan and apply every date of a file in order, in one transaction: the later dates see
    the units the earlier ones began. Returns the plans; nothing is written if one of them has
    problems (the caller shows them)."""
    from ...extensions import db

    plans = []
    try:
        for rows_of_day in by_date(rows):
            plan = build_plan(rows_of_day)
            plans.append(plan)
            if not plan.can_apply:
                db.session.rollback()
                return plans
            apply(actor, plan, source, commit=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plans


__all__ = [
    "HouseholdMove",
    "MappingError",
    "MappingRow",
    "Plan",
    "Problem",
    "Reorganisation",
    "ReorganisationError",
    "apply",
    "apply_all",
    "build_plan",
    "by_date",
    "read_rows",
    "table_cells",
    "to_csv",
    "undo",
    "why_not_undoable",
]
