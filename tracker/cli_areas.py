"""Command-line tasks for areas in time: `flask --app app reorganise FILE` applies a mapping of
(old code, new code, new name, kind, parent, effective date, share) after a preview, and `flask
--app app areas load --province NAME` builds a province's units and its 2025 reorganisation from
the official catalogues (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from .services import reorganisation as reorg
from .services.reorganisation.catalogue import CatalogueError


def _describe(plan: reorg.Plan) -> None:
    begun = [u for u in plan.units.values() if u.existing is None]
    day = plan.effective_on.isoformat() if plan.effective_on else "?"
    click.echo(
        f"{day}: {len(plan.ends)} units end, {len(begun)} begin, {len(plan.links)} successions, "
        f"{len(plan.households)} households and {plan.assignments} assignments move, "
        f"{len(plan.targets_carried)} targets carried, {len(plan.targets_withdrawn)} withdrawn"
    )
    for office, code in plan.offices:
        click.echo(f"  {office.name} will cover {plan.units[code].name}")
    for problem in plan.problems:
        _problem(problem)


def _problem(problem: reorg.Problem) -> None:
    from .admin.reorganisations import problem_message

    message = problem_message(problem.code, problem.params)
    click.echo(f"  line {problem.line}, {problem.column}: {message}", err=True)


@click.command("reorganise")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="The decision, e.g. Nghị quyết 1673/NQ-UBTVQH15.")
@click.option("--dry-run", is_flag=True, help="Preview only; write nothing.")
@click.option("--yes", is_flag=True, help="Apply without asking after the preview.")
def reorganise_command(path: Path, source: str, dry_run: bool, yes: bool) -> None:
    """Preview, then apply, the reorganisation in PATH (CSV or XLSX): every date of the file in
    one transaction, or nothing."""
    try:
        rows, problems = reorg.read_rows(reorg.table_cells(path.read_bytes(), path.name))
    except reorg.MappingError as error:
        raise click.ClickException(f"{path.name} cannot be read ({error.code})") from error
    for problem in problems:
        _problem(problem)
    if problems:
        raise click.ClickException("nothing applied: fix the rows above")
    plans = [reorg.build_plan(day_rows) for day_rows in reorg.by_date(rows)]
    for plan in plans:
        _describe(plan)
    if any(not plan.can_apply for plan in plans):
        raise click.ClickException("nothing applied: fix the rows above")
    if dry_run or not (yes or click.confirm("Apply?", default=False)):
        click.echo("nothing applied")
        return
    applied = reorg.apply_all(None, rows, source)
    if any(not plan.can_apply for plan in applied):
        for plan in applied:
            _describe(plan)
        raise click.ClickException("nothing applied: fix the rows above")
    click.echo(f"applied {len(applied)} reorganisation(s)")


areas_group = AppGroup("areas", help="Areas in time: load a province from the official catalogues.")


@areas_group.command("load")
@click.option("--province", required=True, help='Today\'s province, e.g. "Lào Cai".')
@click.option("--dry-run", is_flag=True, help="Preview only; write nothing.")
@click.option("--yes", is_flag=True, help="Apply without asking after the preview.")
@click.option(
    "--write-mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the mapping as CSV, to edit (the shares of a split) and apply with "
    "`flask reorganise`.",
)
def load_command(province: str, dry_run: bool, yes: bool, write_mapping: Path | None) -> None:
    """Build PROVINCE's units (today's and those of 2008–2025) and its 2025 reorganisation from
    the pinned official packages; once applied, add and rename what a newer release changed."""
    from .services.reorganisation.load import load_province

    try:
        report = load_province(province, None, apply_it=False)
    except CatalogueError as error:
        raise click.ClickException(f"no province called {error.name!r} today") from error
    catalogue = report.catalogue
    click.echo(
        f"{catalogue.province.name}: {len(catalogue.units)} units today ({catalogue.release})"
    )
    if write_mapping:
        write_mapping.write_text(reorg.to_csv(list(catalogue.mapping)), encoding="utf-8")
        click.echo(f"mapping written to {write_mapping}")
    if report.plan is not None:
        click.echo(f"{len(report.added_history)} units of 2008–2025 to add as history")
        _describe(report.plan)
    else:
        added, renamed = len(report.added), len(report.renamed)
        click.echo(f"already reorganised; {added} units to add, {renamed} to rename")
        for code, was, now in report.renamed:
            click.echo(f"  {code}: {was} → {now}")
    if not report.can_apply:
        raise click.ClickException("nothing applied: fix the problems above")
    nothing = report.plan is None and not report.added and not report.renamed
    if nothing or dry_run or not (yes or click.confirm("Apply?", default=False)):
        click.echo("nothing applied")
        return
    load_province(province, None, apply_it=True)
    click.echo("applied")


def init_app(app: Flask) -> None:
    app.cli.add_command(reorganise_command)
    app.cli.add_command(areas_group)
