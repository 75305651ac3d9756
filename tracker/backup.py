"""`flask --app app backup PATH` and `restore PATH`: SQLite's online backup API, or pg_dump and
pg_restore for PostgreSQL. docs/operations.md has the procedure.

Backups are written 0600 and the database password travels to pg_dump in its environment,
never on its command line (where `ps` shows it to every user of the machine)."""

from __future__ import annotations

import os
import shutil
import sqlite3

# Why B404 does not apply: runs pg_dump/pg_restore with fixed arguments, no shell
import subprocess  # nosec B404
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url

from . import data_versions
from .extensions import db


def _libpq() -> tuple[str, dict[str, str]]:
    """The PostgreSQL URL as pg_dump expects it, without its password, and the environment
    that carries the password: a command line is visible to every user of the machine (`ps`),
    a process's environment is not."""
    url = make_url(db.engine.url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url._replace(password=None).render_as_string(hide_password=False), env


def _private_file(path: Path) -> int:
    """Open `path` for writing, readable by the owner only (0600) from its first byte: a
    backup holds every user's password hash and every household's phone number."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file that already existed keeps its mode otherwise
    return descriptor


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(f"{name} is not installed (Debian: postgresql-client).")
    return path


def backup(path: Path) -> None:
    descriptor = _private_file(path)
    if db.engine.dialect.name == "sqlite":
        os.close(descriptor)  # SQLite writes into the empty, private file
        with db.engine.connect() as connection:
            source = connection.connection.dbapi_connection
            with sqlite3.connect(path) as target:
                source.backup(target)  # consistent copy while the app keeps running
        return
    with db.engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    url, env = _libpq()
    try:
        # Why B603 does not apply: fixed program and arguments, no shell
        subprocess.run(  # nosec B603
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--schema={schema}", url],
            stdout=descriptor,
            env=env,
            check=True,
        )
    finally:
        os.close(descriptor)


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
    url, env = _libpq()
    # Why B603 does not apply: fixed program and arguments, no shell
    subprocess.run(  # nosec B603
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={url}",
            str(path),
        ],
        env=env,
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
    data_versions.forget_all()  # boards cached from the data it replaced
    click.echo(f"restored from {path}")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
