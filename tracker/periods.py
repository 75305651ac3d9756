"""Periods: a year `2024`, a quarter `2024-Q1`, a month `2024-03`, or explicit from/to dates.

Both ends are inclusive. Day counting lives here so every module counts days the same way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
MIN_YEAR, MAX_YEAR = 2000, 2100
# A custom period is drawn day by day (burn-up, calendar): 3,000 years made a 40 MB page.
MAX_CUSTOM_YEARS = 5
MAX_CUSTOM_DAYS = 366 * MAX_CUSTOM_YEARS


class PeriodError(ValueError):
    """The text does not name a period we understand."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("the period ends before it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def clamp(self, day: date) -> date:
        return min(max(day, self.start), self.end)

    def elapsed_days(self, today: date) -> int:
        """Days of the period gone by, today included; 0 before it starts, all after it ends."""
        if today < self.start:
            return 0
        return (self.clamp(today) - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def kind(self) -> str:
        """year, quarter, month, or custom, judged by the dates (not the label)."""
        if self == year(self.start.year):
            return "year"
        if self == month(self.start.year, self.start.month):
            return "month"
        if self.start.month % 3 == 1 and self == quarter(
            self.start.year, (self.start.month - 1) // 3 + 1
        ):
            return "quarter"
        return "custom"

    def previous(self) -> Period:
        """The period of the same kind just before this one (same length for custom)."""
        kind, day_before = self.kind, self.start - timedelta(days=1)
        if kind == "custom":
            return Period(day_before - timedelta(days=self.days - 1), day_before)
        return containing(day_before)[kind]

    @property
    def key(self) -> str:
        """The text that parses back to this period, however it was built."""
        kind, start = self.kind, self.start
        if kind == "year":
            return f"{start.year}"
        if kind == "quarter":
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if kind == "month":
            return f"{start.year}-{start.month:02d}"
        return f"{start.isoformat()}..{self.end.isoformat()}"


def year(value: int) -> Period:
    return Period(date(value, 1, 1), date(value, 12, 31), f"{value}")


def quarter(value: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(
        date(value, first_month, 1),
        date(value, last_month, calendar.monthrange(value, last_month)[1]),
        f"{value}-Q{number}",
    )


def month(value: int, number: int) -> Period:
    return Period(
        date(value, number, 1),
        date(value, number, calendar.monthrange(value, number)[1]),
        f"{value}-{number:02d}",
    )


def containing(day: date) -> dict[str, Period]:
    """The month, quarter and year a day falls in."""
    return {
        "month": month(day.year, day.month),
        "quarter": quarter(day.year, (day.month - 1) // 3 + 1),
        "year": year(day.year),
    }


def _year_in_range(value: str) -> int:
    number = int(value)
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise PeriodError(f"year {number} is out of range")
    return number


def _parse_date(value: str) -> date:
    from .parsing import day  # parsing reads MIN_YEAR and MAX_YEAR from here

    parsed = day(value)
    if parsed is None:
        raise PeriodError(f"{value!r} is not a date (YYYY-MM-DD, {MIN_YEAR} to {MAX_YEAR})")
    return parsed


def parse(text: str | None = None, start: str | None = None, end: str | None = None) -> Period:
    """`2024`, `2024-Q1`, `2024-03`, `2024-01-01..2024-02-15`, or from/to given separately."""
    if start or end:
        if not (start and end):
            raise PeriodError("give both from and to")
        period = Period(_parse_date(start), _parse_date(end))
        if period.days > MAX_CUSTOM_DAYS:
            raise PeriodError(f"a custom period spans at most {MAX_CUSTOM_YEARS} years")
        return period
    text = (text or "").strip()
    if match := _YEAR.match(text):
        return year(_year_in_range(match[1]))
    if match := _QUARTER.match(text):
        return quarter(_year_in_range(match[1]), int(match[2]))
    if match := _MONTH.match(text):
        return month(_year_in_range(match[1]), int(match[2]))
    if ".." in text:
        first, last = text.split("..", 1)
        return parse(start=first, end=last)
    raise PeriodError(f"{text!r} is not a period (2024, 2024-Q1, 2024-03 or from/to dates)")


def current_month(today: date) -> Period:
    return month(today.year, today.month)


def current_year(today: date) -> Period:
    return year(today.year)


def working_days_between(earlier: date, later: date) -> int:
    """Monday-to-Friday days after `earlier`, up to and including `later` (0 if not later)."""
    whole_weeks, extra = divmod(max((later - earlier).days, 0), 7)
    return whole_weeks * 5 + sum(
        (earlier + timedelta(days=offset)).weekday() < 5 for offset in range(1, extra + 1)
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    target_year, target_month = day.year + index // 12, index % 12 + 1
    return date(
        target_year, target_month, min(day.day, calendar.monthrange(target_year, target_month)[1])
    )
