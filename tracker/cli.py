"""Command-line tasks: `flask --app app seed-demo`, `create-user`, `rebuild-counts`; backups,
areas, rules and the jobs worker register their own commands."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from .access import CAPABILITIES
from .errors import RuleBroken
from .extensions import db
from .services import users as user_service
from .services.passwords import password_problem


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the Lào Cai city demo data (idempotent: running it again adds nothing)."""
    from .demo import seed

    summary = seed()
    for name, count in summary.items():
        click.echo(f"{name}: {count} added")
    listed = write_demo_insurer_list()
    click.echo(f"the insurer's list for Reconciliation: {listed}")


def write_demo_insurer_list() -> str:
    """The demo office's per-person list from the insurer, beside the database, to import on
    Outreach › Reconciliation with the insurer."""
    from .dates import local_today
    from .demo.insurer_list import csv_bytes

    path = os.path.join(current_app.instance_path, "demo-insurer-list.csv")
    os.makedirs(current_app.instance_path, exist_ok=True)
    with open(path, "wb") as target:
        target.write(csv_bytes(local_today()))
    return path


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(sorted(CAPABILITIES["view_boards"])))
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username: str, role: str, full_name: str | None, password: str) -> None:
    """Create a user who can sign in at once."""
    problem = password_problem(password, username)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    changes = user_service.UserChanges(
        username=username, full_name=full_name or username, role=role
    )
    try:
        user = user_service.create_user(None, changes, password)
    except RuleBroken as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error.text()}") from error
    click.echo(f"created {user.username} ({user.role})")


@click.command("rebuild-counts")
def rebuild_counts_command() -> None:
    """Recompute the kept counts of the boards (activity_summaries) from the contacts and
    enrollments: after rows were loaded or edited by hand in SQL, which the app never sees."""
    from .progress import summary

    summary.rebuild(db.session.connection())
    db.session.commit()
    rows = db.session.scalar(select(func.count()).select_from(summary.S))
    click.echo(f"kept counts rebuilt: {rows} rows")


@click.command("book-lapses")
def book_lapses_command() -> None:
    """Book the lapses of every day since the last booked one (run daily, e.g. by cron just
    after midnight; docs/design.md, "Metrics"). Safe to run again: a booked day is never
    booked twice, and a missed day is booked by the next run."""
    from .progress import lapse_book

    days = lapse_book.book()
    db.session.commit()
    click.echo(f"lapses booked through {lapse_book.today():%Y-%m-%d} ({days} day(s) booked)")


def register_commands(app: Flask) -> None:
    from . import backup, cli_areas, cli_rules, jobs

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(rebuild_counts_command)
    app.cli.add_command(book_lapses_command)
    backup.init_app(app)
    cli_areas.init_app(app)
    jobs.init_app(app)
    cli_rules.init_app(app)
