"""Outlet profile fields and staff invitations.

Revision ID: 9a4b5d7e0f43
Revises: 8f3a4c6d9e32
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '9a4b5d7e0f43'
down_revision = '8f3a4c6d9e32'
branch_labels = None
depends_on = None


def upgrade():
    pass  # IN PROGRESS (h10): filled in by the engineer building this part


def downgrade():
    pass  # IN PROGRESS (h10)
