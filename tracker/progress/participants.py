"""Participants of areas on a date: the official counts, the enrollments recorded since, and
across a reorganisation what the predecessors had (docs/design.md, "Progress rules" and "Areas
in time")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Area, Enrollment, ParticipantCount
from .sql import IN_LIST_LIMIT
from .tree import AreaTree, area_tree, ids_of


@dataclass(frozen=True)
class Participants:
    """An area's participants on a date: the official count plus enrollments recorded since."""

    area_id: int
    on: date
    value: int | None
    official: int | None = None
    official_as_of: date | None = None
    added_since: int = 0

    @property
    def is_estimate(self) -> bool:
        return self.value is not None and (self.official_as_of != self.on or self.added_since > 0)


def participants_on(day: date, area_ids: Iterable[int] | None = None) -> dict[int, Participants]:
    """Participants of each area on `day`, in a few queries whatever the number of areas: one
    for the official counts with the enrollments since each, and two per reorganisation day
    that began some of the areas.

    An area that does not exist on the day has none (None). One that does has
    - its latest official count on or before the day plus the enrollments recorded in it (and
      below it) since, unless a reorganisation changed the area after that count;
    - else, when a reorganisation on day S gave it predecessors: what they (and the area itself,
      if it went on) had on S - 1, by their shares, plus the enrollments in it since S;
    - else the sum of its children that exist on the day.
    """
    tree = area_tree()
    wanted = ids_of(tree, area_ids)
    below = {a for area_id in wanted for a in tree.descendants(area_id)}
    counts = _latest_counts(day, _listed(below) if area_ids is not None else None)
    begun: dict[date, list[int]] = {}  # reorganisation day → the areas it gave a start
    for area_id in below:
        since = _last_change(tree, area_id, day)
        row = counts.get(area_id)
        if since is not None and (row is None or row.as_of < since):
            counts.pop(area_id, None)
            begun.setdefault(since, []).append(area_id)
    starts = {}
    for since, ids in begun.items():
        starts.update(_starts(tree, ids, since, day))
    result: dict[int, Participants] = {}

    def resolve(area_id: int) -> Participants:
        if area_id in result:
            return result[area_id]
        if not tree.exists_on(area_id, day):
            value = Participants(area_id, day, None)
        elif area_id in counts:
            row = counts[area_id]
            value = Participants(
                area_id, day, row.participants + row.added, row.participants, row.as_of, row.added
            )
        elif area_id in starts:
            value = starts[area_id]
        else:
            parts = [resolve(child) for child in tree.children_on(area_id, day)]
            known = [p for p in parts if p.value is not None]
            total = sum(p.value for p in known) if known else None
            added = sum(p.added_since for p in known)
            value = Participants(area_id, day, total, None, None, added)
        result[area_id] = value
        return value

    return {area_id: resolve(area_id) for area_id in wanted}


def _starts(tree: AreaTree, ids: list[int], since: date, day: date) -> dict[int, Participants]:
    """Participants on `day` of areas a reorganisation on `since` began: their predecessors' on
    since - 1 by share, plus the enrollments in them from `since` to `day`. Areas none of whose
    predecessors had a known figure are left out (their children may tell)."""
    parts = {area_id: _baseline_parts(tree, area_id, since) for area_id in ids}
    sources = {source for found in parts.values() for source, _share in found}
    before = participants_on(since - timedelta(days=1), sources)
    added = _enrollments_between(_listed(set(ids)), since, day)
    result = {}
    for area_id, found in parts.items():
        known = [(share, before[s]) for s, share in found if before[s].value is not None]
        if not known:
            continue
        value = sum(share * p.value for share, p in known) + added.get(area_id, 0)
        carried = sum(share * p.added_since for share, p in known) + added.get(area_id, 0)
        result[area_id] = Participants(area_id, day, round(value), None, None, round(carried))
    return result


def _listed(ids: set[int]) -> set[int] | None:
    """The ids to filter on in SQL, or None (all) when the list is long: a country's 10,000
    bound parameters cost more than the rows they would leave out."""
    return ids if len(ids) <= IN_LIST_LIMIT else None


def _last_change(tree: AreaTree, area_id: int, day: date) -> date | None:
    """The latest reorganisation day, on or before `day`, that gave this area a predecessor."""
    days = [s.effective_on for s in tree.predecessors.get(area_id, []) if s.effective_on <= day]
    return max(days) if days else None


def _baseline_parts(tree: AreaTree, area_id: int, since: date) -> list[tuple[int, float]]:
    """(unit, share) whose participants on since - 1 make the area's start on `since`: its
    predecessors of that day, and itself when it went on (a merge into a unit that stays)."""
    parts = [(s.other, s.share) for s in tree.predecessors[area_id] if s.effective_on == since]
    if tree.exists_on(area_id, since - timedelta(days=1)):
        parts.append((area_id, 1.0))
    return parts


def _closure(ids: Iterable[int] | None):
    """(ancestor_id, area_id) for the given areas (or all) and everything below them."""
    seed = select(Area.id.label("ancestor_id"), Area.id.label("area_id"))
    if ids is not None:
        seed = seed.where(Area.id.in_(list(ids)))
    closure = seed.cte(recursive=True)
    return closure.union_all(
        select(closure.c.ancestor_id, Area.id).join(Area, Area.parent_id == closure.c.area_id)
    )


def _latest_counts(day: date, ids: set[int] | None) -> dict:
    """Each area's latest official count on or before the day, with the enrollments recorded
    in it and below it since: one query."""
    latest = (
        select(
            ParticipantCount.area_id,
            ParticipantCount.as_of,
            ParticipantCount.participants,
            func.row_number()
            .over(partition_by=ParticipantCount.area_id, order_by=ParticipantCount.as_of.desc())
            .label("recency"),
        )
        .where(ParticipantCount.as_of <= day)
        .subquery()
    )
    closure = _closure(ids)
    counted = (
        select(
            latest.c.area_id,
            latest.c.as_of,
            latest.c.participants,
            func.count(Enrollment.id).label("added"),
        )
        .join(closure, closure.c.ancestor_id == latest.c.area_id)
        .outerjoin(
            Enrollment,
            (Enrollment.area_id == closure.c.area_id)
            & Enrollment.deleted_at.is_(None)
            & (Enrollment.enrolled_on > latest.c.as_of)
            & (Enrollment.enrolled_on <= day),
        )
        .where(latest.c.recency == 1)
        .group_by(latest.c.area_id, latest.c.as_of, latest.c.participants)
    )
    if ids is not None:
        counted = counted.where(latest.c.area_id.in_(ids))
    return {row.area_id: row for row in db.session.execute(counted)}


def _enrollments_between(ids: set[int] | None, start: date, end: date) -> dict[int, int]:
    """Enrollments in each area and below it dated from start to end: one query."""
    closure = _closure(ids)
    query = (
        select(closure.c.ancestor_id, func.count(Enrollment.id))
        .join(Enrollment, Enrollment.area_id == closure.c.area_id)
        .where(Enrollment.deleted_at.is_(None), Enrollment.enrolled_on.between(start, end))
        .group_by(closure.c.ancestor_id)
    )
    return dict(db.session.execute(query).all())


def participants_through(day: date, area_ids: Iterable[int]) -> dict[int, Participants]:
    """Participants on `day` of units that may not have existed yet: a unit that did not is
    measured through the units it came from, by their shares (its frontier on that day)."""
    tree = area_tree()
    weights = {area_id: tree.frontier(area_id, day) for area_id in ids_of(tree, area_ids)}
    found = participants_on(day, {i for frontier in weights.values() for i in frontier})
    result = {}
    for area_id, frontier in weights.items():
        known = [(w, found[i]) for i, w in frontier.items() if found[i].value is not None]
        if frontier == {area_id: 1.0}:
            result[area_id] = found[area_id]
        elif known:
            value = round(sum(w * p.value for w, p in known))
            added = round(sum(w * p.added_since for w, p in known))
            result[area_id] = Participants(area_id, day, value, None, None, added)
        else:
            result[area_id] = Participants(area_id, day, None)
    return result
