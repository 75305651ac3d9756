from datetime import date, timedelta

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


def test_the_first_day_of_a_period_is_one_day_elapsed():
    march = periods.parse("2024-03")
    assert march.elapsed_days(date(2024, 2, 29)) == 0
    assert march.elapsed_days(date(2024, 3, 1)) == 1
    assert march.elapsed_days(date(2024, 3, 31)) == 31


@pytest.mark.parametrize(
    "text,previous",
    [
        ("2024-Q1", "2023-Q4"),
        ("2024-Q2", "2024-Q1"),
        ("2024-Q3", "2024-Q2"),
        ("2024-Q4", "2024-Q3"),
    ],
)
def test_previous_quarter(text, previous):
    assert periods.parse(text).previous().key == previous


def test_previous_month_and_custom_periods():
    assert periods.parse("2024-03").previous() == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert periods.parse("2024-12").previous().key == "2024-11"
    one_day = periods.parse("2024-03-01..2024-03-01")
    assert one_day.previous() == Period(date(2024, 2, 29), date(2024, 2, 29))


def test_labels_name_the_period():
    assert periods.year(2024).label == "2024"
    assert periods.quarter(2024, 3).label == "2024-Q3"
    assert periods.month(2024, 7).label == "2024-07"


def test_years_at_the_edges_of_the_range():
    assert periods.parse(str(periods.MIN_YEAR)).start == date(periods.MIN_YEAR, 1, 1)
    assert periods.parse(f"{periods.MAX_YEAR}-12").end == date(periods.MAX_YEAR, 12, 31)
    for outside in (periods.MIN_YEAR - 1, periods.MAX_YEAR + 1):
        with pytest.raises(PeriodError, match=f"year {outside} is out of range"):
            periods.parse(str(outside))


def test_refusals_say_why():
    with pytest.raises(PeriodError, match="^give both from and to$"):
        periods.parse(start="2024-01-01")
    with pytest.raises(PeriodError, match="^give both from and to$"):
        periods.parse(end="2024-01-01")
    with pytest.raises(PeriodError, match="^the period ends before it starts$"):
        Period(date(2024, 1, 2), date(2024, 1, 1))
    with pytest.raises(PeriodError, match=r"^'' is not a period"):
        periods.parse(None)
    with pytest.raises(PeriodError, match=r"'2024-02-31' is not a date"):
        periods.parse("2024-01-01..2024-02-31")
    # Only the first ".." separates: the rest is one (bad) date.
    with pytest.raises(PeriodError, match=r"'2024-02-01\.\.2024-03-01' is not a date"):
        periods.parse("2024-01-01..2024-02-01..2024-03-01")


def test_a_custom_period_spans_at_most_its_limit():
    start = date(2024, 1, 1)
    longest = periods.parse(
        start=start.isoformat(),
        end=(start + timedelta(days=periods.MAX_CUSTOM_DAYS - 1)).isoformat(),
    )
    assert longest.days == periods.MAX_CUSTOM_DAYS
    with pytest.raises(PeriodError, match="spans at most 5 years"):
        periods.parse(
            start=start.isoformat(),
            end=(start + timedelta(days=periods.MAX_CUSTOM_DAYS)).isoformat(),
        )


def test_containing_and_current():
    assert periods.containing(date(2024, 8, 15)) == {
        "month": periods.month(2024, 8),
        "quarter": periods.quarter(2024, 3),
        "year": periods.year(2024),
    }
    assert periods.containing(date(2024, 12, 31))["quarter"].key == "2024-Q4"
    assert periods.containing(date(2024, 1, 1))["quarter"].key == "2024-Q1"
    assert periods.current_month(date(2024, 2, 10)) == periods.month(2024, 2)
    assert periods.current_year(date(2024, 2, 10)) == periods.year(2024)


@pytest.mark.parametrize(
    "earlier,later,expected",
    [
        (date(2024, 3, 4), date(2024, 3, 4), 0),  # the same day
        (date(2024, 3, 5), date(2024, 3, 4), 0),  # backwards
        (date(2024, 3, 4), date(2024, 3, 5), 1),  # Monday → Tuesday
        (date(2024, 3, 8), date(2024, 3, 11), 1),  # Friday → Monday: only Monday
        (date(2024, 3, 8), date(2024, 3, 10), 0),  # Friday → Sunday
        (date(2024, 3, 4), date(2024, 3, 11), 5),  # a whole week
        (date(2024, 3, 4), date(2024, 3, 20), 12),  # two weeks and two days
        (date(2024, 3, 9), date(2024, 3, 25), 11),  # Saturday → Monday two weeks later
    ],
)
def test_working_days_between(earlier, later, expected):
    assert periods.working_days_between(earlier, later) == expected


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 11, 15), 2, date(2025, 1, 15)),
        (date(2024, 12, 1), 12, date(2025, 12, 1)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 10), -1, date(2023, 12, 10)),
        (date(2024, 5, 20), 0, date(2024, 5, 20)),
        (date(2024, 1, 1), 60, date(2029, 1, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert periods.add_months(day, months) == expected
