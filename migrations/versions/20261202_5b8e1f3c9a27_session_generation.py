"""Users carry a session generation: raising it ends every session and remember-me cookie.

Revision ID: 5b8e1f3c9a27
Revises: c7e2d9a41b05
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5b8e1f3c9a27'
down_revision = 'c7e2d9a41b05'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at generation 0; the session stamp now digests it too, so sessions made
    # before this release end once (their users log in again).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
