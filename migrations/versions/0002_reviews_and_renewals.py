"""Monthly prospect reviews with their hand-overs, and renewals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=120), server_default='', nullable=False))
        batch_op.create_index('ix_households_area_name_key', ['area_id', 'name_key'], unique=False)
    _fill_name_keys()
    op.create_table('prospect_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], name=op.f('fk_prospect_reviews_supervisor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect_reviews'))
    )
    with op.batch_alter_table('prospect_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prospect_reviews_month'), ['month'], unique=False)

    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('collection_org_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('status_at_review', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['collection_org_id'], ['collection_orgs.id'], name=op.f('fk_review_items_collection_org_id_collection_orgs')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_review_items_household_id_households')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_review_items_officer_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['prospect_reviews.id'], name=op.f('fk_review_items_review_id_prospect_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    sa.UniqueConstraint('review_id', 'household_id', name=op.f('uq_review_items_review_id'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_review_items_org', ['collection_org_id', 'review_id'], unique=False)

    op.create_table('renewals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('renewed_on', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('paid_through_before', sa.Date(), nullable=False),
    sa.Column('paid_through_after', sa.Date(), nullable=False),
    sa.Column('client_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('months BETWEEN 1 AND 600', name=op.f('ck_renewals_months')),
    sa.CheckConstraint('paid_through_after > paid_through_before', name=op.f('ck_renewals_moves_forward')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_renewals_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_renewals_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewals')),
    sa.UniqueConstraint('officer_id', 'client_token', name=op.f('uq_renewals_officer_id'))
    )
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewals_enrollment_id'), ['enrollment_id'], unique=False)



def _fill_name_keys():
    """Fold each existing head's name as the app does (no diacritics, lower case)."""
    import unicodedata

    def fold(text):
        text = text.replace("Đ", "D").replace("đ", "d")
        decomposed = unicodedata.normalize("NFD", text)
        return " ".join("".join(c for c in decomposed if not unicodedata.combining(c))
                        .lower().split())

    connection = op.get_bind()
    households = sa.table("households", sa.column("id", sa.Integer),
                          sa.column("head_name", sa.String), sa.column("name_key", sa.String))
    rows = connection.execute(sa.select(households.c.id, households.c.head_name)).all()
    for household_id, head_name in rows:
        connection.execute(households.update().where(households.c.id == household_id)
                           .values(name_key=fold(head_name)))


def downgrade():
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_area_name_key')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('renewals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewals_enrollment_id'))

    op.drop_table('renewals')
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('ix_review_items_org')
        batch_op.drop_index(batch_op.f('ix_review_items_household_id'))

    op.drop_table('review_items')
    with op.batch_alter_table('prospect_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prospect_reviews_month'))

    op.drop_table('prospect_reviews')
