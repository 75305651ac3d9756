"""The whole domain model (docs/design.md), and the dated rules of voluntary social insurance.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Reviewed by hand: constraint names follow the naming convention in tracker/extensions.py; the
partial unique indexes (one primary assignment, one current target version) are written for both
SQLite and PostgreSQL; the rules rows below are data, loaded once here.
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('working_age_population', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('province', 'district', 'ward', 'commune')", name=op.f('ck_areas_kind')),
    sa.CheckConstraint('households IS NULL OR households >= 0', name=op.f('ck_areas_households')),
    sa.CheckConstraint('working_age_population IS NULL OR working_age_population >= 0', name=op.f('ck_areas_working_age_population')),
    sa.ForeignKeyConstraint(['parent_id'], ['areas.id'], name=op.f('fk_areas_parent_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_areas_code'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_parent_id'), ['parent_id'], unique=False)

    op.create_table('collection_orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('post_office', 'commune_committee', 'womens_union', 'farmers_association', 'cooperative', 'other')", name=op.f('ck_collection_orgs_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_orgs')),
    sa.UniqueConstraint('name', name=op.f('uq_collection_orgs_name'))
    )
    op.create_table('income_basis_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('contribution_percent', sa.Integer(), nullable=False),
    sa.Column('minimum_basis', sa.Integer(), nullable=False),
    sa.Column('maximum_basis', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.CheckConstraint('contribution_percent > 0', name=op.f('ck_income_basis_rules_contribution_percent')),
    sa.CheckConstraint('minimum_basis > 0 AND maximum_basis >= minimum_basis', name=op.f('ck_income_basis_rules_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_basis_rules')),
    sa.UniqueConstraint('valid_from', name=op.f('uq_income_basis_rules_valid_from'))
    )
    op.create_table('support_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.CheckConstraint("category IN ('poor', 'near_poor', 'ethnic_minority', 'other')", name=op.f('ck_support_rates_category')),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_support_rates_percent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_rates')),
    sa.UniqueConstraint('valid_from', 'category', name=op.f('uq_support_rates_valid_from'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("locale IN ('vi', 'en')", name=op.f('ck_users_locale')),
    sa.CheckConstraint("role IN ('officer', 'supervisor', 'leader', 'admin')", name=op.f('ck_users_role')),
    sa.CheckConstraint('supervisor_id IS NULL OR supervisor_id <> id', name=op.f('ck_users_not_own_supervisor')),
    sa.CheckConstraint('username = lower(username)', name=op.f('ck_users_username_lower')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], name=op.f('fk_users_supervisor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_assignments_area_id_areas')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_assignments_officer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('officer_id', 'area_id', name=op.f('uq_assignments_officer_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_area_id'), ['area_id'], unique=False)
        batch_op.create_index('uq_assignments_one_primary', ['officer_id'], unique=True, sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('collection_org_areas',
    sa.Column('collection_org_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_collection_org_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collection_org_id'], ['collection_orgs.id'], name=op.f('fk_collection_org_areas_collection_org_id_collection_orgs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_org_id', 'area_id', name=op.f('pk_collection_org_areas'))
    )
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('search_text', sa.String(length=400), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('collection_org_id', sa.Integer(), nullable=True),
    sa.Column('next_follow_up_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('self_employed', 'trader', 'farmer', 'informal_worker', 'other')", name=op.f('ck_households_category')),
    sa.CheckConstraint("status IN ('prospect', 'contacted', 'interested', 'enrolled', 'declined')", name=op.f('ck_households_status')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_households_area_id_areas')),
    sa.ForeignKeyConstraint(['collection_org_id'], ['collection_orgs.id'], name=op.f('fk_households_collection_org_id_collection_orgs')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_households_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_area_status', ['area_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_collection_org_id'), ['collection_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_phone'), ['phone'], unique=False)

    op.create_table('outreach_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.String(length=5), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=True),
    sa.Column('partner_org', sa.String(length=160), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('awareness', 'training')", name=op.f('ck_outreach_sessions_kind')),
    sa.CheckConstraint('attendees >= 0', name=op.f('ck_outreach_sessions_attendees')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_outreach_sessions_area_id_areas')),
    sa.ForeignKeyConstraint(['organizer_id'], ['users.id'], name=op.f('fk_outreach_sessions_organizer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_sessions'))
    )
    with op.batch_alter_table('outreach_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_sessions_area_held_on', ['area_id', 'held_on'], unique=False)

    op.create_table('participant_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_participant_counts_participants')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_participant_counts_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_counts')),
    sa.UniqueConstraint('area_id', 'as_of', name=op.f('uq_participant_counts_area_id'))
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('collection_org_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("(subject = 'officer' AND officer_id IS NOT NULL AND area_id IS NULL AND collection_org_id IS NULL) OR (subject = 'area' AND area_id IS NOT NULL AND officer_id IS NULL AND collection_org_id IS NULL) OR (subject = 'collection_org' AND collection_org_id IS NOT NULL AND officer_id IS NULL AND area_id IS NULL)", name=op.f('ck_targets_one_subject')),
    sa.CheckConstraint("metric IN ('new_participants', 'contacts', 'households_reached', 'participants_total')", name=op.f('ck_targets_metric')),
    sa.CheckConstraint("subject IN ('officer', 'area', 'collection_org')", name=op.f('ck_targets_subject')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_targets_period_order')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_targets_value')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_targets_area_id_areas')),
    sa.ForeignKeyConstraint(['collection_org_id'], ['collection_orgs.id'], name=op.f('fk_targets_collection_org_id_collection_orgs')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_targets_officer_id_users')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_targets_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index('ix_targets_metric_period', ['metric', 'period_start', 'period_end'], unique=False)
        batch_op.create_index('uq_targets_current_area_id', ['area_id', 'metric', 'period_start', 'period_end'], unique=True, sqlite_where=sa.text('replaced_at IS NULL AND area_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND area_id IS NOT NULL'))
        batch_op.create_index('uq_targets_current_collection_org_id', ['collection_org_id', 'metric', 'period_start', 'period_end'], unique=True, sqlite_where=sa.text('replaced_at IS NULL AND collection_org_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND collection_org_id IS NOT NULL'))
        batch_op.create_index('uq_targets_current_officer_id', ['officer_id', 'metric', 'period_start', 'period_end'], unique=True, sqlite_where=sa.text('replaced_at IS NULL AND officer_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND officer_id IS NOT NULL'))

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('people_reached', sa.Integer(), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('client_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('home_visit', 'phone', 'message', 'ward_meeting', 'awareness_session')", name=op.f('ck_contacts_channel')),
    sa.CheckConstraint("outcome IN ('informed', 'interested', 'follow_up', 'enrolled', 'declined', 'no_answer')", name=op.f('ck_contacts_outcome')),
    sa.CheckConstraint('follow_up_on IS NULL OR follow_up_on >= contacted_on', name=op.f('ck_contacts_follow_up_after_contact')),
    sa.CheckConstraint('people_reached BETWEEN 1 AND 10000', name=op.f('ck_contacts_people_reached')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_contacts_area_id_areas')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_contacts_household_id_households')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_contacts_officer_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['outreach_sessions.id'], name=op.f('fk_contacts_session_id_outreach_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('officer_id', 'client_token', name=op.f('uq_contacts_officer_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_area_contacted_on', ['area_id', 'contacted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_contacts_officer_contacted_on', ['officer_id', 'contacted_on'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('collection_org_id', sa.Integer(), nullable=True),
    sa.Column('participant_name', sa.String(length=120), nullable=False),
    sa.Column('citizen_id', sa.String(length=12), nullable=True),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('scheme', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('income_basis', sa.Integer(), nullable=True),
    sa.Column('payment_period', sa.String(length=8), nullable=False),
    sa.Column('months_paid', sa.Integer(), nullable=True),
    sa.Column('paid_through_on', sa.Date(), nullable=True),
    sa.Column('monthly_contribution', sa.Integer(), nullable=True),
    sa.Column('monthly_state_support', sa.Integer(), nullable=True),
    sa.Column('client_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("category IN ('poor', 'near_poor', 'ethnic_minority', 'other')", name=op.f('ck_enrollments_category')),
    sa.CheckConstraint("payment_period IN ('1', '3', '6', '12', 'lump_sum')", name=op.f('ck_enrollments_payment_period')),
    sa.CheckConstraint("scheme IN ('voluntary_si', 'household_hi')", name=op.f('ck_enrollments_scheme')),
    sa.CheckConstraint('income_basis IS NULL OR income_basis > 0', name=op.f('ck_enrollments_income_basis')),
    sa.CheckConstraint('months_paid IS NULL OR months_paid BETWEEN 1 AND 600', name=op.f('ck_enrollments_months_paid')),
    sa.CheckConstraint('paid_through_on IS NULL OR paid_through_on >= enrolled_on', name=op.f('ck_enrollments_paid_through_after_enrolled')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_enrollments_area_id_areas')),
    sa.ForeignKeyConstraint(['collection_org_id'], ['collection_orgs.id'], name=op.f('fk_enrollments_collection_org_id_collection_orgs')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_enrollments_household_id_households')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_enrollments_officer_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['outreach_sessions.id'], name=op.f('fk_enrollments_session_id_outreach_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('officer_id', 'client_token', name=op.f('uq_enrollments_officer_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_area_enrolled_on', ['area_id', 'enrolled_on'], unique=False)
        batch_op.create_index('ix_enrollments_collection_org_enrolled_on', ['collection_org_id', 'enrolled_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_enrollments_officer_enrolled_on', ['officer_id', 'enrolled_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_paid_through_on'), ['paid_through_on'], unique=False)
        batch_op.create_index('uq_enrollments_live_citizen_id', ['citizen_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL AND citizen_id IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND citizen_id IS NOT NULL'))

    _load_rules()


# Contribution 22 % of the chosen basis (Social Insurance Law 2014 art. 87, 2024 art. 36);
# basis from the rural poverty line to 20 x the base salary.
INCOME_BASIS_RULES = [
    (date(2018, 1, 1), 22, 700_000, 27_800_000,
     "Decree 134/2015; poverty line 2016-2021 (Decision 59/2015); base salary 1,390,000"),
    (date(2019, 7, 1), 22, 700_000, 29_800_000, "Base salary 1,490,000 (Decree 38/2019)"),
    (date(2022, 1, 1), 22, 1_500_000, 29_800_000, "Rural poverty line 2022-2025 (Decree 07/2021)"),
    (date(2023, 7, 1), 22, 1_500_000, 36_000_000, "Base salary 1,800,000 (Decree 24/2023)"),
    (date(2024, 7, 1), 22, 1_500_000, 46_800_000, "Base salary 2,340,000 (Decree 73/2024)"),
]
# State support as a share of the minimum contribution (Decree 134/2015 art. 14;
# Decree 159/2025 from 2025-07-01), for at most 120 months.
SUPPORT_RATES = [
    (date(2018, 1, 1), "poor", 30), (date(2018, 1, 1), "near_poor", 25),
    (date(2018, 1, 1), "ethnic_minority", 10), (date(2018, 1, 1), "other", 10),
    (date(2025, 7, 1), "poor", 50), (date(2025, 7, 1), "near_poor", 40),
    (date(2025, 7, 1), "ethnic_minority", 30), (date(2025, 7, 1), "other", 20),
]


def _load_rules():
    rules = sa.table("income_basis_rules", sa.column("valid_from", sa.Date),
                     sa.column("contribution_percent", sa.Integer),
                     sa.column("minimum_basis", sa.Integer), sa.column("maximum_basis", sa.Integer),
                     sa.column("source", sa.String))
    op.bulk_insert(rules, [
        {"valid_from": valid_from, "contribution_percent": percent, "minimum_basis": minimum,
         "maximum_basis": maximum, "source": source}
        for valid_from, percent, minimum, maximum, source in INCOME_BASIS_RULES
    ])
    rates = sa.table("support_rates", sa.column("valid_from", sa.Date),
                     sa.column("category", sa.String), sa.column("percent", sa.Integer),
                     sa.column("source", sa.String))
    op.bulk_insert(rates, [
        {"valid_from": valid_from, "category": category, "percent": percent,
         "source": "Decree 134/2015" if valid_from.year < 2025 else "Decree 159/2025"}
        for valid_from, category, percent in SUPPORT_RATES
    ])


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrollments_live_citizen_id', sqlite_where=sa.text('deleted_at IS NULL AND citizen_id IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND citizen_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_enrollments_paid_through_on'))
        batch_op.drop_index('ix_enrollments_officer_enrolled_on')
        batch_op.drop_index(batch_op.f('ix_enrollments_household_id'))
        batch_op.drop_index('ix_enrollments_collection_org_enrolled_on')
        batch_op.drop_index('ix_enrollments_area_enrolled_on')

    op.drop_table('enrollments')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_officer_contacted_on')
        batch_op.drop_index(batch_op.f('ix_contacts_household_id'))
        batch_op.drop_index('ix_contacts_area_contacted_on')

    op.drop_table('contacts')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index('uq_targets_current_officer_id', sqlite_where=sa.text('replaced_at IS NULL AND officer_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND officer_id IS NOT NULL'))
        batch_op.drop_index('uq_targets_current_collection_org_id', sqlite_where=sa.text('replaced_at IS NULL AND collection_org_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND collection_org_id IS NOT NULL'))
        batch_op.drop_index('uq_targets_current_area_id', sqlite_where=sa.text('replaced_at IS NULL AND area_id IS NOT NULL'), postgresql_where=sa.text('replaced_at IS NULL AND area_id IS NOT NULL'))
        batch_op.drop_index('ix_targets_metric_period')

    op.drop_table('targets')
    op.drop_table('participant_counts')
    with op.batch_alter_table('outreach_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_sessions_area_held_on')

    op.drop_table('outreach_sessions')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_phone'))
        batch_op.drop_index(batch_op.f('ix_households_officer_id'))
        batch_op.drop_index(batch_op.f('ix_households_collection_org_id'))
        batch_op.drop_index('ix_households_area_status')

    op.drop_table('households')
    op.drop_table('collection_org_areas')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('uq_assignments_one_primary', sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
        batch_op.drop_index(batch_op.f('ix_assignments_area_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_supervisor_id'))

    op.drop_table('users')
    op.drop_table('support_rates')
    op.drop_table('income_basis_rules')
    op.drop_table('collection_orgs')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_parent_id'))

    op.drop_table('areas')
