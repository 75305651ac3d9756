"""Areas in time: validity periods, the kinds of the 2025 system, reorganisations and their
successions, and the insurer's offices (docs/design.md, "Areas in time").

A code now names one unit on a given day, not forever (the 2025 codes reuse 2008 ones), so the
unique constraint on code becomes a unique index over the units that still exist.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('province', 'district', 'ward', 'commune')"
NEW_KINDS = ("kind IN ('province', 'district', 'city', 'town', 'ward', 'commune', 'township', "
             "'special_zone')")
CURRENT = sa.text("valid_to IS NULL")


def upgrade():
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
    sa.UniqueConstraint('code', name=op.f('uq_offices_code'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('uq_areas_code'), type_='unique')
        batch_op.drop_constraint(op.f('ck_areas_kind'), type_='check')
        batch_op.create_check_constraint('kind', NEW_KINDS)
        batch_op.create_check_constraint(
            'validity', 'valid_from IS NULL OR valid_to IS NULL OR valid_to > valid_from')
        batch_op.create_index(batch_op.f('ix_areas_code'), ['code'], unique=False)
    op.create_index('uq_areas_current_code', 'areas', ['code'], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_table('office_areas',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_office_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_areas_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('office_id', 'area_id', name=op.f('pk_office_areas'))
    )
    op.create_table('reorganisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moves', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_reorganisations_applied_by_id_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_reorganisations_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorganisations'))
    )
    with op.batch_alter_table('reorganisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reorganisations_effective_on'), ['effective_on'], unique=False)
    op.create_table('area_successions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reorganisation_id', sa.Integer(), nullable=False),
    sa.Column('predecessor_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('share', sa.Integer(), nullable=False),
    sa.CheckConstraint('share BETWEEN 1 AND 10000', name=op.f('ck_area_successions_share')),
    sa.CheckConstraint('predecessor_id <> successor_id', name=op.f('ck_area_successions_not_itself')),
    sa.ForeignKeyConstraint(['predecessor_id'], ['areas.id'], name=op.f('fk_area_successions_predecessor_id_areas')),
    sa.ForeignKeyConstraint(['reorganisation_id'], ['reorganisations.id'], name=op.f('fk_area_successions_reorganisation_id_reorganisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['areas.id'], name=op.f('fk_area_successions_successor_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_successions')),
    sa.UniqueConstraint('predecessor_id', 'successor_id', name=op.f('uq_area_successions_predecessor_id'))
    )
    with op.batch_alter_table('area_successions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_successions_predecessor_id'), ['predecessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_successions_reorganisation_id'), ['reorganisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_successions_successor_id'), ['successor_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_office_id'), ['office_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_office_id_offices'), 'offices', ['office_id'], ['id'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_office_id_offices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_office_id'))
        batch_op.drop_column('office_id')
    op.drop_table('area_successions')
    op.drop_table('reorganisations')
    op.drop_table('office_areas')
    op.drop_index('uq_areas_current_code', table_name='areas')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_code'))
        batch_op.drop_constraint(op.f('ck_areas_validity'), type_='check')
        batch_op.drop_constraint(op.f('ck_areas_kind'), type_='check')
        batch_op.create_check_constraint('kind', OLD_KINDS)
        batch_op.create_unique_constraint(op.f('uq_areas_code'), ['code'])
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')
    op.drop_table('offices')
