"""The area tree in time, read once per transaction: every area (past and present), the children
of each, and the successions between them. A dashboard asks for it several times and a country
has some 14,000 units in both systems, so it is kept in the session's info and dropped when the
transaction ends or a flush writes an area or a succession."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collation import sort_key
from ..extensions import db
from ..models import Area, AreaSuccession
from ..periods import Period

KEPT = "progress.area_tree"


@dataclass(frozen=True)
class Succession:
    other: int  # the predecessor (in `predecessors`) or the successor (in `successors`)
    share: float  # of the predecessor, 0 to 1
    effective_on: date


@dataclass
class AreaTree:
    areas: dict[int, Area]
    children: dict[int | None, list[int]]
    predecessors: dict[int, list[Succession]] = field(default_factory=dict)
    successors: dict[int, list[Succession]] = field(default_factory=dict)

    def exists_on(self, area_id: int, day: date) -> bool:
        return self.areas[area_id].exists_on(day)

    def overlaps(self, area_id: int, period: Period) -> bool:
        return self.areas[area_id].overlaps(period.start, period.end)

    def descendants(self, area_id: int) -> list[int]:
        """The area and everything below it, in every period: records made in Kim Tân in 2024
        belong to the old city."""
        return descendants(area_id, self.children)

    def children_on(self, area_id: int, day: date) -> list[int]:
        return [c for c in self.children.get(area_id, []) if self.exists_on(c, day)]

    def children_in(self, area_id: int, period: Period) -> list[int]:
        return [c for c in self.children.get(area_id, []) if self.overlaps(c, period)]

    def last_day_in(self, area_id: int, period: Period) -> date:
        """The period's last day on which the area exists (it may have ended before)."""
        valid_to = self.areas[area_id].valid_to
        end = period.end if valid_to is None else min(period.end, valid_to - timedelta(days=1))
        return max(end, period.start)

    def lineage(self, area_id: int) -> dict[int, float]:
        """The area and every unit it descends from by succession, each with the part of it
        that ended up here (a product of shares along the way, summed over paths)."""
        weights: dict[int, float] = {}

        def walk(current: int, weight: float) -> None:
            weights[current] = weights.get(current, 0.0) + weight
            for step in self.predecessors.get(current, []):
                walk(step.other, weight * step.share)

        walk(area_id, 1.0)
        return weights

    def frontier(self, area_id: int, day: date) -> dict[int, float]:
        """The units through which this one existed on `day`, with their shares: itself if it
        existed then, else its predecessors (or theirs, further back) that did."""
        found: dict[int, float] = {}

        def walk(current: int, weight: float) -> None:
            if self.exists_on(current, day):
                found[current] = found.get(current, 0.0) + weight
                return
            for step in self.predecessors.get(current, []):
                if step.effective_on > day:
                    walk(step.other, weight * step.share)

        walk(area_id, 1.0)
        return found

    def current_successors(self, area_id: int) -> Iterator[int]:
        """The units that exist today and descend from this one (itself, if it still exists)."""
        if self.areas[area_id].valid_to is None:
            yield area_id
            return
        for step in self.successors.get(area_id, []):
            yield from self.current_successors(step.other)


def descendants(area_id: int, children: dict[int | None, list[int]]) -> list[int]:
    """The area and everything below it."""
    result, stack = [], [area_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def area_tree() -> AreaTree:
    kept = db.session.info.get(KEPT)
    if kept is not None:
        return kept
    areas = {area.id: area for area in db.session.scalars(select(Area))}
    children: dict[int | None, list[int]] = {}
    for area in sorted(areas.values(), key=lambda a: (sort_key(a.name), a.id)):
        children.setdefault(area.parent_id, []).append(area.id)
    tree = AreaTree(areas, children)
    rows = db.session.execute(
        select(
            AreaSuccession.predecessor_id,
            AreaSuccession.successor_id,
            AreaSuccession.share,
            AreaSuccession.effective_on,
        )
    )
    for predecessor, successor, share, effective_on in rows:
        tree.predecessors.setdefault(successor, []).append(
            Succession(predecessor, share / 10_000, effective_on)
        )
        tree.successors.setdefault(predecessor, []).append(
            Succession(successor, share / 10_000, effective_on)
        )
    db.session.info[KEPT] = tree
    return tree


def ids_of(tree: AreaTree, area_ids: Iterable[int] | None) -> list[int]:
    return list(tree.areas) if area_ids is None else [i for i in area_ids if i in tree.areas]


def forget_at_the_end(session: Session, _transaction) -> None:
    """Registered by progress.init_app: the tree lives as long as a transaction."""
    session.info.pop(KEPT, None)


def forget_after_area_writes(session: Session, _context) -> None:
    """Registered by progress.init_app: a flush that writes an area drops the kept tree."""
    if any(
        isinstance(o, Area | AreaSuccession)
        for o in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(KEPT, None)
