"""Rules maintained by an administrator (admin screen and `flask --app app rules`): income
bases and support rates, each dated and with its source (docs/design.md, "Contributions and the
rules of the law").

The rows of one kind — the income bases, or one category's support rate — follow each other:
no day is covered twice (overlap) and none is left out between the first and the last (gap). A
new rule from a day after the open-ended latest one ends that one the day before; anything else
must fit exactly before the first or after a closed last. The latest rule of a kind can be
withdrawn (a mistyped decree), reopening the one before. Stored enrollments and renewals keep
their amounts: rules change what is computed from now on, never history. Every change is
audited in the transaction that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import short_date
from ..models import IncomeBasisRule, SupportRate, User
from ..vocab import ENROLLMENT_CATEGORIES
from . import audit
from .contributions import BASIS_STEP

BASIS_FIELDS = (
    "valid_from",
    "valid_to",
    "contribution_percent",
    "minimum_basis",
    "maximum_basis",
    "source",
)
RATE_FIELDS = ("valid_from", "valid_to", "category", "percent", "source")


@dataclass(frozen=True)
class BasisValues:
    valid_from: date
    valid_to: date | None  # exclusive; None: until a later rule
    contribution_percent: int
    minimum_basis: int
    maximum_basis: int
    source: str


@dataclass(frozen=True)
class SupportValues:
    valid_from: date
    valid_to: date | None
    percents: dict[str, int]  # category → percent of the minimum contribution
    source: str


class RuleError(ValueError):
    """`field`: the form field it concerns; `code` and `params` make the message."""

    def __init__(self, field_name: str, code: str, params: dict | None = None):
        super().__init__(code)
        self.field = field_name
        self.code = code
        self.params = params or {}


@dataclass(frozen=True)
class Added:
    rows: list  # the new rows
    ended: list  # the rows this ended (their valid_to set)


def last_day(valid_to: date | None) -> date | None:
    """People say the last day a rule is in force; the table keeps the first day after."""
    return valid_to - timedelta(days=1) if valid_to else None


def message(error: RuleError) -> str:
    params = {k: short_date(v) if isinstance(v, date) else v for k, v in error.params.items()}
    if error.code == "overlap":
        return _(
            "Overlaps the rule in force from %(start)s (%(category)s): a day would have two rules.",
            **params,
        )
    if error.code == "gap":
        return _("Leaves %(start)s to %(end)s without a rule (%(category)s).", **params)
    return {
        "required": _("Required."),
        "source": _("Give the decree or decision the rule comes from (at most 200 characters)."),
        "order": _("The last day must not be before the first."),
        "percent": _("A percentage from 0 to 100."),
        "contribution_percent": _("A percentage from 1 to 100."),
        "positive": _("A positive whole number of đồng."),
        "step": _("The income basis is a whole number of thousands of đồng."),
        "range": _("The maximum must not be below the minimum."),
        "no_rate": _("Give the percentage of at least one category."),
        "only": _("The only rule of its kind cannot be withdrawn."),
        "not_latest": _("Only the latest rule of its kind can be withdrawn."),
    }[error.code]


def _kind_label(category: str | None) -> str:
    return str(ENROLLMENT_CATEGORIES[category]) if category else _("income basis")


def _fit(rows: list, valid_from: date, valid_to: date | None, category: str | None):
    """Where a new row [valid_from, valid_to) goes in a chain sorted by valid_from: the open
    latest row it ends, or None; raises RuleError on an overlap or a gap."""
    if not rows:
        return None
    first, last = rows[0], rows[-1]

    def overlap(row):
        return RuleError(
            "valid_from",
            "overlap",
            {"start": row.valid_from, "category": _kind_label(category)},
        )

    def gap(start: date, end: date):
        return RuleError(
            "valid_to" if end == first.valid_from else "valid_from",
            "gap",
            {"start": start, "end": last_day(end), "category": _kind_label(category)},
        )

    if valid_from < first.valid_from:
        if valid_to is None or valid_to > first.valid_from:
            raise overlap(first)
        if valid_to < first.valid_from:
            raise gap(valid_to, first.valid_from)
        return None
    if valid_from > last.valid_from:
        if last.valid_to is None:
            return last
        if last.valid_to > valid_from:
            raise overlap(last)
        if last.valid_to < valid_from:
            raise gap(last.valid_to, valid_from)
        return None
    covering = next(
        row for row in reversed(rows) if row.valid_from <= valid_from
    )  # valid_from lies within the chain: some row already covers it
    raise overlap(covering)


def _check_dates(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from is None:
        raise RuleError("valid_from", "required")
    if valid_to is not None and valid_to <= valid_from:
        raise RuleError("valid_to", "order")


def _check_source(source: str) -> str:
    text = (source or "").strip()
    if not text or len(text) > 200:
        raise RuleError("source", "source")
    return text


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ended(actor: User | None, row, entity: str, fields: tuple, valid_from: date) -> None:
    before = audit.snapshot(row, fields)
    row.valid_to = valid_from
    audit.record(actor, "update", entity, row.id, before, audit.snapshot(row, fields))


def _chain(model, category: str | None = None) -> list:
    query = select(model).order_by(model.valid_from).with_for_update()
    if category is not None:
        query = query.where(model.category == category)
    return list(db.session.scalars(query))


def add_basis(actor: User | None, values: BasisValues) -> Added:
    _check_dates(values.valid_from, values.valid_to)
    if not _whole(values.contribution_percent) or not 1 <= values.contribution_percent <= 100:
        raise RuleError("contribution_percent", "contribution_percent")
    for name in ("minimum_basis", "maximum_basis"):
        amount = getattr(values, name)
        if not _whole(amount) or amount <= 0 or amount > 10**12:
            raise RuleError(name, "positive")
    if values.minimum_basis % BASIS_STEP:
        raise RuleError("minimum_basis", "step")
    if values.maximum_basis < values.minimum_basis:
        raise RuleError("maximum_basis", "range")
    source = _check_source(values.source)
    ends = _fit(_chain(IncomeBasisRule), values.valid_from, values.valid_to, None)
    if ends is not None:
        _ended(actor, ends, "income_basis_rule", BASIS_FIELDS, values.valid_from)
    rule = IncomeBasisRule(
        valid_from=values.valid_from,
        valid_to=values.valid_to,
        contribution_percent=values.contribution_percent,
        minimum_basis=values.minimum_basis,
        maximum_basis=values.maximum_basis,
        source=source,
    )
    db.session.add(rule)
    db.session.flush()
    audit.record(
        actor, "create", "income_basis_rule", rule.id, None, audit.snapshot(rule, BASIS_FIELDS)
    )
    db.session.commit()
    return Added([rule], [ends] if ends else [])


def add_support(actor: User | None, values: SupportValues) -> Added:
    _check_dates(values.valid_from, values.valid_to)
    percents = {c: p for c, p in values.percents.items() if p is not None}
    if not percents:
        raise RuleError("form", "no_rate")
    for category, percent in percents.items():
        if category not in ENROLLMENT_CATEGORIES:
            raise RuleError(category, "required")
        if not _whole(percent) or not 0 <= percent <= 100:
            raise RuleError(category, "percent")
    source = _check_source(values.source)
    rows, ended = [], []
    for category, percent in percents.items():
        ends = _fit(_chain(SupportRate, category), values.valid_from, values.valid_to, category)
        if ends is not None:
            _ended(actor, ends, "support_rate", RATE_FIELDS, values.valid_from)
            ended.append(ends)
        rate = SupportRate(
            valid_from=values.valid_from,
            valid_to=values.valid_to,
            category=category,
            percent=percent,
            source=source,
        )
        db.session.add(rate)
        db.session.flush()
        audit.record(
            actor, "create", "support_rate", rate.id, None, audit.snapshot(rate, RATE_FIELDS)
        )
        rows.append(rate)
    db.session.commit()
    return Added(rows, ended)


def withdraw(actor: User | None, model, rule_id: int):
    """Remove the latest rule of its kind; the one before it is in force again as it was
    (open-ended if the withdrawn one had ended it)."""
    rule = db.session.get(model, rule_id)
    if rule is None:
        raise LookupError(rule_id)
    category = getattr(rule, "category", None)
    chain = _chain(model, category)
    if chain[-1].id != rule.id:
        raise RuleError("form", "not_latest")
    if len(chain) == 1:
        raise RuleError("form", "only")
    entity, fields = (
        ("income_basis_rule", BASIS_FIELDS)
        if model is IncomeBasisRule
        else ("support_rate", RATE_FIELDS)
    )
    previous = chain[-2]
    if previous.valid_to == rule.valid_from and rule.valid_to is None:
        before = audit.snapshot(previous, fields)
        previous.valid_to = None
        audit.record(actor, "update", entity, previous.id, before, audit.snapshot(previous, fields))
    audit.record(actor, "delete", entity, rule.id, audit.snapshot(rule, fields), None)
    db.session.delete(rule)
    db.session.commit()
    return previous


def listing() -> tuple[list[IncomeBasisRule], list[SupportRate]]:
    bases = list(db.session.scalars(select(IncomeBasisRule).order_by(IncomeBasisRule.valid_from)))
    order = list(ENROLLMENT_CATEGORIES)
    rates = sorted(
        db.session.scalars(select(SupportRate)),
        key=lambda r: (r.valid_from, order.index(r.category)),
    )
    return bases, rates


def latest_ids() -> set[tuple[str, int]]:
    """The rows that may be withdrawn: the latest of each chain, when it has one before it."""
    bases, rates = listing()
    found = set()
    if len(bases) > 1:
        found.add(("basis", bases[-1].id))
    for category in ENROLLMENT_CATEGORIES:
        chain = [r for r in rates if r.category == category]
        if len(chain) > 1:
            found.add(("support", max(chain, key=lambda r: r.valid_from).id))
    return found
