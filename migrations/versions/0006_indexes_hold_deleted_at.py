"""The live progress indexes also hold deleted_at (always NULL in them) and, for contacts, the
outcome: SQLite otherwise reads the table for every row to check them (docs/performance.md:
participants on a date, 55 to 11 ms at province scale).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")
INDEXES = [
    ("contacts", "ix_contacts_officer_contacted_on",
     ["officer_id", "contacted_on", "household_id"],
     ["officer_id", "contacted_on", "household_id", "outcome", "deleted_at"]),
    ("contacts", "ix_contacts_area_contacted_on",
     ["area_id", "contacted_on", "household_id"],
     ["area_id", "contacted_on", "household_id", "outcome", "deleted_at"]),
    ("enrollments", "ix_enrollments_officer_enrolled_on",
     ["officer_id", "enrolled_on"], ["officer_id", "enrolled_on", "deleted_at"]),
    ("enrollments", "ix_enrollments_area_enrolled_on",
     ["area_id", "enrolled_on"], ["area_id", "enrolled_on", "deleted_at"]),
]


def upgrade():
    for table, name, _old, new in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, new, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    for table, name, old, _new in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, old, sqlite_where=LIVE, postgresql_where=LIVE)
