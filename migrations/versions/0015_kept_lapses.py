"""Returns and lapses kept in activity_summaries, and lapse_bookings: how far the kept lapses go.

Boards, Today and the estimate between official counts counted them live from the paid-through
dates on every visit (docs/performance.md, 2026-12-02). They are now kept like the other flows
(tracker/progress/lapse_book.py); this fills them from the enrollments and renewals, every lapse
up to today under the office's grace, and books today. The SQL is frozen here: the app's own
version may change after this migration.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

MONTHS = {'month': 1, 'quarter': 3, 'year': 12}
COLUMNS = {  # scheme → (returned, lapsed)
    'voluntary_si': ('returned', 'lapsed'),
    'household_hi': ('returned_hi', 'lapsed_hi'),
}
OFFICE_ZONE = 'Asia/Ho_Chi_Minh'  # the app's BABEL_DEFAULT_TIMEZONE
DEFAULT_GRACE = 30


def bounds(dialect, kind, day):
    """SQL for the first and last day of the period of `kind` holding the date `day`."""
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


def lapse_day(dialect, column, grace):
    if dialect == 'postgresql':
        return f"({column} + {grace + 1})"
    return f"date({column}, '+{grace + 1} days')"


def events(dialect, scheme, grace, today):
    """(returns, lapses) of a scheme as SQL selecting officer_id, area_id, day."""
    final = lapse_day(dialect, 'paid_through_on', grace)
    earlier = lapse_day(dialect, 'r.paid_through_before', grace)
    joined = (f"FROM renewals r JOIN enrollments e ON e.id = r.enrollment_id "
              f"WHERE e.deleted_at IS NULL AND e.scheme = '{scheme}' AND r.renewed_on >= {earlier}")
    returns = f"SELECT r.officer_id, e.area_id, r.renewed_on AS day {joined}"
    lapses = (f"SELECT officer_id, area_id, {final} AS day FROM enrollments "
              f"WHERE deleted_at IS NULL AND scheme = '{scheme}' AND paid_through_on IS NOT NULL "
              f"AND {final} <= {today} "
              f"UNION ALL SELECT e.officer_id, e.area_id, {earlier} AS day {joined}")
    return returns, lapses


def grace_days(bind):
    query = "SELECT value FROM settings WHERE key = 'lapse_grace_days'"
    value = bind.execute(sa.text(query)).scalar()
    if value is None:
        return DEFAULT_GRACE
    return int(json.loads(value) if isinstance(value, str) else value)


def upgrade():
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        for name in ('returned', 'returned_hi', 'lapsed', 'lapsed_hi'):
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'lapse_bookings',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('booked_through', sa.Date(), nullable=False),
        sa.Column('grace_days', sa.Integer(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_lapse_bookings_single')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lapse_bookings')),
    )
    bind = op.get_bind()
    dialect = bind.dialect.name
    grace = grace_days(bind)
    today = datetime.now(ZoneInfo(OFFICE_ZONE)).date()
    literal = f"DATE '{today.isoformat()}'" if dialect == 'postgresql' else f"'{today.isoformat()}'"
    names = ("subject, kind, period_start, period_end, subject_id, contacts, households_reached, "
             "interested_households, new_participants, new_hi_participants, returned, "
             "lapsed, returned_hi, lapsed_hi")
    for scheme, kept in COLUMNS.items():
        for column, source in zip(kept, events(dialect, scheme, grace, literal), strict=True):
            for key, subject in (('officer_id', 'officer'), ('area_id', 'area')):
                for kind in MONTHS:
                    start, end = bounds(dialect, kind, 'ev.day')
                    counts = ', '.join('count(*)' if name == column else '0'
                                       for pair in COLUMNS.values() for name in pair)
                    op.execute(
                        f"INSERT INTO activity_summaries ({names}) "
                        f"SELECT '{subject}', '{kind}', {start}, {end}, ev.{key}, 0, 0, 0, 0, 0, "
                        f"{counts} FROM ({source}) ev WHERE ev.{key} IS NOT NULL "
                        f"GROUP BY ev.{key}, {start}, {end} "
                        "ON CONFLICT (subject, kind, period_start, subject_id) DO UPDATE SET "
                        f"{column} = activity_summaries.{column} + excluded.{column}"
                    )
    op.execute(f"INSERT INTO lapse_bookings (id, booked_through, grace_days) "
               f"VALUES (1, {literal}, {grace})")


def downgrade():
    op.drop_table('lapse_bookings')
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        for name in ('lapsed_hi', 'lapsed', 'returned_hi', 'returned'):
            batch_op.drop_column(name)
