"""targets.exact_value: the unrounded share a closed month keeps when it is pinned.

A write of any target of a year first pins every closed month of that year without a target of
its own to the target it has then (services/target_locks.py). That share is rarely a whole
number (a year of 120 gives January 10.19), and a whole-number pin would move the closed month
by up to half a participant, and its percentage with it. The pin keeps the exact share here;
`value` holds it rounded, for the grids. NULL for every target a person set.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('targets') as batch_op:
        batch_op.add_column(sa.Column('exact_value', sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table('targets') as batch_op:
        batch_op.drop_column('exact_value')
