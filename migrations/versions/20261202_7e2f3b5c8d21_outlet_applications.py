"""Outlet certification applications, their history and premises photos.

Revision ID: 7e2f3b5c8d21
Revises: 6d1e2a4b7c10
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '7e2f3b5c8d21'
down_revision = '6d1e2a4b7c10'
branch_labels = None
depends_on = None


def upgrade():
    pass  # IN PROGRESS (h8): filled in by the engineer building this part


def downgrade():
    pass  # IN PROGRESS (h8)
