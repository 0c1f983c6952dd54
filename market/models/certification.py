"""The shape shared by outlet and product certifications (认定): number, window, revocation."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.certification import Window, holds_on
from market.models.base import created_column, id_column


class CertificationMixin:
    """A county decision with a number, a validity window and a possible revocation date."""

    id: so.Mapped[int] = id_column()
    number: so.Mapped[str] = so.mapped_column(sa.String(40))
    valid_from: so.Mapped[date] = so.mapped_column(sa.Date)
    valid_to: so.Mapped[date | None] = so.mapped_column(sa.Date)
    revoked_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    created_at: so.Mapped[datetime] = created_column()

    @property
    def window(self) -> Window:
        """The validity window as a pure value."""
        return Window(self.valid_from, self.valid_to, self.revoked_on)

    def holds_on(self, day: date) -> bool:
        """True when this certification is in force on the day."""
        return holds_on(self.window, day)
