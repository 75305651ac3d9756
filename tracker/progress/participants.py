"""Participants of areas on a date: the newest official counts, moved since by new
participants, returns and lapses, and across a reorganisation what the predecessors had
(docs/design.md, "Progress rules", "Areas in time" and "Schemes, lapses and net growth")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..data_versions import ENROLLMENTS, memoized
from ..dates import local_today
from ..extensions import db
from ..models import ActivitySummary, Enrollment, ParticipantCount
from ..periods import add_months
from . import lapse_book
from .lifecycle import lapse_events, return_events
from .metrics import DEFAULT_SCHEME, metric
from .sql import IN_LIST_LIMIT
from .tree import AreaTree, area_tree, ids_of


@dataclass(frozen=True)
class Participants:
    """An area's participants on a date: an official count and what moved since."""

    area_id: int
    on: date
    value: int | None
    official: int | None = None
    official_as_of: date | None = None
    added_since: int = 0  # net: new participants and returns, less lapses

    @property
    def is_estimate(self) -> bool:
        return self.value is not None and (self.official_as_of != self.on or self.added_since != 0)


@memoized(ENROLLMENTS)
def participants_on(
    day: date, area_ids: Iterable[int] | None = None, scheme: str = DEFAULT_SCHEME
) -> dict[int, Participants]:
    """Participants of each area on `day` in a scheme, in a few queries whatever the number of
    areas: one for the official counts, and one per distinct day a count or a reorganisation
    starts from (the lifecycle's new participants, returns and lapses, in the area and below
    it).

    An area that does not exist on the day has none (None). One that does has
    - its latest official count on or before the day, moved by what happened in it (and below
      it) since — unless a reorganisation changed the area after that count, or its children
      were all counted more recently (the newest official data wins);
    - else, when a reorganisation on day S gave it predecessors: what they (and the area itself,
      if it went on) had on S - 1, by their shares, moved by what happened in it since S;
    - else the sum of its children that exist on the day.
    """
    tree = area_tree()
    wanted = ids_of(tree, area_ids)
    below = {a for area_id in wanted for a in tree.descendants(area_id)}
    counts = _latest_counts(day, _listed(below) if area_ids is not None else None, scheme)
    begun: dict[date, list[int]] = defaultdict(list)  # reorganisation day → areas it started
    counted: dict[date, list[int]] = defaultdict(list)  # count day → areas counted then
    for area_id in below:
        since = _last_change(tree, area_id, day)
        row = counts.get(area_id)
        if since is not None and (row is None or row[0] < since):
            counts.pop(area_id, None)
            begun[since].append(area_id)
        elif row is not None:
            counted[row[0]].append(area_id)
    moved = {}
    for as_of, ids in counted.items():
        moved.update(_net_between(ids, as_of + timedelta(days=1), day, scheme))
    starts = {}
    for since, ids in begun.items():
        starts.update(_starts(tree, ids, since, day, scheme))
    result: dict[int, Participants] = {}

    def resolve(area_id: int) -> Participants:
        if area_id in result:
            return result[area_id]
        children = tree.children_on(area_id, day)
        if not tree.exists_on(area_id, day):
            value = Participants(area_id, day, None)
        elif area_id in counts and not _children_newer(counts, area_id, children):
            as_of, official = counts[area_id]
            added = moved.get(area_id, 0)
            value = Participants(area_id, day, official + added, official, as_of, added)
        elif area_id in starts:
            value = starts[area_id]
        else:
            parts = [resolve(child) for child in children]
            known = [p for p in parts if p.value is not None]
            total = sum(p.value for p in known) if known else None
            added = sum(p.added_since for p in known)
            value = Participants(area_id, day, total, None, None, added)
        result[area_id] = value
        return value

    return {area_id: resolve(area_id) for area_id in wanted}


def _children_newer(counts: dict, area_id: int, children: list[int]) -> bool:
    """Whether every child that exists was counted after the area itself was: their newer
    official data then makes the area's figure."""
    own = counts[area_id][0]
    return bool(children) and all(c in counts and counts[c][0] > own for c in children)


def participants_through(
    day: date, area_ids: Iterable[int], scheme: str = DEFAULT_SCHEME
) -> dict[int, Participants]:
    """Participants on `day` of units that may not have existed yet: a unit that did not is
    measured through the units it came from, by their shares (its frontier on that day)."""
    tree = area_tree()
    weights = {area_id: tree.frontier(area_id, day) for area_id in ids_of(tree, area_ids)}
    found = participants_on(day, {i for frontier in weights.values() for i in frontier}, scheme)
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


def _starts(tree: AreaTree, ids: list[int], since: date, day: date, scheme: str):
    """Participants on `day` of areas a reorganisation on `since` began: their predecessors' on
    since - 1 by share, moved by what happened in them from `since` to `day`. Areas none of
    whose predecessors had a known figure are left out (their children may tell)."""
    parts = {area_id: _baseline_parts(tree, area_id, since) for area_id in ids}
    sources = {source for found in parts.values() for source, _share in found}
    before = participants_on(since - timedelta(days=1), sources, scheme)
    moved = _net_between(ids, since, day, scheme)
    result = {}
    for area_id, found in parts.items():
        known = [(share, before[s]) for s, share in found if before[s].value is not None]
        if not known:
            continue
        value = sum(share * p.value for share, p in known) + moved.get(area_id, 0)
        carried = sum(share * p.added_since for share, p in known) + moved.get(area_id, 0)
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


def _latest_counts(day: date, ids: set[int] | None, scheme: str) -> dict[int, tuple]:
    """{area id: (as_of, participants)}: each area's latest official count on or before the
    day, in one query."""
    latest = (
        select(
            ParticipantCount.area_id,
            ParticipantCount.as_of,
            ParticipantCount.participants,
            func.row_number()
            .over(partition_by=ParticipantCount.area_id, order_by=ParticipantCount.as_of.desc())
            .label("recency"),
        )
        .where(ParticipantCount.as_of <= day, ParticipantCount.scheme == scheme)
        .subquery()
    )
    query = select(latest.c.area_id, latest.c.as_of, latest.c.participants).where(
        latest.c.recency == 1
    )
    if ids is not None:
        query = query.where(latest.c.area_id.in_(ids))
    return {area_id: (as_of, value) for area_id, as_of, value in db.session.execute(query)}


def _net_between(ids: list[int], start: date, end: date, scheme: str) -> dict[int, int]:
    """{area: new participants + returns − lapses dated from start to end} in each area and
    below it: the whole months booked in the kept counts (progress/lapse_book.py) read from
    activity_summaries, the days before and after them (part of a month, the days not booked
    yet) counted from the lifecycle's events (progress/lifecycle.py). Each is one query grouped
    by area; the sums below each area are made from the cached area tree, not by joining a
    recursive closure (which SQLite ran once per summary row: 350 ms on the province)."""
    if end < start:
        return {}
    tree = area_tree()
    below = {area_id: tree.descendants(area_id) for area_id in ids}
    listed = _listed({a for found in below.values() for a in found})
    own: dict[int, int] = defaultdict(int)  # area → its own records' net movement
    kept = _kept_months(start, end)
    live = [(start, end)]
    if kept is not None:
        first, last = kept
        live = [
            (a, b)
            for a, b in ((start, first - timedelta(days=1)), (last + timedelta(days=1), end))
            if a <= b
        ]
        S = ActivitySummary
        net = sum(
            sign * getattr(S, metric(code, scheme).kept)
            for code, sign in metric("net_growth", scheme).parts
        )
        query = (
            select(S.subject_id, func.sum(net))
            .where(S.subject == "area", S.kind == "month", S.period_start.between(first, last))
            .group_by(S.subject_id)
        )
        if listed is not None:
            query = query.where(S.subject_id.in_(listed))
        for area_id, total in db.session.execute(query):
            own[area_id] += int(total or 0)
    for a, b in live:
        for area_id, change in _live_net(scheme, a, b, listed):
            own[area_id] += change
    return {area_id: sum(own.get(a, 0) for a in found) for area_id, found in below.items()}


def _live_net(scheme: str, start: date, end: date, listed: set[int] | None):
    """(area, change) of the new participants, returns and lapses from start to end, one
    grouped statement each: in one UNION, SQLite read the new participants of a few days by
    scanning every enrollment; alone, and by area, they come from the index starting with the
    area. The events are searched by day (progress/lifecycle.py)."""
    today = local_today()
    new = (
        select(Enrollment.area_id, func.count())
        .where(
            Enrollment.deleted_at.is_(None),
            Enrollment.scheme == scheme,
            Enrollment.enrolled_on.between(start, end),
        )
        .group_by(Enrollment.area_id)
    )
    if listed is not None:
        new = new.where(Enrollment.area_id.in_(listed))
    parts = [(new, 1)]
    for events, sign in (
        (return_events(scheme, start, end), 1),
        (lapse_events(scheme, today, start, end), -1),
    ):
        # Not filtered by area: SQLite would push the list into the events and search them
        # by area instead of by day (their rows of other areas are left out below).
        parts.append((select(events.c.area_id, func.count()).group_by(events.c.area_id), sign))
    for query, sign in parts:
        for area_id, count in db.session.execute(query):
            yield area_id, sign * count


def _kept_months(start: date, end: date) -> tuple[date, date] | None:
    """(first day, last day) of the whole calendar months from start to end whose returns and
    lapses are all booked, or None when there are none."""
    through = lapse_book.kept_through()
    if through is None:
        return None
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    last = min(end, through)
    after = last + timedelta(days=1)
    if after.day != 1:  # not a month's last day: stop at the end of the month before
        last = last.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None
