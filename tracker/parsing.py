"""Whole numbers, ids and dates read from people and programs: the one place that turns text
(query strings, form fields, JSON, import cells) into them.

Python is more generous than a database: `"²".isdigit()` is true but `int("²")` raises,
`int("١٢")` is 12 and `int(" 1_0 ")` is 10; an id of twenty digits is a number no column holds
(PostgreSQL's integer stops at 2,147,483,647, SQLite's driver overflows at 2**63), and a date in
year 1 overflows the first time a period is moved back a day. Here only ASCII digits count,
numbers are bounded to what the database stores, and dates fall within the years the office works
in (periods.MIN_YEAR to periods.MAX_YEAR).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .periods import MAX_YEAR, MIN_YEAR

DB_INT_MAX = 2**31 - 1  # PostgreSQL's integer, which every id and count column is
FIRST_DAY, LAST_DAY = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
EARLIEST_BIRTH = date(1900, 1, 1)  # dates of birth are read from here on

_WHOLE = re.compile(r"-?[0-9]{1,30}", re.ASCII)
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


def whole_number(value, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """`value` as an int within [minimum, maximum], or None.

    Text must be ASCII digits (a leading minus only where `minimum` is negative), surrounding
    spaces ignored; a JSON or spreadsheet number must be whole (not a bool, not 3.5)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if minimum <= value <= maximum else None


_SPACES = re.compile(r"[ \u00a0\u202f]")  # a space, a no-break space, a narrow one (fr, vi)


def grouped_number(value, group: str, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """A whole number typed with the reader's thousands separator: "3.000.000" where `group` is
    "." (Vietnamese), "3,000,000" where it is "," (English); spaces may group too, and plain
    digits always do. Groups must be of three digits, so "3.000.000" in English, "3,5" in
    Vietnamese (a decimal comma) and "30.00" are refused rather than guessed at. Bounded as
    `whole_number`."""
    if not isinstance(value, str):
        return whole_number(value, minimum, maximum)
    text = _SPACES.sub(group, value.strip())
    grouped = rf"-?[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+"
    if re.fullmatch(grouped, text, re.ASCII):
        text = text.replace(group, "")
    return whole_number(text, minimum, maximum)


def record_id(value) -> int | None:
    """An id as the database could hold it: 1 to 2,147,483,647."""
    return whole_number(value, 1, DB_INT_MAX)


def day(value, earliest: date = FIRST_DAY) -> date | None:
    """YYYY-MM-DD in ASCII digits, within the office's years; a date object passes through if in
    range. None for anything else. A date of birth passes an earlier `earliest`."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if earliest <= value <= LAST_DAY else None
    if not isinstance(value, str):
        return None
    match = _DAY.fullmatch(value.strip())
    if not match:
        return None
    try:
        parsed = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return parsed if earliest <= parsed <= LAST_DAY else None


def written_day(value, earliest: date = FIRST_DAY) -> date | None:
    """A date as people write it in a file or a pasted table: YYYY-MM-DD or dd/mm/yyyy (one-digit
    days and months too), within the office's years like `day`. Imports and reorganisation
    mappings read their date columns here; a date object (an XLSX date cell) passes through."""
    if isinstance(value, date):
        return day(value, earliest)
    if not isinstance(value, str):
        return None
    text = value.strip()
    day_part, _sep, rest = text.partition("/")
    if rest:
        month_part, _sep, year_part = rest.partition("/")
        text = f"{year_part}-{month_part.zfill(2)}-{day_part.zfill(2)}"
    return day(text, earliest)


def month(value) -> date | None:
    """YYYY-MM (ASCII, within the office's years) as the month's first day, or None."""
    if not isinstance(value, str):
        return None
    match = _MONTH.fullmatch(value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    parsed = date(int(match[1]), int(match[2]), 1)
    return parsed if FIRST_DAY <= parsed <= LAST_DAY else None


def ascii_digits(text: str) -> bool:
    """Only 0-9 (a citizen ID, a phone): not Arabic-Indic, full-width or superscript digits."""
    return bool(text) and text.isascii() and text.isdigit()
