"""Schemes apart and participants' lifecycle (docs/design.md, "Schemes, lapses and net
growth"): targets and official counts carry their scheme, household health insurance has its
own kept count, a citizen ID is unique per scheme, targets of returns and net growth, renewals
indexed by day (returns are counted from them), the office's settings, and reopenings of
closed periods' targets.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OLD_METRICS = "metric IN ('new_participants', 'contacts', 'households_reached', 'participants_total')"
NEW_METRICS = ("metric IN ('new_participants', 'contacts', 'households_reached', "
               "'participants_total', 'returned', 'net_growth')")
SUBJECTS = ("officer_id", "area_id", "collection_org_id")
LIVE_CITIZEN = sa.text("deleted_at IS NULL AND citizen_id IS NOT NULL")


def _current(column):
    return sa.text(f"replaced_at IS NULL AND {column} IS NOT NULL")


def upgrade():
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_settings_changed_by_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('target_reopenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('open_until', sa.Date(), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_target_reopenings_period_order')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_target_reopenings_reopened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_reopenings'))
    )
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_hi_participants', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme', sa.String(length=16), server_default='voluntary_si', nullable=False))
        for column in SUBJECTS:
            batch_op.drop_index(f'uq_targets_current_{column}', sqlite_where=_current(column), postgresql_where=_current(column))
        batch_op.drop_constraint(op.f('ck_targets_metric'), type_='check')
        batch_op.create_check_constraint('metric', NEW_METRICS)
        batch_op.create_check_constraint('scheme', "scheme IN ('voluntary_si', 'household_hi', 'all')")
    op.execute("UPDATE targets SET scheme = 'all' WHERE metric IN ('contacts', 'households_reached')")
    with op.batch_alter_table('targets', schema=None) as batch_op:
        for column in SUBJECTS:
            batch_op.create_index(f'uq_targets_current_{column}', [column, 'metric', 'scheme', 'period_start', 'period_end'], unique=True, sqlite_where=_current(column), postgresql_where=_current(column))
    with op.batch_alter_table('participant_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme', sa.String(length=16), server_default='voluntary_si', nullable=False))
        batch_op.drop_constraint(op.f('uq_participant_counts_area_id'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_participant_counts_area_id'), ['area_id', 'as_of', 'scheme'])
        batch_op.create_check_constraint('scheme', "scheme IN ('voluntary_si', 'household_hi')")
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrollments_live_citizen_id', sqlite_where=LIVE_CITIZEN, postgresql_where=LIVE_CITIZEN)
        batch_op.create_index('uq_enrollments_live_citizen_id', ['citizen_id', 'scheme'], unique=True, sqlite_where=LIVE_CITIZEN, postgresql_where=LIVE_CITIZEN)
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewals_renewed_on'), ['renewed_on'], unique=False)
    # Until now every enrollment counted as a new participant of voluntary social insurance:
    # count each scheme apart.
    for column, scheme in (("new_participants", "voluntary_si"), ("new_hi_participants", "household_hi")):
        op.execute(
            f"UPDATE activity_summaries SET {column} = (SELECT count(*) FROM enrollments e "
            f"WHERE e.deleted_at IS NULL AND e.scheme = '{scheme}' "
            "AND e.enrolled_on BETWEEN activity_summaries.period_start AND activity_summaries.period_end "
            "AND ((activity_summaries.subject = 'officer' AND e.officer_id = activity_summaries.subject_id) "
            "OR (activity_summaries.subject = 'area' AND e.area_id = activity_summaries.subject_id)))"
        )


def downgrade():
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewals_renewed_on'))
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrollments_live_citizen_id', sqlite_where=LIVE_CITIZEN, postgresql_where=LIVE_CITIZEN)
        batch_op.create_index('uq_enrollments_live_citizen_id', ['citizen_id'], unique=True, sqlite_where=LIVE_CITIZEN, postgresql_where=LIVE_CITIZEN)
    with op.batch_alter_table('participant_counts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participant_counts_scheme'), type_='check')
        batch_op.drop_constraint(op.f('uq_participant_counts_area_id'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_participant_counts_area_id'), ['area_id', 'as_of'])
        batch_op.drop_column('scheme')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        for column in SUBJECTS:
            batch_op.drop_index(f'uq_targets_current_{column}', sqlite_where=_current(column), postgresql_where=_current(column))
        batch_op.drop_constraint(op.f('ck_targets_scheme'), type_='check')
        batch_op.drop_constraint(op.f('ck_targets_metric'), type_='check')
        batch_op.create_check_constraint('metric', OLD_METRICS)
        batch_op.drop_column('scheme')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        for column in SUBJECTS:
            batch_op.create_index(f'uq_targets_current_{column}', [column, 'metric', 'period_start', 'period_end'], unique=True, sqlite_where=_current(column), postgresql_where=_current(column))
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        batch_op.drop_column('new_hi_participants')
    op.drop_table('target_reopenings')
    op.drop_table('settings')
