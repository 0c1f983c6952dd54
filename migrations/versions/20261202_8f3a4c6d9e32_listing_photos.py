"""Listing photos kept through the storage module.

Revision ID: 8f3a4c6d9e32
Revises: 7e2f3b5c8d21
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '8f3a4c6d9e32'
down_revision = '7e2f3b5c8d21'
branch_labels = None
depends_on = None


def upgrade():
    pass  # IN PROGRESS (h7): filled in by the engineer building this part


def downgrade():
    pass  # IN PROGRESS (h7)
