"""Fixtures: a fresh app and database per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

The schema is built once per backend by the migrations themselves (so every test also proves
they work), then each test gets an empty copy: a copied SQLite file, or truncated PostgreSQL
tables in a schema of this run's own.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tracker import create_app
from tracker.extensions import db

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
# Rows the migrations load (the dated rules) survive between tests; on PostgreSQL the rules
# are put back as the migrations left them, since tests add and withdraw rules.
RULE_TABLES = ("income_basis_rules", "support_rates")
KEEP_TABLES = {"alembic_version", *RULE_TABLES}

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_ATTEMPTS_LIMIT": "1000 per minute",
    "LOGIN_USERNAME_LIMIT": "1000 per minute",
    "LOGIN_ADDRESS_LIMIT": "1000 per minute",
    "SERVER_NAME": None,
}

if IN_CI and not POSTGRES_URL:
    raise pytest.UsageError(
        "CI=true needs TEST_DATABASE_URL: the suite must run on PostgreSQL too."
    )


def _migrate(config: dict) -> None:
    app = create_app({**BASE_CONFIG, **config})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    return path


@pytest.fixture(scope="session")
def postgres_schema():
    """A schema of this run's own, so parallel or earlier runs never see each other's rows."""
    schema = f"test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    config = postgres_config(schema)
    _migrate(config)
    rules_engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    with rules_engine.connect() as connection:
        MIGRATED_RULES.update(
            {
                name: [
                    dict(row)
                    for row in connection.execute(text(f"SELECT * FROM {name}")).mappings()
                ]
                for name in RULE_TABLES
            }
        )
    rules_engine.dispose()
    yield schema
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


MIGRATED_RULES: dict[str, list[dict]] = {}


def _restore_rules() -> None:
    """The rule tables as the migrations loaded them (tests add and withdraw rules)."""
    for name in RULE_TABLES:
        table = db.metadata.tables[name]
        db.session.execute(table.delete())
        db.session.execute(table.insert(), MIGRATED_RULES[name])


def postgres_config(schema: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        },
    }


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_config(backend, request, tmp_path) -> dict:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    schema = request.getfixturevalue("postgres_schema")
    return postgres_config(schema)


@pytest.fixture
def make_app(database_config, backend):
    """Build the app under test with extra settings, on an empty database."""
    apps = []

    def build(**overrides):
        app = create_app({**BASE_CONFIG, **database_config, **overrides})
        app.test_client_class = RequestIsolatingClient
        if backend == "postgresql" and not apps:
            with app.app_context():
                names = [t.name for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]
                db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
                _restore_rules()
                db.session.commit()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


class RequestIsolatingClient(FlaskClient):
    """Each request runs in an app context of its own, as in production: a fresh `g` (so no
    cached user or locale leaks between requests) and its own database session. The test's
    session ends its transaction around each request, so it sees what the request wrote."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    """Sign in and out through the real forms, as a browser would."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "correct-horse-9", **extra):
        data = {"username": username, "password": password, **extra}
        return self.client.post("/login", data=data)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped database or browser test is a failure, not a pass."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1


@pytest.fixture
def targets_today(monkeypatch):
    """Set the day the target rules see: targets of periods that ended before it are locked
    (services/target_locks.py), so tests that set the targets of 2024 live in 2024."""

    def set_day(day):
        monkeypatch.setattr("tracker.services.targets.local_today", lambda: day)

    return set_day
