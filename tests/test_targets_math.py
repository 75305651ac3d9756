"""How set targets become the target of another period (tracker/targets_math.py), computed by
hand on small cases. The module is pure, so these tests need no database; `make mutants` runs
mutation testing over it with this file and must leave at most the survivors named in
docs/design.md ("Mutation testing")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import periods
from tracker.periods import Period
from tracker.targets_math import compose_flow_target, compose_stock_target, spread


@dataclass
class Target:
    period_start: date
    period_end: date
    value: int


def target(text: str, value: int) -> Target:
    period = periods.parse(text)
    return Target(period.start, period.end, value)


def days(first: str, last: str) -> Period:
    return periods.parse(start=first, end=last)


# Flow targets ------------------------------------------------------------------------------


def test_no_target_touching_the_period_is_none():
    assert compose_flow_target([], periods.parse("2024")) is None
    assert compose_flow_target([target("2023", 365)], periods.parse("2024-01")) is None


def test_a_target_for_exactly_the_period_is_its_value():
    assert compose_flow_target([target("2024-03", 7)], periods.parse("2024-03")) == 7.0


def test_a_year_spreads_pro_rata_by_days():
    year = [target("2024", 366)]
    assert compose_flow_target(year, periods.parse("2024-02")) == 29.0
    assert compose_flow_target(year, periods.parse("2024-Q1")) == 91.0
    assert compose_flow_target(year, days("2024-03-10", "2024-03-10")) == 1.0


def test_one_day_overlaps_at_either_end():
    year = [target("2024", 366)]
    assert compose_flow_target(year, days("2023-12-31", "2024-01-01")) == 1.0
    assert compose_flow_target(year, days("2024-12-31", "2025-01-01")) == 1.0


def test_a_month_set_explicitly_takes_its_part_and_the_rest_spreads_over_the_other_days():
    # 2024 asks 366; March asks 100; the other 335 days share 266.
    targets = [target("2024", 366), target("2024-03", 100)]
    assert compose_flow_target(targets, periods.parse("2024-03")) == 100.0
    assert compose_flow_target(targets, periods.parse("2024-04")) == pytest.approx(266 / 335 * 30)
    quarter = compose_flow_target(targets, periods.parse("2024-Q1"))
    assert quarter == pytest.approx(100 + 266 / 335 * 60)


def test_quarters_add_up_to_the_year_with_a_month_override():
    targets = [target("2024", 120), target("2024-05", 30)]
    quarters = [compose_flow_target(targets, periods.parse(f"2024-Q{q}")) for q in (1, 2, 3, 4)]
    assert sum(quarters) == pytest.approx(120)


def test_a_target_inside_a_longer_period_counts_whole_and_days_outside_count_nothing():
    # Only March has a target; the quarter is March's value, nothing for January and February.
    assert compose_flow_target([target("2024-03", 31)], periods.parse("2024-Q1")) == 31.0


def test_finer_targets_asking_more_than_the_whole_leave_nothing_for_the_rest():
    targets = [target("2024", 10), target("2024-01", 50)]
    assert compose_flow_target(targets, periods.parse("2024-02")) == 0.0
    assert compose_flow_target(targets, periods.parse("2024-01")) == 50.0


def test_a_period_wholly_covered_by_finer_targets_gives_the_coarse_target_no_free_days():
    months = [target(f"2024-{m:02d}", m) for m in range(1, 13)]
    targets = [target("2024", 500), *months]
    assert compose_flow_target(targets, periods.parse("2024")) == 500.0
    assert compose_flow_target(targets, periods.parse("2024-Q2")) == 4 + 5 + 6


def test_nested_targets_count_only_the_outermost_inside_the_coarse_one():
    # The quarter (90) holds January (31): the year's rest is 400 - 90 over 366 - 91 days
    # (January, inside the quarter, is not taken from the year a second time).
    targets = [target("2024", 400), target("2024-Q1", 90), target("2024-01", 31)]
    assert compose_flow_target(targets, periods.parse("2024-02")) == pytest.approx(59 / 60 * 29)
    assert compose_flow_target(targets, periods.parse("2024-04")) == pytest.approx(310 / 275 * 30)


def test_a_finer_target_sharing_an_end_with_a_coarser_one_is_inside_it():
    # December ends with the fourth quarter: only the quarter is taken from the year.
    targets = [target("2024", 400), target("2024-Q4", 100), target("2024-12", 40)]
    assert compose_flow_target(targets, periods.parse("2024-04")) == pytest.approx(300 / 274 * 30)


def test_one_free_day_takes_all_that_remains():
    targets = [target("2024", 100), target("2024-01-01..2024-12-30", 90)]
    assert compose_flow_target(targets, days("2024-12-31", "2024-12-31")) == 10.0


def test_no_free_day_left_gives_nothing_to_the_uncovered_days():
    # Two overlapping finer targets use up the year's 366 days, yet 31 December is uncovered.
    targets = [
        target("2024", 100),
        target("2024-01-01..2024-07-01", 40),
        target("2024-07-01..2024-12-30", 40),
    ]
    assert compose_flow_target(targets, days("2024-12-31", "2024-12-31")) == 0.0


def test_equal_length_targets_do_not_hide_each_other():
    # Two different 31-day targets inside the year: both are outermost.
    targets = [target("2024", 100), target("2024-01", 10), target("2024-03", 10)]
    assert compose_flow_target(targets, periods.parse("2024-02")) == pytest.approx(80 / 304 * 29)


months_and_values = st.dictionaries(st.integers(1, 12), st.integers(0, 40), max_size=4)


@given(year_value=st.integers(0, 5000), months=months_and_values)
def test_months_and_quarters_always_add_up_to_the_year(year_value, months):
    targets = [target("2024", year_value)] + [
        target(f"2024-{m:02d}", value) for m, value in months.items()
    ]
    if sum(months.values()) > year_value:
        return  # the finer targets ask for more than the whole: documented, not additive
    by_month = [compose_flow_target(targets, periods.parse(f"2024-{m:02d}")) for m in range(1, 13)]
    by_quarter = [compose_flow_target(targets, periods.parse(f"2024-Q{q}")) for q in (1, 2, 3, 4)]
    assert sum(by_month) == pytest.approx(year_value)
    assert sum(by_quarter) == pytest.approx(year_value)


# Stock targets -----------------------------------------------------------------------------


def no_baseline(_target):
    raise AssertionError("the baseline is not needed here")


def test_stock_no_target_holding_the_end_is_none():
    assert compose_stock_target([], periods.parse("2024"), no_baseline) is None
    targets = [target("2024-Q1", 4600)]
    assert compose_stock_target(targets, periods.parse("2024-Q2"), no_baseline) is None


def test_stock_for_the_target_period_or_one_ending_with_it_is_the_value():
    targets = [target("2024", 4600)]
    assert compose_stock_target(targets, periods.parse("2024"), no_baseline) == 4600.0
    assert compose_stock_target(targets, periods.parse("2024-12"), no_baseline) == 4600.0
    assert compose_stock_target(targets, periods.parse("2024-Q4"), no_baseline) == 4600.0


def test_stock_spreads_the_growth_from_the_baseline_by_days_elapsed():
    targets = [target("2024", 4600)]
    # 3,136 at the start; 91 of 366 days elapsed at the end of March.
    march = compose_stock_target(targets, periods.parse("2024-Q1"), lambda _t: 3136)
    assert march == pytest.approx(3136 + (4600 - 3136) * 91 / 366)
    first_day = compose_stock_target(targets, days("2024-01-01", "2024-01-01"), lambda _t: 3136)
    assert first_day == pytest.approx(3136 + 1464 / 366)


def test_stock_without_a_baseline_is_none():
    assert (
        compose_stock_target([target("2024", 4600)], periods.parse("2024-06"), lambda _: None)
        is None
    )


def test_stock_takes_the_finest_target_holding_the_period_end():
    targets = [target("2024", 4600), target("2024-Q2", 4000)]
    baselines = {4600: 3136, 4000: 3500}
    june = compose_stock_target(targets, periods.parse("2024-06"), lambda t: baselines[t.value])
    assert june == 4000.0
    may = compose_stock_target(targets, periods.parse("2024-05"), lambda t: baselines[t.value])
    assert may == pytest.approx(3500 + 500 * 61 / 91)
    # The finest target is chosen by its length, whatever the order given.
    reversed_may = compose_stock_target(
        list(reversed(targets)), periods.parse("2024-05"), lambda t: baselines[t.value]
    )
    assert reversed_may == may


def test_stock_baseline_is_asked_of_the_chosen_target():
    asked = []
    targets = [target("2024", 4600), target("2024-Q2", 4000)]
    compose_stock_target(targets, periods.parse("2024-05"), lambda t: asked.append(t) or 0)
    assert asked == [targets[1]]


# Spreading a whole number ------------------------------------------------------------------


def test_spread_largest_remainder():
    assert spread(100, [1] * 12) == [9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]
    assert spread(10, [0, 1, 1, 2]) == [0, 3, 2, 5]
    assert spread(5, [0, 0]) == [3, 2]
    assert spread(7, []) == []
    assert spread(2, [1, 1, 1]) == [1, 1, 0]
    # Flooring, not rounding: 2.6 and 2.4 become 2 and 2, then the larger remainder gets one.
    assert spread(5, [2.6, 2.4]) == [3, 2]
    assert spread(6, [2.6, 2.4, 1]) == [3, 2, 1]
    # Weights that add up to one are weights, not "all zero".
    assert spread(10, [0.2, 0.8]) == [2, 8]


@given(total=st.integers(0, 10_000), weights=st.lists(st.integers(0, 50), min_size=1, max_size=24))
def test_spread_always_adds_up_and_stays_within_one_of_the_exact_share(total, weights):
    parts = spread(total, [float(w) for w in weights])
    assert sum(parts) == total
    effective = weights if sum(weights) > 0 else [1] * len(weights)
    for part, weight in zip(parts, effective, strict=True):
        exact = total * weight / sum(effective)
        assert exact - 1 < part < exact + 1
