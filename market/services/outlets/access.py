"""Which outlets a user works for: every outlet page loads its outlet here, so another outlet's is never found."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import Outlet, OutletMembership, User


def staff_outlet(user: User, code: str) -> Outlet | None:
    """The outlet with this code if the user works for it (admins: any outlet); None otherwise, so that
    another outlet's pages answer 404 exactly like a missing one."""
    query = sa.select(Outlet).where(Outlet.code == code)
    if "admin" not in user.role_names:
        query = query.join(OutletMembership, OutletMembership.outlet_id == Outlet.id).where(
            OutletMembership.user_id == user.id)
    return db.session.scalar(query)


def owned_outlet(user: User, code: str) -> Outlet | None:
    """The outlet with this code if the user is one of its owners (admins: any outlet); None otherwise."""
    query = sa.select(Outlet).where(Outlet.code == code)
    if "admin" not in user.role_names:
        query = query.join(OutletMembership, OutletMembership.outlet_id == Outlet.id).where(
            OutletMembership.user_id == user.id, OutletMembership.is_owner.is_(True))
    return db.session.scalar(query)


def staff_outlets(user: User) -> list[Outlet]:
    """The outlets the user works for, by code (admins: every outlet): the outlet switcher's list."""
    query = sa.select(Outlet).order_by(Outlet.code)
    if "admin" not in user.role_names:
        query = query.join(OutletMembership, OutletMembership.outlet_id == Outlet.id).where(
            OutletMembership.user_id == user.id)
    return list(db.session.scalars(query))
