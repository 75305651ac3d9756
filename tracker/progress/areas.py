"""The participants_total targets of areas, and whether officers' targets add up to them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ..data_versions import ENROLLMENTS, memoized
from ..extensions import db
from ..models import Assignment
from ..periods import Period
from ..targets_math import compose_stock_target
from .flows import current_targets, flow_targets
from .metrics import DEFAULT_SCHEME
from .participants import participants_through
from .tree import area_tree


@memoized(ENROLLMENTS)
def stock_targets(
    period: Period, area_ids: Iterable[int] | None = None, scheme: str = DEFAULT_SCHEME
):
    """participants_total targets of areas for the period, interpolated where the period is
    shorter than the target's (growth spread pro rata from the target period's start)."""
    rows = current_targets("area", "participants_total", period, area_ids, scheme=scheme)
    starts = {t.period_start - timedelta(days=1) for targets in rows.values() for t in targets}
    baselines = {day: participants_through(day, rows.keys(), scheme) for day in starts}
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


def target_gaps(
    period: Period, area_ids: Iterable[int], scheme: str = DEFAULT_SCHEME
) -> dict[int, TargetGap]:
    """For each area: its own new_participants target, or else the growth its participants_total
    target asks for since the period began, beside the sum of the targets of the officers whose
    primary area lies in it. A constant number of queries."""
    area_ids = list(area_ids)
    tree = area_tree()
    officer_targets = flow_targets("officer", "new_participants", period, scheme=scheme)
    primary = dict(
        db.session.execute(
            select(Assignment.officer_id, Assignment.area_id).where(Assignment.is_primary)
        ).all()
    )
    own = flow_targets("area", "new_participants", period, area_ids, scheme)
    stock = stock_targets(period, area_ids, scheme)
    baselines = participants_through(period.start - timedelta(days=1), area_ids, scheme)
    gaps = {}
    for area_id in area_ids:
        subtree = set(tree.descendants(area_id))
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
