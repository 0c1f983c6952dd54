"""A buyer's saved delivery addresses."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.extensions import db
from market.models import Address, User
from market.services.errors import ServiceError


def saved(user: User) -> list[Address]:
    """The user's saved addresses, oldest first."""
    return list(db.session.scalars(sa.select(Address).where(Address.user_id == user.id).order_by(Address.id)))


def owned(user: User, address_id: int) -> Address:
    """One of the user's own saved addresses; someone else's is refused like a missing one."""
    address = db.session.scalar(sa.select(Address).where(Address.id == address_id, Address.user_id == user.id))
    if address is None:
        raise ServiceError(_l("Choose one of your saved addresses."), "saved_address")
    return address
