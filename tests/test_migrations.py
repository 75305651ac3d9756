"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from tracker.extensions import db
from tracker.models import IncomeBasisRule, SupportRate


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_load_the_dated_rules(app):
    assert db.session.scalar(select(func.count()).select_from(IncomeBasisRule)) >= 5
    assert db.session.scalar(select(func.count()).select_from(SupportRate)) == 8


def test_progress_indexes_exist(app):
    inspector = inspect(db.engine)
    contact_indexes = {i["name"] for i in inspector.get_indexes("contacts")}
    assert {"ix_contacts_officer_contacted_on", "ix_contacts_area_contacted_on"} <= contact_indexes
