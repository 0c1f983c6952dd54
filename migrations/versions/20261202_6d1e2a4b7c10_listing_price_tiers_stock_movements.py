"""Listings: quantity price tiers and the stock log.

Revision ID: 6d1e2a4b7c10
Revises: 5b8e1f3c9a27
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '6d1e2a4b7c10'
down_revision = '5b8e1f3c9a27'
branch_labels = None
depends_on = None

# StockReason as of this revision (frozen here: a new reason needs a new migration of the CHECK).
REASONS = ("'order_placed', 'order_cancelled', 'hold_expired', 'late_payment', 'refund_restock', 'opening', "
           "'restock', 'damage', 'correction'")


def upgrade():
    op.create_table(
        'listing_price_tiers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('min_quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_fen', sa.Integer(), nullable=False),
        sa.CheckConstraint('min_quantity >= 2', name=op.f('ck_listing_price_tiers_min_quantity_above_one')),
        sa.CheckConstraint('unit_price_fen >= 0', name=op.f('ck_listing_price_tiers_unit_price_fen_nonnegative')),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'],
                                name=op.f('fk_listing_price_tiers_listing_id_listings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_price_tiers')),
        sa.UniqueConstraint('listing_id', 'min_quantity',
                            name=op.f('uq_listing_price_tiers_listing_id_min_quantity')),
    )
    with op.batch_alter_table('listing_price_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_price_tiers_listing_id'), ['listing_id'], unique=False)

    op.create_table(
        'stock_movements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('change', sa.Integer(), nullable=False),
        sa.Column('stock_after', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('change <> 0', name=op.f('ck_stock_movements_change_nonzero')),
        sa.CheckConstraint('stock_after >= 0', name=op.f('ck_stock_movements_stock_after_nonnegative')),
        sa.CheckConstraint(f'reason IN ({REASONS})', name=op.f('ck_stock_movements_reason_known')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_stock_movements_actor_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_stock_movements_listing_id_listings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_stock_movements_order_id_orders'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements')),
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movements_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_movements_order_id'))
        batch_op.drop_index(batch_op.f('ix_stock_movements_listing_id'))
    op.drop_table('stock_movements')
    with op.batch_alter_table('listing_price_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_price_tiers_listing_id'))
    op.drop_table('listing_price_tiers')
