from datetime import date

import pytest

from tracker import periods
from tracker.periods import Period, PeriodError


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-03-05..2024-04-01", date(2024, 3, 5), date(2024, 4, 1)),
    ],
)
def test_parse(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24",
        "2024-13",
        "2024-Q5",
        "1900",
        "2024-02-30..2024-03-01",
        "2024-03-01..2024-02-01",
        "abc",
        "2024-3",
    ],
)
def test_parse_refuses(text):
    with pytest.raises(PeriodError):
        periods.parse(text)


def test_from_to_needs_both():
    with pytest.raises(PeriodError):
        periods.parse(start="2024-01-01")
    assert periods.parse(start="2024-01-01", end="2024-01-31").days == 31


def test_days_and_elapsed_leap_year():
    year = periods.parse("2024")
    assert year.days == 366
    assert year.elapsed_days(date(2023, 12, 31)) == 0
    assert year.elapsed_days(date(2024, 2, 29)) == 60
    assert year.elapsed_days(date(2025, 6, 1)) == 366


def test_kind_previous_and_key():
    assert periods.parse("2024").previous().key == "2023"
    assert periods.parse("2024-Q1").previous().key == "2023-Q4"
    assert periods.parse("2024-01").previous().key == "2023-12"
    custom = periods.parse("2024-03-05..2024-03-14")
    assert custom.kind == "custom" and custom.previous() == Period(
        date(2024, 2, 24), date(2024, 3, 4)
    )
    assert periods.parse(custom.key) == custom
    assert periods.parse("2024-01-01..2024-03-31").kind == "quarter"
