"""The insurer's books: its per-person list (insurer_records), what each enrollment needs to be
matched against it (social insurance number, date of birth, folded name) and what the list said
of it, and the uploaded file of an import that is read again when it is written.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('insurer_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('scheme', sa.String(length=16), nullable=False),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=False),
    sa.Column('citizen_id', sa.String(length=12), nullable=True),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('paid_from', sa.Date(), nullable=True),
    sa.Column('paid_through', sa.Date(), nullable=True),
    sa.Column('monthly_contribution', sa.Integer(), nullable=True),
    sa.Column('state_support', sa.Integer(), nullable=True),
    sa.Column('collection_agent', sa.String(length=160), nullable=False),
    sa.Column('receipt', sa.String(length=60), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.Column('match_rule', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('differences', sa.JSON(), nullable=False),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("match_rule IS NULL OR match_rule IN ('citizen_id', 'social_insurance_number', 'name_birth_area', 'manual')", name=op.f('ck_insurer_records_match_rule')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('link', 'correct', 'accept', 'unlink', 'dismiss')", name=op.f('ck_insurer_records_resolution')),
    sa.CheckConstraint("scheme IN ('voluntary_si', 'household_hi')", name=op.f('ck_insurer_records_scheme')),
    sa.CheckConstraint("status IN ('confirmed', 'mismatched', 'only_insurer', 'dismissed')", name=op.f('ck_insurer_records_status')),
    sa.CheckConstraint('paid_through IS NULL OR paid_from IS NULL OR paid_through >= paid_from', name=op.f('ck_insurer_records_paid_in_order')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_insurer_records_area_id_areas')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_insurer_records_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_insurer_records_office_id_offices')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_insurer_records_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurer_records')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_insurer_records_enrollment_id')),
    sa.UniqueConstraint('scheme', 'social_insurance_number', name=op.f('uq_insurer_records_scheme'))
    )
    with op.batch_alter_table('insurer_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurer_records_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index('ix_insurer_records_office_status', ['office_id', 'status'], unique=False)

    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social_insurance_number', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('name_key', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('insurer_note', sa.String(length=300), server_default='', nullable=False))
        batch_op.create_index('ix_enrollments_name_key_birth_date', ['name_key', 'birth_date'], unique=False)
        batch_op.create_index('ix_enrollments_social_insurance_number', ['social_insurance_number'], unique=False)

    # A column with its check in one statement: SQLite cannot add a check to a table without
    # rebuilding it, but takes one with a new column.
    op.execute(
        "ALTER TABLE enrollments ADD COLUMN insurer_status VARCHAR(12) "
        "CONSTRAINT ck_enrollments_insurer_status CHECK (insurer_status IS NULL OR "
        "insurer_status IN ('confirmed', 'mismatched', 'dismissed'))"
    )
    _fold_names()
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payload', sa.LargeBinary(), nullable=True))


def _fold(text):
    """The app's folding as of this revision (tracker/text.py), frozen here with it."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return re.sub(r"\s+", " ", stripped).strip().lower()


def _fold_names():
    """name_key of the enrollments already there, a thousand at a time."""
    bind = op.get_bind()
    enrollments = sa.table(
        'enrollments', sa.column('id', sa.Integer), sa.column('participant_name', sa.String),
        sa.column('name_key', sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(enrollments.c.id, enrollments.c.participant_name)
            .where(enrollments.c.id > last).order_by(enrollments.c.id).limit(1000)
        ).all()
        if not rows:
            return
        bind.execute(
            enrollments.update().where(enrollments.c.id == sa.bindparam('key'))
            .values(name_key=sa.bindparam('folded')),
            [{'key': row.id, 'folded': _fold(row.participant_name)} for row in rows],
        )
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table('insurer_records', schema=None) as batch_op:
        batch_op.drop_index('ix_insurer_records_office_status')
        batch_op.drop_index(batch_op.f('ix_insurer_records_citizen_id'))

    op.drop_table('insurer_records')

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_column('payload')

    op.drop_index('ix_enrollments_social_insurance_number', table_name='enrollments')
    op.drop_index('ix_enrollments_name_key_birth_date', table_name='enrollments')
    columns = ('insurer_note', 'insurer_status', 'name_key', 'birth_date',
               'social_insurance_number')
    if op.get_bind().dialect.name == 'sqlite':
        # Not a batch: rebuilding enrollments would drop a table that renewals and contacts
        # reference, with foreign keys on. SQLite drops a column with its own check.
        for column in columns:
            op.execute(f"ALTER TABLE enrollments DROP COLUMN {column}")
    else:
        with op.batch_alter_table('enrollments', schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
