"""Progress indexes cover their queries and hold only live rows (measured in
docs/performance.md: the officer leaderboard's counts stop reading the table).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
INDEXES = [
    ("contacts", "ix_contacts_officer_contacted_on", ["officer_id", "contacted_on"],
     ["officer_id", "contacted_on", "household_id"]),
    ("contacts", "ix_contacts_area_contacted_on", ["area_id", "contacted_on"],
     ["area_id", "contacted_on", "household_id"]),
    ("enrollments", "ix_enrollments_officer_enrolled_on", ["officer_id", "enrolled_on"],
     ["officer_id", "enrolled_on"]),
    ("enrollments", "ix_enrollments_area_enrolled_on", ["area_id", "enrolled_on"],
     ["area_id", "enrolled_on"]),
]


def upgrade():
    for table, name, _old, new in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, new, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    for table, name, old, _new in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, old)
