"""`flask --app app rules list|add|withdraw`: the dated rules of voluntary social insurance
from the command line, with the same validation and audit as the admin screen
(tracker/services/rules.py; docs/operations.md)."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .models import IncomeBasisRule, SupportRate
from .services import rules as rule_service
from .vocab import ENROLLMENT_CATEGORIES

rules_group = AppGroup("rules", help="The dated rules of voluntary social insurance.")


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("a date as YYYY-MM-DD", param_hint=name) from error


def _span(rule) -> str:
    end = rule_service.last_day(rule.valid_to)
    return f"{rule.valid_from.isoformat()} – {end.isoformat() if end else '…':10}"


@rules_group.command("list")
def list_command() -> None:
    """Every income basis rule and support rate, with when it is in force and its source."""
    bases, rates = rule_service.listing()
    click.echo("Income bases (VND a month; contribution = percent of the basis):")
    for rule in bases:
        click.echo(
            f"  #{rule.id:<3} {_span(rule)}  {rule.contribution_percent} %  "
            f"{rule.minimum_basis:>12,} – {rule.maximum_basis:>12,}  {rule.source}"
        )
    click.echo("Support rates (percent of the minimum contribution):")
    for rate in rates:
        click.echo(
            f"  #{rate.id:<3} {_span(rate)}  {rate.category:<16}{rate.percent:>4} %  {rate.source}"
        )


def _rates(values: tuple[str, ...]) -> dict[str, int]:
    found = {}
    for value in values:
        category, _, percent = value.partition("=")
        if category not in ENROLLMENT_CATEGORIES or not percent.strip().isdigit():
            raise click.BadParameter(
                f"CATEGORY=PERCENT with CATEGORY one of {', '.join(ENROLLMENT_CATEGORIES)}",
                param_hint="--rate",
            )
        found[category] = int(percent)
    return found


@rules_group.command("add")
@click.option("--kind", type=click.Choice(["basis", "support"]), required=True)
@click.option("--from", "valid_from", required=True, help="First day in force, YYYY-MM-DD.")
@click.option("--until", "until", default=None, help="Last day in force (default: open-ended).")
@click.option("--minimum", type=int, help="basis: the rural poverty line, VND.")
@click.option("--maximum", type=int, help="basis: 20 × the base salary, VND.")
@click.option("--percent", type=int, default=22, show_default=True, help="basis: contribution.")
@click.option("--rate", "rates", multiple=True, help="support: CATEGORY=PERCENT, repeatable.")
@click.option("--source", required=True, help="The decree or decision, e.g. NĐ 351/2025/NĐ-CP.")
def add_command(kind, valid_from, until, minimum, maximum, percent, rates, source) -> None:
    """Add a dated rule. A rule from a day after the open-ended latest one ends that one the
    day before; an overlap or a gap is refused and nothing is written."""
    start = _day(valid_from, "--from")
    last = _day(until, "--until")
    valid_to = last + timedelta(days=1) if last else None
    try:
        if kind == "basis":
            if minimum is None or maximum is None:
                raise click.UsageError("--kind basis needs --minimum and --maximum")
            added = rule_service.add_basis(
                None,
                rule_service.BasisValues(start, valid_to, percent, minimum, maximum, source),
            )
        else:
            if not rates:
                raise click.UsageError("--kind support needs at least one --rate CATEGORY=PERCENT")
            added = rule_service.add_support(
                None, rule_service.SupportValues(start, valid_to, _rates(rates), source)
            )
    except rule_service.RuleError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {rule_service.message(error)}") from error
    for row in added.ended:
        click.echo(f"ended #{row.id} ({_span(row).strip()})")
    for row in added.rows:
        click.echo(f"added #{row.id} ({_span(row).strip()})")


@rules_group.command("withdraw")
@click.option("--kind", type=click.Choice(["basis", "support"]), required=True)
@click.argument("rule_id", type=int)
def withdraw_command(kind: str, rule_id: int) -> None:
    """Withdraw the latest rule of its kind (a mistake); the one before is in force again."""
    model = IncomeBasisRule if kind == "basis" else SupportRate
    try:
        previous = rule_service.withdraw(None, model, rule_id)
    except LookupError as error:
        raise click.ClickException(f"no {kind} rule #{rule_id}") from error
    except rule_service.RuleError as error:
        db.session.rollback()
        raise click.ClickException(rule_service.message(error)) from error
    click.echo(f"withdrew #{rule_id}; #{previous.id} ({_span(previous).strip()}) is in force")


def init_app(app: Flask) -> None:
    app.cli.add_command(rules_group)
