"""A covering index over live enrollments by paid-through date: lapses are counted live, and a
province's year of them (tens of thousands) was read row by row from the table (the ward board
and the dashboard at 0.6 and 1.0 s on the bench province, docs/performance.md).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_paid_through_on_scheme', ['paid_through_on', 'scheme', 'area_id', 'officer_id', 'collection_org_id', 'deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))



def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollments_paid_through_on_scheme', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

