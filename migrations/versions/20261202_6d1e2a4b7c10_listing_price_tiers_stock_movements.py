"""Listings: quantity price tiers and the stock log.

Revision ID: 6d1e2a4b7c10
Revises: 5b8e1f3c9a27
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '6d1e2a4b7c10'
down_revision = '5b8e1f3c9a27'
branch_labels = None
depends_on = None


def upgrade():
    pass  # IN PROGRESS (h9): filled in by the engineer building this part


def downgrade():
    pass  # IN PROGRESS (h9)
