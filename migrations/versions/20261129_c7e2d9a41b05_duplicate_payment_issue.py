"""Payment issues may also be a second payment for orders already paid.

Revision ID: c7e2d9a41b05
Revises: aa470e46261d
Create Date: 2026-11-29 07:00:00

"""
from alembic import op

revision = 'c7e2d9a41b05'
down_revision = 'aa470e46261d'
branch_labels = None
depends_on = None

OLD = ("kind IN ('amount_mismatch', 'unknown_refund', 'late_payment_reserved', 'late_payment_refunded', "
       "'refund_failed')")
NEW = ("kind IN ('amount_mismatch', 'unknown_refund', 'late_payment_reserved', 'late_payment_refunded', "
       "'refund_failed', 'duplicate_payment')")


def upgrade():
    with op.batch_alter_table('payment_issues', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payment_issues_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', NEW)


def downgrade():
    op.execute("DELETE FROM payment_issues WHERE kind = 'duplicate_payment'")
    with op.batch_alter_table('payment_issues', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payment_issues_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', OLD)
