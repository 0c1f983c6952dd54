"""Outlet profile fields and staff invitations.

Revision ID: 9a4b5d7e0f43
Revises: 8f3a4c6d9e32
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9a4b5d7e0f43'
down_revision = '8f3a4c6d9e32'
branch_labels = None
depends_on = None

PROFILE_COLUMNS = (('shop_phone', 20), ('opening_hours', 120), ('pickup_address', 200), ('description_zh', 500),
                   ('description_en', 500))


def upgrade():
    # The profile the outlet's owners publish for buyers; existing outlets start with empty texts.
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        for name, size in PROFILE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=size), server_default='', nullable=False))

    op.create_table(
        'outlet_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outlet_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('is_owner', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('accepted_by_id', sa.Integer(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('accepted_at IS NULL OR cancelled_at IS NULL',
                           name=op.f('ck_outlet_invitations_accepted_or_cancelled')),
        sa.CheckConstraint('expires_at > created_at', name=op.f('ck_outlet_invitations_expires_after_creation')),
        sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_outlet_invitations_outlet_id_outlets'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_outlet_invitations_invited_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'],
                                name=op.f('fk_outlet_invitations_accepted_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_invitations')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_outlet_invitations_token_digest')),
    )
    with op.batch_alter_table('outlet_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_invitations_outlet_id'), ['outlet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outlet_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlet_invitations_outlet_id'))
    op.drop_table('outlet_invitations')
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        for name, _size in reversed(PROFILE_COLUMNS):
            batch_op.drop_column(name)
