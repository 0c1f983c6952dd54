"""Sessions: logging in or registering (the guest's cart joins the account), and ending sessions."""

from __future__ import annotations

from dataclasses import dataclass

from market.extensions import db
from market.models import User
from market.services.accounts import audit
from market.services.accounts import users as accounts
from market.services.ordering import cart as carts


@dataclass(frozen=True)
class SignIn:
    """A user who may now be logged in, and how many units their cart holds (for the header)."""

    user: User
    cart_units: int


def _begin(user: User, guest_cart_token: str | None) -> SignIn:
    """Move the guest's cart (if any) into the account's."""
    carts.merge_guest_cart(guest_cart_token, user)
    return SignIn(user, carts.line_count(carts.find_cart(user, None)))


def log_in(email: str, password: str, guest_cart_token: str | None) -> SignIn | None:
    """The active user with these credentials, their guest cart merged; None when the login fails."""
    user = accounts.authenticate(email, password)
    return None if user is None else _begin(user, guest_cart_token)


def register_consumer(
    email: str,
    password: str,
    name: str,
    *,
    phone: str | None,
    locale: str,
    guest_cart_token: str | None,
) -> SignIn:
    """A new consumer account (privacy policy accepted), holding the guest's cart."""
    user = accounts.create_user(email, password, name, ("consumer",), phone=phone, locale=locale,
                                privacy_accepted=True)
    return _begin(user, guest_cart_token)


def end_all(user: User) -> None:
    """End every session and remember-me cookie of the user (logging out ends them everywhere)."""
    user.end_sessions()
    db.session.flush()


def end_everywhere(user: User) -> None:
    """The user's "log out everywhere": every session ends (the caller renews its own), audited."""
    end_all(user)
    audit.record(user, "user.sessions_end", user, after={"session_generation": user.session_generation})
