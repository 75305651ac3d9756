"""`flask --app app backup PATH` and `restore PATH`: SQLite's online backup API, or pg_dump and
pg_restore for PostgreSQL. docs/operations.md has the procedure."""

from __future__ import annotations

import shutil
import sqlite3

# Why B404 does not apply: runs pg_dump/pg_restore with fixed arguments, no shell
import subprocess  # nosec B404
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url

from .extensions import db


def _libpq_url() -> str:
    """The PostgreSQL URL without SQLAlchemy's driver name, as pg_dump expects it."""
    return (
        make_url(db.engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(f"{name} is not installed (Debian: postgresql-client).")
    return path


def backup(path: Path) -> None:
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            source = connection.connection.dbapi_connection
            with sqlite3.connect(path) as target:
                source.backup(target)  # consistent copy while the app keeps running
        return
    with db.engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    # Why B603 does not apply: fixed program and arguments
    subprocess.run(  # nosec B603
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--schema={schema}",
            f"--file={path}",
            _libpq_url(),
        ],
        check=True,
    )


def restore(path: Path) -> None:
    if not path.exists():
        raise click.ClickException(f"{path} does not exist.")
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        with sqlite3.connect(path) as source, db.engine.connect() as connection:
            source.backup(connection.connection.dbapi_connection)
        db.engine.dispose()
        return
    db.engine.dispose()
    # Why B603 does not apply: fixed program and arguments
    subprocess.run(  # nosec B603
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url()}",
            str(path),
        ],
        check=True,
    )


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH."""
    backup(path)
    click.echo(f"backup written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup at PATH."""
    if not yes:
        click.confirm("This replaces everything in the database. Go on?", abort=True)
    restore(path)
    click.echo(f"restored from {path}")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
