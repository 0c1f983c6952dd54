"""Closing one's account (PIPL): personal data replaced by placeholders, accounting records kept."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.domain.order_flow import OPEN_STATUSES
from market.extensions import db
from market.models import Address, Cart, Order, User, UserRole
from market.services.accounts import audit
from market.services.errors import ServiceError

CLOSED_NAME = "已注销用户"  # "closed account": shown wherever the person's name was
NO_DATA = "—"


def closed_email(user: User) -> str:
    """The placeholder email of a closed account: unique, and never deliverable (.invalid, RFC 2606)."""
    return f"closed-{user.id}@invalid"


def _owned_names(user: User) -> list[str]:
    """The outlets and institutions this user owns."""
    outlets = [m.outlet.name for m in user.outlet_memberships if m.is_owner]
    institutions = [m.institution.name for m in user.institution_memberships if m.is_owner]
    return outlets + institutions


def _open_order_numbers(user: User) -> list[str]:
    """The numbers of the user's orders that an outlet or a refund still has to act on."""
    query = sa.select(Order.number).where(Order.user_id == user.id, Order.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(query.order_by(Order.id)))


def _is_last_admin(user: User) -> bool:
    """Whether the site would be left without an active administrator."""
    if "admin" not in user.role_names:
        return False
    others = (sa.select(sa.func.count()).select_from(UserRole).join(User)
              .where(UserRole.role == "admin", User.active.is_(True), User.id != user.id))
    return not db.session.scalar(others)


def check_closable(user: User) -> None:
    """Refuse closing while the account owns something or still has business open, saying what to do."""
    owned = _owned_names(user)
    if owned:
        raise ServiceError(_l(
            "You own %(names)s. Ownership must pass to someone else before you can close your account: "
            "ask the county office to arrange it.", names="、".join(owned)))
    numbers = _open_order_numbers(user)
    if numbers:
        raise ServiceError(_l(
            "Orders %(numbers)s are still in progress. You can close your account once they are completed, "
            "cancelled or refunded.", numbers="、".join(numbers)))
    if _is_last_admin(user):
        raise ServiceError(_l("You are the only administrator. Give another account the admin role first."))


def close_account(user: User, password: str) -> None:
    """Close the user's own account after confirming the password: it is deactivated, its sessions end,
    its name, email, mobile number and saved addresses (and the recipient on its orders) become
    placeholders. Orders, payments and audit events stay, as accounting records. Audited."""
    if not user.check_password(password):
        raise ServiceError(_l("The password is not correct."), "password")
    check_closable(user)
    placeholder = closed_email(user)
    user.name, user.email, user.phone = CLOSED_NAME, placeholder, None
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the account can never be used again
    user.active = False
    user.end_sessions()
    user.outlet_memberships.clear()
    user.institution_memberships.clear()
    db.session.execute(sa.update(Address).where(Address.user_id == user.id).values(
        recipient=CLOSED_NAME, phone=NO_DATA, province=NO_DATA, city=NO_DATA, county=NO_DATA, detail=NO_DATA))
    db.session.execute(sa.update(Order).where(Order.user_id == user.id).values(
        recipient=CLOSED_NAME, phone=NO_DATA,
        address_detail=sa.case((Order.address_detail.is_(None), None), else_=NO_DATA)))
    db.session.execute(sa.delete(Cart).where(Cart.user_id == user.id))
    db.session.flush()
    audit.record(user, "user.close", user, after={"email": placeholder, "active": False})
