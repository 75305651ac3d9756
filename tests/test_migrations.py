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
    assert db.session.scalar(select(func.count()).select_from(IncomeBasisRule)) == 10
    assert db.session.scalar(select(func.count()).select_from(SupportRate)) == 12


def test_the_rules_follow_on_with_no_gap_or_overlap(app):
    """0009 chains valid_to: each rule ends where the next begins, the last is open."""
    bases = db.session.scalars(select(IncomeBasisRule).order_by(IncomeBasisRule.valid_from))
    chains = [list(bases)]
    for category in ("poor", "near_poor", "ethnic_minority", "other"):
        rates = select(SupportRate).where(SupportRate.category == category)
        chains.append(list(db.session.scalars(rates.order_by(SupportRate.valid_from))))
    for chain in chains:
        assert chain[0].valid_from.isoformat() == "2016-01-01"
        assert [r.valid_to for r in chain[:-1]] == [r.valid_from for r in chain[1:]]
        assert chain[-1].valid_to is None
        assert all(r.source for r in chain)


def test_progress_indexes_exist(app):
    inspector = inspect(db.engine)
    contact_indexes = {i["name"] for i in inspector.get_indexes("contacts")}
    assert {"ix_contacts_officer_contacted_on", "ix_contacts_area_contacted_on"} <= contact_indexes
