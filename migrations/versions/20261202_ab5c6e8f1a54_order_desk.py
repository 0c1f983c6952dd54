"""Order desk: pickup codes, carrier and tracking number.

Revision ID: ab5c6e8f1a54
Revises: 9a4b5d7e0f43
Create Date: 2026-12-02 12:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'ab5c6e8f1a54'
down_revision = '9a4b5d7e0f43'
branch_labels = None
depends_on = None

WAITING = "status = 'ready_for_pickup'"


def upgrade():
    # A pickup order gets its code when it becomes ready; a shipped delivery order records how it travels.
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pickup_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('carrier', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=60), nullable=True))
        batch_op.create_index('ix_orders_phone', ['phone'], unique=False)
    # Unique among the outlet's orders waiting for collection (codes of collected orders may come back).
    op.create_index('uq_orders_waiting_pickup_code', 'orders', ['outlet_id', 'pickup_code'], unique=True,
                    sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))


def downgrade():
    op.drop_index('uq_orders_waiting_pickup_code', table_name='orders')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_phone')
        batch_op.drop_column('tracking_number')
        batch_op.drop_column('carrier')
        batch_op.drop_column('pickup_code')
