"""The transactional outbox: outgoing mail.

Revision ID: bc6d7f9a2b65
Revises: ab5c6e8f1a54
Create Date: 2026-12-02 12:41:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'bc6d7f9a2b65'
down_revision = 'ab5c6e8f1a54'
branch_labels = None
depends_on = None

STATUSES = "'pending', 'sending', 'sent', 'failed'"  # market.domain.mail_flow.MailStatus, in its order


def upgrade():
    # Mail is written in the transaction of the change that causes it and sent after the commit (or by
    # `market mail send`); senders claim a row with a conditional UPDATE on (status, next_attempt_at).
    op.create_table(
        'outgoing_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.CheckConstraint(f'status IN ({STATUSES})', name=op.f('ck_outgoing_mail_status_known')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_outgoing_mail_attempts_nonnegative')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mail_status_next_attempt_at', ['status', 'next_attempt_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mail_status_next_attempt_at')
    op.drop_table('outgoing_mail')
