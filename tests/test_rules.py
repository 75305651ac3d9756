"""The dated rules of voluntary social insurance, and the household pipeline.

TABLE and PERIODS are computed by hand from the decrees (docs/design.md, "Contributions and the
rules of the law"), not from the migration's rows: 22 % of the basis; support a share of 22 %
of the rural poverty line (154,000 until 2021, 330,000 from 2022, 484,000 from 2027).
"""

from datetime import date, timedelta

import pytest

from tracker.services import contributions
from tracker.services.pipeline import next_status

# (day, category, basis or None for the minimum) → (contribution, support, participant pays)
TABLE = [
    (date(2016, 1, 1), "other", None, (154_000, 0, 154_000)),
    (date(2016, 4, 30), "poor", 23_000_000, (5_060_000, 0, 5_060_000)),
    (date(2016, 5, 1), "near_poor", 24_200_000, (5_324_000, 0, 5_324_000)),
    (date(2017, 6, 30), "other", 24_200_000, (5_324_000, 0, 5_324_000)),
    (date(2017, 7, 1), "other", 26_000_000, (5_720_000, 0, 5_720_000)),
    (date(2017, 12, 31), "poor", 700_000, (154_000, 0, 154_000)),
    (date(2018, 1, 1), "poor", 700_000, (154_000, 46_200, 107_800)),
    (date(2018, 1, 1), "near_poor", 700_000, (154_000, 38_500, 115_500)),
    (date(2018, 1, 1), "ethnic_minority", 700_000, (154_000, 15_400, 138_600)),
    (date(2018, 6, 30), "other", 26_000_000, (5_720_000, 15_400, 5_704_600)),
    (date(2018, 7, 1), "other", 27_800_000, (6_116_000, 15_400, 6_100_600)),
    (date(2019, 6, 30), "near_poor", 27_800_000, (6_116_000, 38_500, 6_077_500)),
    (date(2019, 7, 1), "poor", 29_800_000, (6_556_000, 46_200, 6_509_800)),
    (date(2021, 12, 31), "other", 700_000, (154_000, 15_400, 138_600)),
    (date(2022, 1, 1), "other", None, (330_000, 33_000, 297_000)),
    (date(2022, 1, 1), "near_poor", 2_000_000, (440_000, 82_500, 357_500)),
    (date(2023, 6, 30), "poor", 29_800_000, (6_556_000, 99_000, 6_457_000)),
    (date(2023, 7, 1), "ethnic_minority", 36_000_000, (7_920_000, 33_000, 7_887_000)),
    (date(2024, 6, 30), "other", 36_000_000, (7_920_000, 33_000, 7_887_000)),
    (date(2024, 7, 1), "other", 46_800_000, (10_296_000, 33_000, 10_263_000)),
    (date(2025, 6, 30), "poor", 1_500_000, (330_000, 99_000, 231_000)),
    (date(2025, 6, 30), "near_poor", 1_500_000, (330_000, 82_500, 247_500)),
    (date(2025, 6, 30), "ethnic_minority", 1_500_000, (330_000, 33_000, 297_000)),
    (date(2025, 7, 1), "poor", 1_500_000, (330_000, 165_000, 165_000)),
    (date(2025, 7, 1), "near_poor", 1_500_000, (330_000, 132_000, 198_000)),
    (date(2025, 7, 1), "ethnic_minority", 1_500_000, (330_000, 99_000, 231_000)),
    (date(2025, 7, 1), "other", 1_500_000, (330_000, 66_000, 264_000)),
    (date(2026, 12, 31), "other", None, (330_000, 66_000, 264_000)),
    (date(2026, 12, 31), "poor", 46_800_000, (10_296_000, 165_000, 10_131_000)),
    (date(2027, 1, 1), "poor", None, (484_000, 242_000, 242_000)),
    (date(2027, 1, 1), "near_poor", 2_200_000, (484_000, 193_600, 290_400)),
    (date(2027, 1, 1), "ethnic_minority", 2_200_000, (484_000, 145_200, 338_800)),
    (date(2027, 1, 1), "other", 2_200_000, (484_000, 96_800, 387_200)),
    (date(2028, 3, 15), "near_poor", 5_000_000, (1_100_000, 193_600, 906_400)),
    (date(2030, 12, 31), "other", 46_800_000, (10_296_000, 96_800, 10_199_200)),
]
# (day, category, basis) → the error: beside a range, the step, or no rule at all.
REFUSED = [
    (date(2018, 6, 30), "other", 27_800_000, "income_basis_out_of_range"),  # max 26,000,000
    (date(2018, 7, 1), "other", 27_800_001, "income_basis_out_of_range"),
    (date(2026, 12, 31), "other", 1_499_000, "income_basis_out_of_range"),
    (date(2027, 1, 1), "other", 1_500_000, "income_basis_out_of_range"),  # min 2,200,000
    (date(2026, 12, 31), "other", 1_500_500, "income_basis_step"),
    (date(2015, 12, 31), "other", 700_000, "no_rule"),
]
# The law by hand: (first day, minimum, maximum) of the income basis, and (first day, support %
# for poor, near-poor, ethnic minority, other), each in force until the next.
PERIODS = [
    (date(2016, 1, 1), 700_000, 23_000_000),  # Decision 59/2015; base salary 1,150,000
    (date(2016, 5, 1), 700_000, 24_200_000),  # Decree 47/2016: 1,210,000
    (date(2017, 7, 1), 700_000, 26_000_000),  # Decree 47/2017: 1,300,000
    (date(2018, 7, 1), 700_000, 27_800_000),  # Decree 72/2018: 1,390,000
    (date(2019, 7, 1), 700_000, 29_800_000),  # Decree 38/2019: 1,490,000
    (date(2022, 1, 1), 1_500_000, 29_800_000),  # Decree 07/2021
    (date(2023, 7, 1), 1_500_000, 36_000_000),  # Decree 24/2023: 1,800,000
    (date(2024, 7, 1), 1_500_000, 46_800_000),  # Decree 73/2024: 2,340,000
    (date(2027, 1, 1), 2_200_000, 46_800_000),  # Decree 351/2025
]
SUPPORT = [
    (date(2016, 1, 1), (0, 0, 0, 0)),  # Decree 134/2015 art. 14: support from 2018
    (date(2018, 1, 1), (30, 25, 10, 10)),
    (date(2025, 7, 1), (50, 40, 30, 20)),  # Decree 159/2025
]
CATEGORIES = ("poor", "near_poor", "ethnic_minority", "other")


def by_hand(day: date) -> tuple[int, int, dict[str, int]]:
    """(minimum basis, maximum basis, {category: monthly support}) on `day`, from PERIODS."""
    _, low, high = [p for p in PERIODS if p[0] <= day][-1]
    _, percents = [s for s in SUPPORT if s[0] <= day][-1]
    minimum = low * 22 // 100  # exact: the poverty lines are multiples of 100
    return (
        low,
        high,
        {c: (minimum * p + 50) // 100 for c, p in zip(CATEGORIES, percents, strict=True)},
    )


@pytest.mark.parametrize("day,category,basis,expected", TABLE)
def test_hand_computed_table(app, day, category, basis, expected):
    figures = contributions.compute(day, category, basis)
    assert (
        figures.monthly_contribution,
        figures.monthly_state_support,
        figures.participant_pays,
    ) == expected
    assert figures.source


@pytest.mark.parametrize("day,category,basis,code", REFUSED)
def test_outside_the_law_or_without_a_rule_is_an_error(app, day, category, basis, code):
    with pytest.raises(contributions.ContributionError) as raised:
        contributions.compute(day, category, basis)
    assert raised.value.code == code


def test_every_day_from_2016_to_2030_is_answered_from_data(app):
    day, seen = date(2016, 1, 1), 0
    while day <= date(2030, 12, 31):
        low, high, support = by_hand(day)
        rule = contributions.rule_on(day)
        assert (rule.minimum_basis, rule.maximum_basis, rule.contribution_percent) == (
            low,
            high,
            22,
        ), day
        for category in CATEGORIES:
            figures = contributions.compute(day, category)
            assert figures.monthly_contribution == low * 22 // 100, day
            assert figures.monthly_state_support == support[category], (day, category)
        seen += 1
        day += timedelta(days=1)
    assert seen == 5479


def test_a_missing_support_rate_is_an_error_not_zero(app):
    from tracker.extensions import db
    from tracker.models import SupportRate

    db.session.execute(SupportRate.__table__.delete().where(SupportRate.category == "poor"))
    with pytest.raises(contributions.ContributionError) as raised:
        contributions.compute(date(2026, 1, 1), "poor")
    assert raised.value.code == "no_support_rule"
    db.session.rollback()


@pytest.mark.parametrize(
    "method,months,expected",
    [("1", None, 1), ("3", 99, 3), ("12", None, 12), ("lump_sum", 60, 60), ("lump_sum", 12, 12)]
    + [("lump_sum", 61, None), ("lump_sum", 600, None), ("lump_sum", 11, None)]
    + [("lump_sum", None, None), ("back_payment", 7, 7), ("back_payment", 0, None)],
)
def test_months_of_each_method(method, months, expected):
    assert contributions.months_of(method, months) == expected


def test_support_only_for_the_months_under_the_cap(app):
    figures = contributions.compute(date(2027, 1, 1), "other", 2_200_000)
    assert contributions.payment(figures, 60, 0).amount_due == 60 * 387_200
    partly = contributions.payment(figures, 60, 100)
    assert partly.supported_months == 20
    assert partly.amount_due == 60 * 484_000 - 20 * 96_800 == 27_104_000
    assert contributions.payment(figures, 12, 120).amount_due == 12 * 484_000
    assert contributions.payment(figures, 12, 150).supported_months == 0


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
