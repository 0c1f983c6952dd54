"""Listing photos kept through the storage module.

Revision ID: 8f3a4c6d9e32
Revises: 7e2f3b5c8d21
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '8f3a4c6d9e32'
down_revision = '7e2f3b5c8d21'
branch_labels = None
depends_on = None


def upgrade():
    # A new table: no rows to fill in, so NOT NULL needs no server default except position's (the model's).
    op.create_table('listing_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('thumb_key', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_listing_photos_position_nonnegative')),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_listing_photos_size_positive')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_photos_listing_id_listings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_photos')),
    sa.UniqueConstraint('key', name=op.f('uq_listing_photos_key')),
    sa.UniqueConstraint('thumb_key', name=op.f('uq_listing_photos_thumb_key'))
    )
    op.create_index('ix_listing_photos_listing_id_position', 'listing_photos', ['listing_id', 'position'],
                    unique=False)


def downgrade():
    # The stored files are not touched: they stay in the upload folder, unreferenced.
    op.drop_index('ix_listing_photos_listing_id_position', table_name='listing_photos')
    op.drop_table('listing_photos')
