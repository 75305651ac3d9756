"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import BASE_CONFIG, POSTGRES_URL, postgres_config
from tracker import create_app
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


@pytest.fixture
def empty_database(backend, tmp_path):
    """A database of this test's own, for migrating up and down with rows in it."""
    if backend == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"}
        return
    schema = f"test_m_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield postgres_config(schema)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_0009_fills_the_amounts_of_earlier_payments_and_downgrades(empty_database):
    """Rows made before 0009: the enrollment's supported months, and the renewals' method and
    amounts by the rules of their date, the cap counted across them in the order paid; then
    down again, with the rows still there (SQLite refuses to drop a referenced table)."""
    app = create_app({**BASE_CONFIG, **empty_database})
    with app.app_context():
        upgrade(revision="0007")
        run = db.session.execute
        run(
            text(
                "INSERT INTO users (id, username, full_name, role, active, locale, "
                "password_hash, must_change_password, created_at) VALUES (1, 'lan', 'Lan', "
                "'officer', :yes, 'vi', 'x', :no, :day)"
            ),
            {"yes": True, "no": False, "day": datetime(2017, 1, 1)},
        )
        run(text("INSERT INTO areas (id, code, name, kind) VALUES (1, 'KT', 'Kim Tân', 'ward')"))
        enrollment = text(
            "INSERT INTO enrollments (id, officer_id, area_id, participant_name, enrolled_on, "
            "scheme, category, income_basis, payment_period, months_paid, paid_through_on, "
            "monthly_contribution, monthly_state_support, client_token, created_at) VALUES "
            "(:id, 1, 1, 'A', :on, 'voluntary_si', :category, :basis, :period, :months, "
            ":through, :contribution, :support, :token, :at)"
        )
        run(
            enrollment,
            [
                {
                    "id": 1,
                    "on": date(2018, 3, 1),
                    "category": "poor",
                    "basis": 700_000,
                    "period": "lump_sum",
                    "months": 600,
                    "through": date(2068, 2, 29),
                    "contribution": 154_000,
                    "support": 46_200,
                    "token": "e1",
                    "at": datetime(2018, 3, 1),
                },
                {
                    "id": 2,
                    "on": date(2024, 1, 2),
                    "category": "near_poor",
                    "basis": 2_000_000,
                    "period": "3",
                    "months": 3,
                    "through": date(2024, 4, 1),
                    "contribution": 440_000,
                    "support": 82_500,
                    "token": "e2",
                    "at": datetime(2024, 1, 2),
                },
            ],
        )
        renewal = text(
            "INSERT INTO renewals (id, enrollment_id, officer_id, renewed_on, months, "
            "paid_through_before, paid_through_after, client_token, created_at) VALUES "
            "(:id, :enrollment, 1, :on, :months, :before, :after, :token, :on)"
        )
        run(
            renewal,
            [
                {
                    "id": 1,
                    "enrollment": 1,
                    "on": date(2025, 8, 1),
                    "months": 12,
                    "before": date(2068, 2, 29),
                    "after": date(2069, 2, 28),
                    "token": "r1",
                },
                {
                    "id": 2,
                    "enrollment": 2,
                    "on": date(2025, 7, 5),
                    "months": 6,
                    "before": date(2024, 4, 1),
                    "after": date(2024, 10, 1),
                    "token": "r2",
                },
            ],
        )
        db.session.commit()
        upgrade()
        rows = {r.id: r for r in run(text("SELECT * FROM renewals"))}
        first, second = rows[1], rows[2]
        # The 600-month lump sum took all 120 months of support: the renewal gets none.
        assert run(text("SELECT supported_months FROM enrollments WHERE id = 1")).scalar() == 120
        assert (first.method, first.monthly_contribution, first.supported_months) == (
            "12",
            330_000,  # 700,000 raised to the 2025 minimum of 1,500,000
            0,
        )
        assert (second.method, second.income_basis, second.monthly_state_support) == (
            "6",
            2_000_000,
            132_000,  # near-poor from 2025-07-01: 40 % of 330,000
        )
        assert second.supported_months == 6
        db.session.commit()
        with pytest.raises(IntegrityError):  # the check came with the column
            run(text("UPDATE enrollments SET supported_months = 121 WHERE id = 2"))
        db.session.rollback()
        downgrade(revision="0007")
        bases = run(text("SELECT valid_from, maximum_basis FROM income_basis_rules")).all()
        assert (date(2018, 1, 1), 27_800_000) in [(date.fromisoformat(str(d)), m) for d, m in bases]
        assert run(text("SELECT count(*) FROM renewals")).scalar() == 2
        db.session.remove()
        db.engine.dispose()
