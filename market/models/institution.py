"""Institutions (government units, SOEs, schools, unions) that buy in bulk (定点采购)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column

if TYPE_CHECKING:
    from market.models.user import InstitutionMembership

INSTITUTION_KINDS = ("government", "soe", "school", "union", "other")
PROGRAMMES = ("local", "su_shaan", "central", "other")


class Institution(db.Model):
    """A buyer organisation; only verified institutions may place institution orders."""

    __tablename__ = "institutions"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('government', 'soe', 'school', 'union', 'other')", name="kind_known"
        ),
        sa.CheckConstraint("programme IN ('local', 'su_shaan', 'central', 'other')", name="programme_known"),
    )

    id: so.Mapped[int] = id_column()
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    credit_code: so.Mapped[str] = so.mapped_column(sa.String(18), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    programme: so.Mapped[str] = so.mapped_column(sa.String(16))
    verified: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: so.Mapped[datetime] = created_column()

    memberships: so.Mapped[list[InstitutionMembership]] = so.relationship(back_populates="institution")
