"""What a voluntary social insurance participant pays, by the dated rules in force
(docs/design.md, "Contributions and the rules of the law").

Contribution: contribution_percent (22 %) of the monthly income basis the participant chooses,
a whole number of thousands of đồng between the rural poverty line and 20 × the base salary.
State support: a percentage, by category, of the *minimum* contribution (22 % of the poverty
line), for at most 120 months per person. The amounts are rows of income_basis_rules and
support_rates chosen by the payment date, never constants in code; a date with no rule in force
is an error the user sees, never a silent zero. The limits below are the law's, not amounts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..extensions import db
from ..i18n import number
from ..models import IncomeBasisRule, SupportRate

# At most 10 years of state support per person (Decree 134/2015 art. 14; Decree 159/2025).
SUPPORT_MONTHS_CAP = 120
# A lump sum pays at most 60 months ahead (Decree 134/2015 art. 9: at most 5 years at a time;
# Law 41/2024 art. 36 and Decree 159/2025 from 2025-07-01); 12 months is the shortest.
LUMP_SUM_MONTHS = (12, 60)
# Back-payment (đóng bù) pays months already missed: at most what lies between the paid-through
# date and the payment date (checked by the renewal), and never more than 50 years.
BACK_PAYMENT_MONTHS = (1, 600)
# The income basis is declared in thousands of đồng, as on the insurer's forms (docs/design.md).
BASIS_STEP = 1_000
PERIOD_MONTHS = {"1": 1, "3": 3, "6": 6, "12": 12}


class ContributionError(ValueError):
    """`code`: no_rule (no income basis rule in force), no_support_rule (no support rate for the
    category), income_basis_out_of_range, income_basis_step."""

    def __init__(self, code: str, rule: IncomeBasisRule | None = None):
        super().__init__(code)
        self.code = code
        self.rule = rule


def message(error: ContributionError) -> str:
    """What the user reads; the date's field for a missing rule, the basis's otherwise."""
    if error.code == "no_rule":
        return _("No contribution rule covers this date.")
    if error.code == "no_support_rule":
        return _("No state support rate for this category is in force on this date.")
    if error.code == "income_basis_step":
        return _("The income basis is a whole number of thousands of đồng.")
    return _(
        "From %(low)s to %(high)s đồng a month on this date.",
        low=number(error.rule.minimum_basis),
        high=number(error.rule.maximum_basis),
    )


def field_of(error: ContributionError) -> str:
    return "income_basis" if error.rule is not None else "date"


@dataclass(frozen=True)
class Contribution:
    income_basis: int
    monthly_contribution: int
    monthly_state_support: int
    participant_pays: int
    support_percent: int
    minimum_basis: int
    maximum_basis: int
    source: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Payment:
    """A payment of `months` months at `figures`: support only for `supported_months`."""

    figures: Contribution
    months: int
    supported_months: int

    @property
    def amount_due(self) -> int:
        return (
            self.figures.monthly_contribution * self.months
            - self.figures.monthly_state_support * self.supported_months
        )


def _percent_of(amount: int, percent: int) -> int:
    """Whole đồng, half rounded up, in integers so no float error creeps into money."""
    return (amount * percent + 50) // 100


def _in_force(model, day: date):
    return (model.valid_from <= day, or_(model.valid_to.is_(None), model.valid_to > day))


def rule_on(day: date) -> IncomeBasisRule:
    rule = db.session.scalar(select(IncomeBasisRule).where(*_in_force(IncomeBasisRule, day)))
    if rule is None:
        raise ContributionError("no_rule")
    return rule


def support_rate_on(day: date, category: str) -> SupportRate:
    rate = db.session.scalar(
        select(SupportRate).where(*_in_force(SupportRate, day), SupportRate.category == category)
    )
    if rate is None:
        raise ContributionError("no_support_rule")
    return rate


def check_basis(rule: IncomeBasisRule, income_basis: int) -> None:
    if not rule.minimum_basis <= income_basis <= rule.maximum_basis:
        raise ContributionError("income_basis_out_of_range", rule)
    if income_basis % BASIS_STEP:
        raise ContributionError("income_basis_step", rule)


def compute(day: date, category: str, income_basis: int | None = None) -> Contribution:
    """The monthly figures for a payment made on `day` (the basis defaults to the minimum in
    force); raises ContributionError if no rule is in force or the basis is outside the law."""
    rule = rule_on(day)
    rate = support_rate_on(day, category)
    basis = rule.minimum_basis if income_basis is None else income_basis
    check_basis(rule, basis)
    contribution = _percent_of(basis, rule.contribution_percent)
    minimum_contribution = _percent_of(rule.minimum_basis, rule.contribution_percent)
    support = _percent_of(minimum_contribution, rate.percent)
    return Contribution(
        income_basis=basis,
        monthly_contribution=contribution,
        monthly_state_support=support,
        participant_pays=contribution - support,
        support_percent=rate.percent,
        minimum_basis=rule.minimum_basis,
        maximum_basis=rule.maximum_basis,
        source=f"{rule.source} · {rate.source}",
    )


def months_of(method: str, months: int | None) -> int | None:
    """The months a payment method pays for: fixed for the periods, chosen (and bounded) for a
    lump sum or a back-payment; None if `months` is missing or outside the law."""
    if method in PERIOD_MONTHS:
        return PERIOD_MONTHS[method]
    low, high = {"lump_sum": LUMP_SUM_MONTHS, "back_payment": BACK_PAYMENT_MONTHS}[method]
    if isinstance(months, bool) or not isinstance(months, int) or not low <= months <= high:
        return None
    return months


def payment(figures: Contribution, months: int, support_used: int) -> Payment:
    """`months` paid at `figures` by a person who already had `support_used` months of support:
    only the months still under the 120-month cap are supported."""
    left = max(SUPPORT_MONTHS_CAP - support_used, 0)
    supported = min(months, left) if figures.monthly_state_support > 0 else 0
    return Payment(figures, months, supported)


def rules_table() -> dict:
    """Every dated rule, for the enrollment form's calculation when it cannot reach the API
    (the same rows the server uses when it saves, so the two always agree)."""
    bases = db.session.scalars(select(IncomeBasisRule).order_by(IncomeBasisRule.valid_from))
    rates = db.session.scalars(select(SupportRate).order_by(SupportRate.valid_from))
    return {
        "step": BASIS_STEP,
        "cap": SUPPORT_MONTHS_CAP,
        "lump_sum": list(LUMP_SUM_MONTHS),
        "bases": [
            {
                "from": r.valid_from.isoformat(),
                "to": r.valid_to.isoformat() if r.valid_to else None,
                "percent": r.contribution_percent,
                "min": r.minimum_basis,
                "max": r.maximum_basis,
                "source": r.source,
            }
            for r in bases
        ],
        "support": [
            {
                "from": r.valid_from.isoformat(),
                "to": r.valid_to.isoformat() if r.valid_to else None,
                "category": r.category,
                "percent": r.percent,
                "source": r.source,
            }
            for r in rates
        ],
    }
