"""The dated rules of voluntary social insurance, and the household pipeline."""

from datetime import date

import pytest

from tracker.services import contributions
from tracker.services.pipeline import next_status


# (day, category) → state support per month: a share of the minimum contribution 330,000 VND.
@pytest.mark.parametrize(
    "day,category,support",
    [
        (date(2025, 6, 30), "poor", 99_000),
        (date(2025, 6, 30), "near_poor", 82_500),
        (date(2025, 6, 30), "ethnic_minority", 33_000),
        (date(2025, 6, 30), "other", 33_000),
        (date(2025, 7, 1), "poor", 165_000),
        (date(2025, 7, 1), "near_poor", 132_000),
        (date(2025, 7, 1), "ethnic_minority", 99_000),
        (date(2025, 7, 1), "other", 66_000),
    ],
)
def test_state_support_either_side_of_2025_07_01(app, day, category, support):
    figures = contributions.compute(day, category, 1_500_000)
    assert figures.monthly_contribution == 330_000
    assert figures.monthly_state_support == support
    assert figures.participant_pays == 330_000 - support


def test_support_is_on_the_minimum_contribution_whatever_the_basis(app):
    figures = contributions.compute(date(2025, 7, 1), "poor", 5_000_000)
    assert figures.monthly_contribution == 1_100_000
    assert figures.monthly_state_support == 165_000


@pytest.mark.parametrize("basis", [1_499_999, 46_800_001])
def test_income_basis_outside_the_law_is_refused(app, basis):
    with pytest.raises(contributions.ContributionError):
        contributions.compute(date(2025, 1, 1), "other", basis)


def test_maximum_follows_the_base_salary(app):
    assert contributions.rule_on(date(2024, 6, 30)).maximum_basis == 36_000_000
    assert contributions.rule_on(date(2024, 7, 1)).maximum_basis == 46_800_000


@pytest.mark.parametrize(
    "current,outcome,expected",
    [
        ("prospect", "informed", "contacted"),
        ("prospect", "interested", "interested"),
        ("interested", "informed", "interested"),
        ("interested", "no_answer", "interested"),
        ("contacted", "enrolled", "enrolled"),
        ("enrolled", "declined", "enrolled"),
        ("interested", "declined", "declined"),
        ("declined", "informed", "declined"),
        ("declined", "interested", "interested"),
    ],
)
def test_household_pipeline(current, outcome, expected):
    assert next_status(current, outcome) == expected
