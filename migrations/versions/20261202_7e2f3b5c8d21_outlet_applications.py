"""Outlet certification applications, their history and premises photos; counters for codes never reused.

Revision ID: 7e2f3b5c8d21
Revises: 6d1e2a4b7c10
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '7e2f3b5c8d21'
down_revision = '6d1e2a4b7c10'
branch_labels = None
depends_on = None

# The enums' values as of this revision, in their members' order (what enum_check writes for the models):
# a migration is a snapshot, so a later member comes with a later migration.
STATUSES = "'draft', 'submitted', 'reviewed', 'on_notice', 'certified', 'returned', 'rejected', 'withdrawn'"
PURPOSES = "'new', 'renewal', 'change'"


def upgrade():
    op.create_table('code_counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_code_counters'))
    )
    op.create_table('outlet_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), server_default='new', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name_zh', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('floor_area_m2', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(length=80), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('legal_representative', sa.String(length=40), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('opening_hours', sa.String(length=80), nullable=False),
    sa.Column('bank_name', sa.String(length=80), nullable=False),
    sa.Column('bank_account_name', sa.String(length=80), nullable=False),
    sa.Column('bank_account_number', sa.String(length=34), nullable=False),
    sa.Column('pledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('notice_until', sa.Date(), nullable=True),
    sa.Column('certification_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f('ck_outlet_applications_status_known')),
    sa.CheckConstraint(f"purpose IN ({PURPOSES})", name=op.f('ck_outlet_applications_purpose_known')),
    sa.CheckConstraint("kind IN ('counter', 'hall', 'zone', 'online')", name=op.f('ck_outlet_applications_kind_known')),
    sa.CheckConstraint('floor_area_m2 > 0', name=op.f('ck_outlet_applications_floor_area_positive')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_outlet_applications_outlet_id_outlets')),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_outlet_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_outlet_applications_town_id_towns')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_outlet_applications_reviewer_id_users')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_outlet_applications_approver_id_users')),
    sa.ForeignKeyConstraint(['certification_id'], ['outlet_certifications.id'],
                            name=op.f('fk_outlet_applications_certification_id_outlet_certifications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_applications'))
    )
    with op.batch_alter_table('outlet_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_applications_outlet_id'), ['outlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outlet_applications_applicant_id'), ['applicant_id'], unique=False)

    op.create_table('outlet_application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f('ck_outlet_application_events_status_known')),
    sa.ForeignKeyConstraint(['application_id'], ['outlet_applications.id'],
                            name=op.f('fk_outlet_application_events_application_id_outlet_applications'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_outlet_application_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_application_events'))
    )
    with op.batch_alter_table('outlet_application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_application_events_application_id'), ['application_id'],
                              unique=False)

    op.create_table('outlet_application_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('thumb_key', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['outlet_applications.id'],
                            name=op.f('fk_outlet_application_photos_application_id_outlet_applications'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_application_photos'))
    )
    with op.batch_alter_table('outlet_application_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_application_photos_application_id'), ['application_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outlet_application_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlet_application_photos_application_id'))
    op.drop_table('outlet_application_photos')
    with op.batch_alter_table('outlet_application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlet_application_events_application_id'))
    op.drop_table('outlet_application_events')
    with op.batch_alter_table('outlet_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlet_applications_applicant_id'))
        batch_op.drop_index(batch_op.f('ix_outlet_applications_outlet_id'))
    op.drop_table('outlet_applications')
    op.drop_table('code_counters')
