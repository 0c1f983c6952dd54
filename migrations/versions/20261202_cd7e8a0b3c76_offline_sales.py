"""Offline (counter) sales: lines, import batches, risk signals and samples.

Revision ID: cd7e8a0b3c76
Revises: bc6d7f9a2b65
Create Date: 2026-12-02 12:55:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'cd7e8a0b3c76'
down_revision = 'bc6d7f9a2b65'
branch_labels = None
depends_on = None

STATES = "state IN ('unverified', 'verified', 'rejected', 'withdrawn')"
METHODS = "payment_method IN ('cash', 'wechat', 'alipay', 'bank_card', 'bank_transfer', 'other')"
RISKS = ("kind IN ('receipt_elsewhere', 'photo_elsewhere', 'amount_outlier', 'unit_price', 'burst', "
         "'matches_order')")


def _user_fk(table, column):
    return sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'),
                                   ondelete='SET NULL')


def upgrade():
    op.create_table(
        'offline_sale_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outlet_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('total_fen', sa.BigInteger(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('row_count >= 0', name=op.f('ck_offline_sale_batches_row_count_nonnegative')),
        sa.CheckConstraint('total_fen >= 0', name=op.f('ck_offline_sale_batches_total_fen_nonnegative')),
        sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_offline_sale_batches_outlet_id_outlets')),
        _user_fk('offline_sale_batches', 'entered_by_id'),
        _user_fk('offline_sale_batches', 'withdrawn_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sale_batches')),
    )
    with op.batch_alter_table('offline_sale_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_sale_batches_outlet_id'), ['outlet_id'], unique=False)

    op.create_table(
        'offline_sales',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outlet_id', sa.Integer(), nullable=False),
        sa.Column('sale_date', sa.Date(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('payment_method', sa.String(length=16), nullable=False),
        sa.Column('receipt_no', sa.String(length=40), nullable=False),
        sa.Column('note', sa.String(length=200), server_default='', nullable=False),
        sa.Column('photo_key', sa.String(length=200), nullable=True),
        sa.Column('photo_thumb_key', sa.String(length=200), nullable=True),
        sa.Column('photo_hash', sa.String(length=64), nullable=True),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=True),
        sa.Column('batch_id', sa.Integer(), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(STATES, name=op.f('ck_offline_sales_state_known')),
        sa.CheckConstraint(METHODS, name=op.f('ck_offline_sales_payment_method_known')),
        sa.CheckConstraint('quantity >= 1', name=op.f('ck_offline_sales_quantity_positive')),
        sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_offline_sales_amount_fen_nonnegative')),
        sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_offline_sales_outlet_id_outlets')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_offline_sales_product_id_products')),
        sa.ForeignKeyConstraint(['batch_id'], ['offline_sale_batches.id'],
                                name=op.f('fk_offline_sales_batch_id_offline_sale_batches')),
        _user_fk('offline_sales', 'entered_by_id'),
        _user_fk('offline_sales', 'decided_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sales')),
        sa.UniqueConstraint('outlet_id', 'receipt_no', name=op.f('uq_offline_sales_outlet_id_receipt_no')),
        sa.UniqueConstraint('photo_key', name=op.f('uq_offline_sales_photo_key')),
        sa.UniqueConstraint('photo_thumb_key', name=op.f('uq_offline_sales_photo_thumb_key')),
        sqlite_autoincrement=True,  # ids of deleted lines are never reused (they name ledger lines OFF-<id>)
    )
    with op.batch_alter_table('offline_sales', schema=None) as batch_op:
        batch_op.create_index('ix_offline_sales_outlet_state_date', ['outlet_id', 'state', 'sale_date'], unique=False)
        batch_op.create_index('ix_offline_sales_state_date', ['state', 'sale_date'], unique=False)
        batch_op.create_index('ix_offline_sales_receipt_no', ['receipt_no'], unique=False)
        batch_op.create_index('ix_offline_sales_photo_hash', ['photo_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_offline_sales_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offline_sales_batch_id'), ['batch_id'], unique=False)

    op.create_table(
        'offline_sale_risks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(RISKS, name=op.f('ck_offline_sale_risks_kind_known')),
        sa.ForeignKeyConstraint(['sale_id'], ['offline_sales.id'],
                                name=op.f('fk_offline_sale_risks_sale_id_offline_sales'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sale_risks')),
        sa.UniqueConstraint('sale_id', 'kind', name=op.f('uq_offline_sale_risks_sale_id_kind')),
    )

    op.create_table(
        'offline_sale_samples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('drawn_by_id', sa.Integer(), nullable=True),
        sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seed', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('population', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=True),
        sa.Column('criteria', sa.JSON(), nullable=False),
        sa.CheckConstraint('size >= 1', name=op.f('ck_offline_sale_samples_size_positive')),
        _user_fk('offline_sale_samples', 'drawn_by_id'),
        sa.ForeignKeyConstraint(['batch_id'], ['offline_sale_batches.id'],
                                name=op.f('fk_offline_sale_samples_batch_id_offline_sale_batches')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_sale_samples')),
    )
    with op.batch_alter_table('offline_sale_samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_sale_samples_batch_id'), ['batch_id'], unique=False)

    op.create_table(
        'offline_sale_sample_lines',
        sa.Column('sample_id', sa.Integer(), nullable=False),
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['sample_id'], ['offline_sale_samples.id'],
                                name=op.f('fk_offline_sale_sample_lines_sample_id_offline_sale_samples'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sale_id'], ['offline_sales.id'],
                                name=op.f('fk_offline_sale_sample_lines_sale_id_offline_sales'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('sample_id', 'sale_id', name=op.f('pk_offline_sale_sample_lines')),
    )
    with op.batch_alter_table('offline_sale_sample_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_sale_sample_lines_sale_id'), ['sale_id'], unique=False)


def downgrade():
    with op.batch_alter_table('offline_sale_sample_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_sale_sample_lines_sale_id'))
    op.drop_table('offline_sale_sample_lines')
    with op.batch_alter_table('offline_sale_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_sale_samples_batch_id'))
    op.drop_table('offline_sale_samples')
    op.drop_table('offline_sale_risks')
    with op.batch_alter_table('offline_sales', schema=None) as batch_op:
        for name in ('ix_offline_sales_batch_id', 'ix_offline_sales_product_id', 'ix_offline_sales_photo_hash',
                     'ix_offline_sales_receipt_no', 'ix_offline_sales_state_date', 'ix_offline_sales_outlet_state_date'):
            batch_op.drop_index(name)
    op.drop_table('offline_sales')
    with op.batch_alter_table('offline_sale_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_sale_batches_outlet_id'))
    op.drop_table('offline_sale_batches')
