"""Participants of areas on a date (official counts plus enrollments since) and the
participants_total targets measured against them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Area, Assignment, Enrollment, ParticipantCount
from ..periods import Period
from ..targets_math import compose_stock_target
from .flows import current_targets, flow_targets


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


AREA_TREE = "progress.area_tree"  # where the tree is kept in the session's info


def _area_tree() -> tuple[dict[int, Area], dict[int | None, list[int]]]:
    """Every area by id, and the children of each. Read once per transaction: a dashboard asks
    six times, and a country has 3,600 areas. Dropped when the transaction ends or a flush
    writes an area (_forget_area_tree)."""
    kept = db.session.info.get(AREA_TREE)
    if kept is not None:
        return kept
    areas = {area.id: area for area in db.session.scalars(select(Area))}
    children: dict[int | None, list[int]] = {}
    for area in areas.values():
        children.setdefault(area.parent_id, []).append(area.id)
    db.session.info[AREA_TREE] = areas, children
    return areas, children


@event.listens_for(Session, "after_transaction_end")
def _forget_area_tree_at_the_end(session: Session, _transaction) -> None:
    session.info.pop(AREA_TREE, None)


@event.listens_for(Session, "after_flush")
def _forget_area_tree(session: Session, _context) -> None:
    if any(isinstance(o, Area) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(AREA_TREE, None)


def descendants(area_id: int, children: dict[int | None, list[int]]) -> list[int]:
    """The area and everything below it."""
    result, stack = [], [area_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def participants_on(day: date, area_ids: Iterable[int] | None = None) -> dict[int, Participants]:
    """Participants of each area on `day`, by DESIGN.md's rule, in two queries (areas; counts
    with the enrollments since each, through a recursive closure of the area tree).

    An area with an official count on or before the day: that count plus the enrollments in the
    area (and below it) after the count, up to the day. Without one: the sum of its children.
    """
    areas, children = _area_tree()
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
    below = None
    if area_ids is not None:  # only the asked areas and what lies below them
        area_ids = list(area_ids)
        below = {
            a for area_id in area_ids if area_id in areas for a in descendants(area_id, children)
        }
    seed = select(Area.id.label("ancestor_id"), Area.id.label("area_id"))
    if below is not None:
        seed = seed.where(Area.id.in_(below))
    tree = seed.cte(recursive=True)
    tree = tree.union_all(
        select(tree.c.ancestor_id, Area.id).join(Area, Area.parent_id == tree.c.area_id)
    )
    counted = (
        select(
            latest.c.area_id,
            latest.c.as_of,
            latest.c.participants,
            func.count(Enrollment.id).label("added"),
        )
        .join(tree, tree.c.ancestor_id == latest.c.area_id)
        .outerjoin(
            Enrollment,
            (Enrollment.area_id == tree.c.area_id)
            & Enrollment.deleted_at.is_(None)
            & (Enrollment.enrolled_on > latest.c.as_of)
            & (Enrollment.enrolled_on <= day),
        )
        .where(latest.c.recency == 1)
        .group_by(latest.c.area_id, latest.c.as_of, latest.c.participants)
    )
    if below is not None:
        counted = counted.where(latest.c.area_id.in_(below))
    counts = {row.area_id: row for row in db.session.execute(counted)}
    result: dict[int, Participants] = {}

    def resolve(area_id: int) -> Participants:
        if area_id in result:
            return result[area_id]
        if area_id in counts:
            row = counts[area_id]
            value = Participants(
                area_id, day, row.participants + row.added, row.participants, row.as_of, row.added
            )
        else:
            parts = [resolve(child) for child in children.get(area_id, [])]
            known = [p for p in parts if p.value is not None]
            total = sum(p.value for p in known) if known else None
            added = sum(p.added_since for p in known)
            value = Participants(area_id, day, total, None, None, added)
        result[area_id] = value
        return value

    wanted = list(area_ids) if area_ids is not None else list(areas)
    return {area_id: resolve(area_id) for area_id in wanted if area_id in areas}


def stock_targets(period: Period, area_ids: Iterable[int] | None = None):
    """participants_total targets of areas for the period, interpolated where the period is
    shorter than the target's (growth spread pro rata from the target period's start)."""
    rows = current_targets("area", "participants_total", period, area_ids)
    starts = {t.period_start - timedelta(days=1) for targets in rows.values() for t in targets}
    baselines = {day: participants_on(day, rows.keys()) for day in starts}
    return {
        area_id: compose_stock_target(
            targets,
            period,
            lambda t, a=area_id: baselines[t.period_start - timedelta(days=1)][a].value,
        )
        for area_id, targets in rows.items()
    }


@dataclass(frozen=True)
class TargetGap:
    """Whether officers' targets add up to what an area's target asks for in a period."""

    area_id: int
    asked: float | None  # new participants the area's target asks for in the period
    officers: float  # the sum of the new_participants targets of officers based there

    @property
    def difference(self) -> float | None:
        return None if self.asked is None else self.officers - self.asked

    @property
    def matches(self) -> bool:
        return self.difference is not None and abs(self.difference) < 0.5


def target_gaps(period: Period, area_ids: Iterable[int]) -> dict[int, TargetGap]:
    """For each area: its own new_participants target, or else the growth its participants_total
    target asks for since the period began, beside the sum of the targets of the officers whose
    primary area lies in it. A constant number of queries."""
    area_ids = list(area_ids)
    _, children = _area_tree()
    officer_targets = flow_targets("officer", "new_participants", period)
    primary = dict(
        db.session.execute(
            select(Assignment.officer_id, Assignment.area_id).where(Assignment.is_primary)
        ).all()
    )
    own = flow_targets("area", "new_participants", period, area_ids)
    stock = stock_targets(period, area_ids)
    baselines = participants_on(period.start - timedelta(days=1), area_ids)
    gaps = {}
    for area_id in area_ids:
        subtree = set(descendants(area_id, children))
        officers = sum(
            value or 0
            for officer_id, value in officer_targets.items()
            if primary.get(officer_id) in subtree
        )
        asked = own.get(area_id)
        if asked is None and stock.get(area_id) is not None:
            baseline = baselines[area_id].value
            asked = stock[area_id] - baseline if baseline is not None else None
        gaps[area_id] = TargetGap(area_id, asked, officers)
    return gaps


def subtree_ids(area_id: int) -> list[int]:
    """The area and every area below it."""
    _areas, children = _area_tree()
    return descendants(area_id, children)
