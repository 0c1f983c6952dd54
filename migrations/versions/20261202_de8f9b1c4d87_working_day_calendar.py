"""The working-day calendar: holidays, adjusted working weekends and published years.

Revision ID: de8f9b1c4d87
Revises: cd7e8a0b3c76
Create Date: 2026-12-02 13:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'de8f9b1c4d87'
down_revision = 'cd7e8a0b3c76'
branch_labels = None
depends_on = None

KINDS = "kind IN ('holiday', 'working_day')"  # market.domain.working_days.CalendarDayKind, in its order


def _user_fk(table, column):
    return sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'),
                                   ondelete='SET NULL')


def upgrade():
    # A day counts only while its year is in calendar_years (published); `market seed` fills 2026 from the
    # `holidays` package, county staff keep both tables at /county/calendar.
    op.create_table(
        'calendar_days',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f('ck_calendar_days_kind_known')),
        _user_fk('calendar_days', 'changed_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
        sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day')),
    )
    op.create_table(
        'calendar_years',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('year BETWEEN 2000 AND 2200', name=op.f('ck_calendar_years_year_in_range')),
        _user_fk('calendar_years', 'published_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_years')),
        sa.UniqueConstraint('year', name=op.f('uq_calendar_years_year')),
    )


def downgrade():
    op.drop_table('calendar_years')
    op.drop_table('calendar_days')
