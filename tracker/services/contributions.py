"""What a voluntary social insurance participant pays, by the dated rules in force.

Contribution: contribution_percent (22 %) of the monthly income basis the participant chooses,
between the rural poverty line and 20 × the base salary. State support: a percentage, by
category, of the *minimum* contribution (22 % of the poverty line). The rules are rows of
income_basis_rules and support_rates, chosen by the payment date — never constants in code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import IncomeBasisRule, SupportRate


class ContributionError(ValueError):
    def __init__(self, code: str, rule: IncomeBasisRule | None = None):
        super().__init__(code)
        self.code = code
        self.rule = rule


@dataclass(frozen=True)
class Contribution:
    income_basis: int
    monthly_contribution: int
    monthly_state_support: int
    participant_pays: int
    support_percent: int
    minimum_basis: int
    maximum_basis: int

    def as_dict(self) -> dict:
        return asdict(self)


def _percent_of(amount: int, percent: int) -> int:
    """Whole đồng, half rounded up, in integers so no float error creeps into money."""
    return (amount * percent + 50) // 100


def rule_on(day: date) -> IncomeBasisRule:
    rule = db.session.scalar(
        select(IncomeBasisRule)
        .where(IncomeBasisRule.valid_from <= day)
        .order_by(IncomeBasisRule.valid_from.desc())
        .limit(1)
    )
    if rule is None:
        raise ContributionError("no_rule")
    return rule


def support_percent_on(day: date, category: str) -> int:
    percent = db.session.scalar(
        select(SupportRate.percent)
        .where(SupportRate.valid_from <= day, SupportRate.category == category)
        .order_by(SupportRate.valid_from.desc())
        .limit(1)
    )
    return percent or 0


def compute(day: date, category: str, income_basis: int) -> Contribution:
    """The monthly figures for a payment made on `day`; raises if the basis is outside the law."""
    rule = rule_on(day)
    if not rule.minimum_basis <= income_basis <= rule.maximum_basis:
        raise ContributionError("income_basis_out_of_range", rule)
    contribution = _percent_of(income_basis, rule.contribution_percent)
    minimum_contribution = _percent_of(rule.minimum_basis, rule.contribution_percent)
    support_percent = support_percent_on(day, category)
    support = _percent_of(minimum_contribution, support_percent)
    return Contribution(
        income_basis=income_basis,
        monthly_contribution=contribution,
        monthly_state_support=support,
        participant_pays=contribution - support,
        support_percent=support_percent,
        minimum_basis=rule.minimum_basis,
        maximum_basis=rule.maximum_basis,
    )


def rules_table() -> dict:
    """Every dated rule, for the enrollment form's live calculation (the same rows the server
    uses when it saves, so the two always agree)."""
    bases = db.session.scalars(select(IncomeBasisRule).order_by(IncomeBasisRule.valid_from))
    rates = db.session.scalars(select(SupportRate).order_by(SupportRate.valid_from))
    return {
        "bases": [
            {
                "from": r.valid_from.isoformat(),
                "percent": r.contribution_percent,
                "min": r.minimum_basis,
                "max": r.maximum_basis,
            }
            for r in bases
        ],
        "support": [
            {"from": r.valid_from.isoformat(), "category": r.category, "percent": r.percent}
            for r in rates
        ],
    }
