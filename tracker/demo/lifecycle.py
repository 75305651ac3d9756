"""The demo's participants over time: each one's payments, lapses and returns, built so that the
article's official counts are exactly the participants paying on their dates — 2,944 on
2022-12-31, 3,136 on 2023-12-31, 3,167 on 2024-03-26 (Kim Tân 462) — and so that between two
counts the new participants, returns and lapses add up to the difference.

Between 2022-12-31 and 2024-03-26 every participant is of one kind:
- steady: enrolled before 2023, paying throughout;
- joined in 2023: enrolled during 2023 (the year's new participants), paying on;
- lapsed in 2023: paying on 2022-12-31, lapsed during 2023;
- lapsed early 2024: paying on 2023-12-31, lapsed before 2024-03-27;
- the officers' own enrollments of early 2024, paying on.
Nobody returns in that window. After it, each payment is renewed on time or not by chance, and
some who lapse come back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..periods import add_months
from .data import CITY_COUNTS, LOCAL_AREAS

GRACE = 30  # the demo office keeps the default grace (services/settings.py)
RENEWS_ON_TIME = 0.88
COMES_BACK = 0.35
FIRST_COUNT, SECOND_COUNT, WARD_COUNT = (day for day, _value in CITY_COUNTS)
JOINED_IN_2023 = 430  # new participants of 2023; lapses of 2023 follow from the counts


@dataclass
class History:
    """One participant's payments: enrolled on a day for some months, then renewals."""

    enrolled_on: date
    months: int
    renewals: list[tuple[date, int, date, date]] = field(default_factory=list)
    # (renewed on, months, paid through before, paid through after)

    @property
    def paid_through(self) -> date:
        return self.renewals[-1][3] if self.renewals else _through(self.enrolled_on, self.months)


def _through(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


def _lapse_day(paid_through: date) -> date:
    return paid_through + timedelta(days=GRACE + 1)


def paying(
    rng: random.Random, enrolled_on: date, months: int, today: date, through: date
) -> History:
    """Renewed on time at least until `through`, then by chance until today."""
    history = History(enrolled_on, months)
    _renew(rng, history, today, through, None)
    return history


def lapsing(
    rng: random.Random,
    months: int,
    lapse_window: tuple[date, date],
    enrolled_by: date,
    today: date,
    back_after: date = WARD_COUNT,
) -> History:
    """Enrolled on or before `enrolled_by`, renewed on time, lapsed on a day of the window
    (both ends included) and not back before `back_after`; by chance after that."""
    first, last = lapse_window
    lapse_on = first + timedelta(days=rng.randrange((last - first).days + 1))
    paid_through = lapse_on - timedelta(days=GRACE + 1)
    ends = [paid_through]  # the ends of the spells, from the last one back
    while add_months(ends[-1] + timedelta(days=1), -months) > enrolled_by:
        ends.append(add_months(ends[-1] + timedelta(days=1), -months) - timedelta(days=1))
    for _extra in range(rng.randrange(0, 4)):  # some had paid for years already
        ends.append(add_months(ends[-1] + timedelta(days=1), -months) - timedelta(days=1))
    ends.reverse()
    enrolled_on = add_months(ends[0] + timedelta(days=1), -months)
    history = History(enrolled_on, months)
    for before, after in zip(ends, ends[1:], strict=False):
        renewed_on = before - timedelta(days=rng.randrange(0, 10))
        history.renewals.append((max(renewed_on, enrolled_on), months, before, after))
    _renew(rng, history, today, None, back_after)
    return history


def _renew(rng, history: History, today: date, on_time_until, no_return_before) -> None:
    """Each spell's end: renewed on time, or lapsed and perhaps back later, or gone. Every
    spell draws the same numbers whatever happens, so a later run replays the same life."""
    while True:
        renews, early, back, away = (
            rng.random(),
            rng.randrange(0, 10),
            rng.random(),
            rng.randrange(20, 300),
        )
        before = history.paid_through
        due = before + timedelta(days=1)
        forced = on_time_until is not None and before < on_time_until
        if forced or (renews < RENEWS_ON_TIME and no_return_before is None):
            renewed_on = due - timedelta(days=early)
            after = _through(due, history.months)
        elif back < COMES_BACK:
            renewed_on = max(_lapse_day(before), no_return_before or before) + timedelta(days=away)
            after = _through(renewed_on, history.months)
            no_return_before = None
        else:
            return  # lapsed for good
        if renewed_on > today:
            return  # not yet: still in grace, or lapsed and not back yet
        history.renewals.append((renewed_on, history.months, before, after))


@dataclass(frozen=True)
class Kinds:
    """How many participants of each kind a ward holds (module docstring)."""

    steady: int
    joined_2023: int
    lapsed_2023: int
    lapsed_2024: int


def kinds_by_ward(early_2024: dict[str, int]) -> dict[str, Kinds]:
    """The kinds per ward (old code) from the official counts and the officers' enrollments of
    early 2024 that are still paying on 2024-03-26 (`early_2024`, by ward)."""
    from ..targets_math import spread

    codes = [code for code, *_rest in LOCAL_AREAS]
    counted = {code: participants for code, *_rest, participants in LOCAL_AREAS}
    rest = {code: counted[code] - early_2024.get(code, 0) for code in codes}
    if min(rest.values()) < 0:
        raise ValueError("more early-2024 enrollments than participants in a ward")
    second = dict(CITY_COUNTS)[SECOND_COUNT]
    first = dict(CITY_COUNTS)[FIRST_COUNT]
    lapsing_2024 = second - sum(rest.values())  # paying on 2023-12-31, gone by 2024-03-26
    lapsing_2023 = JOINED_IN_2023 - (second - first)  # paying on 2022-12-31, gone in 2023
    weights = [rest[code] for code in codes]
    joined = dict(zip(codes, spread(JOINED_IN_2023, weights), strict=True))
    gone_2024 = dict(zip(codes, spread(lapsing_2024, weights), strict=True))
    gone_2023 = dict(zip(codes, spread(lapsing_2023, weights), strict=True))
    return {
        code: Kinds(rest[code] - joined[code], joined[code], gone_2023[code], gone_2024[code])
        for code in codes
    }
