"""Counts per officer and per area for calendar months, quarters and years, kept ready for the
boards (docs/performance.md), filled from the live contacts and enrollments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

MONTHS = {'month': 1, 'quarter': 3, 'year': 12}


def bounds(dialect, kind, day):
    """SQL for the first and last day of the period of `kind` holding the date column `day`
    (frozen here: the app's own version may change after this migration)."""
    months = MONTHS[kind]
    if dialect == 'postgresql':
        start = f"date_trunc('{kind}', {day})"
        return (f"CAST({start} AS DATE)",
                f"CAST({start} + interval '{months} months' - interval '1 day' AS DATE)")
    if kind == 'quarter':
        start = (f"date({day}, 'start of month', "
                 f"printf('-%d months', (CAST(strftime('%m', {day}) AS INTEGER) - 1) % 3))")
    else:
        start = f"date({day}, 'start of {kind}')"
    return start, f"date({start}, '+{months} months', '-1 day')"


def upgrade():
    op.create_table(
        'activity_summaries',
        sa.Column('subject', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('subject_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('contacts', sa.Integer(), nullable=False),
        sa.Column('households_reached', sa.Integer(), nullable=False),
        sa.Column('interested_households', sa.Integer(), nullable=False),
        sa.Column('new_participants', sa.Integer(), nullable=False),
        sa.CheckConstraint("subject IN ('officer', 'area')", name=op.f('ck_activity_summaries_subject')),
        sa.CheckConstraint("kind IN ('month', 'quarter', 'year')", name=op.f('ck_activity_summaries_kind')),
        sa.PrimaryKeyConstraint('subject', 'kind', 'period_start', 'subject_id',
                                name=op.f('pk_activity_summaries')),
    )
    dialect = op.get_bind().dialect.name
    columns = "subject, kind, period_start, period_end, subject_id"
    for key, subject in (('officer_id', 'officer'), ('area_id', 'area')):
        for kind in MONTHS:
            start, end = bounds(dialect, kind, 'contacted_on')
            op.execute(
                f"INSERT INTO activity_summaries ({columns}, contacts, households_reached, "
                f"interested_households, new_participants) "
                f"SELECT '{subject}', '{kind}', {start}, {end}, {key}, count(*), "
                f"count(DISTINCT household_id), count(DISTINCT CASE WHEN outcome IN "
                f"('interested', 'enrolled') THEN household_id END), 0 "
                f"FROM contacts WHERE deleted_at IS NULL GROUP BY {key}, {start}, {end}"
            )
            start, end = bounds(dialect, kind, 'enrolled_on')
            op.execute(
                f"INSERT INTO activity_summaries ({columns}, contacts, households_reached, "
                f"interested_households, new_participants) "
                f"SELECT '{subject}', '{kind}', {start}, {end}, {key}, 0, 0, 0, count(*) "
                f"FROM enrollments WHERE deleted_at IS NULL GROUP BY {key}, {start}, {end} "
                f"ON CONFLICT (subject, kind, period_start, subject_id) "
                f"DO UPDATE SET new_participants = excluded.new_participants"
            )


def downgrade():
    op.drop_table('activity_summaries')
