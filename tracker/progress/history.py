"""Participants year by year, for charts that reach back before a unit existed: an office
through the areas it covered on each day, a unit of today through its predecessors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..data_versions import ENROLLMENTS, memoized
from ..extensions import db
from ..models import ParticipantCount
from .metrics import DEFAULT_SCHEME
from .participants import participants_on
from .scopes import Scope
from .tree import area_tree


@dataclass(frozen=True)
class Point:
    day: date
    value: int
    estimate: bool


@memoized(ENROLLMENTS)
def participants_history(scope: Scope, today: date, scheme: str = DEFAULT_SCHEME) -> list[Point]:
    """The scope's participants on each day an official count of what it covered (or what that
    came from) was published, then an estimate at each later year's end and today."""
    tree = area_tree()

    def weights_on(day: date) -> dict[int, float]:
        if scope.is_office:
            return dict.fromkeys(scope.areas_on(tree, day), 1.0)
        return tree.frontier(scope.id, day)

    sources = {
        below
        for area_id in scope.covered
        for source in tree.lineage(area_id)
        for below in tree.descendants(source)
    }
    count_days = sorted(
        set(
            db.session.scalars(
                select(ParticipantCount.as_of)
                .where(
                    ParticipantCount.area_id.in_(sources),
                    ParticipantCount.as_of <= today,
                    ParticipantCount.scheme == scheme,
                )
                .distinct()
            )
        )
    )
    points = [point for day in count_days if (point := _point(weights_on(day), day, scheme))]
    last = count_days[-1] if count_days else date(today.year - 1, 12, 31)
    later = [date(y, 12, 31) for y in range(last.year, today.year) if date(y, 12, 31) > last]
    for day in [*later, today]:
        point = _point(weights_on(day), day, scheme)
        if point is not None and (not points or points[-1].day != day):
            points.append(point)
    return points


def _point(weights: dict[int, float], day: date, scheme: str) -> Point | None:
    if not weights:
        return None
    found = participants_on(day, weights, scheme)
    known = [(w, found[i]) for i, w in weights.items() if found[i].value is not None]
    if not known:
        return None
    value = round(sum(w * p.value for w, p in known))
    return Point(day, value, any(p.is_estimate for _w, p in known) or len(known) < len(weights))
