"""A collation for Vietnamese order in SQL: ORDER BY name COLLATE vi puts "Bắc Cường" before
"Bình Minh" and "Đồng Tuyển" after "Duyên Hải" (tracker/collation.py). PostgreSQL has it
from ICU; SQLite gets it from the app on every connection, so there is nothing to create there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi-VN')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP COLLATION IF EXISTS vi")
