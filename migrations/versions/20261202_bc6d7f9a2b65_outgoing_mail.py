"""The transactional outbox: outgoing mail.

Revision ID: bc6d7f9a2b65
Revises: ab5c6e8f1a54
Create Date: 2026-12-02 12:41:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = 'bc6d7f9a2b65'
down_revision = 'ab5c6e8f1a54'
branch_labels = None
depends_on = None


def upgrade():
    pass  # filled in by the outbox work (issue 11)


def downgrade():
    pass
