"""Accounts: creating users, logging in, changing and resetting passwords, granting roles."""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from market.extensions import db
from market.models import User, UserRole
from market.models.base import utcnow
from market.models.user import LOCALES, ROLES
from market.services.accounts import audit
from market.services.errors import ServiceError

MIN_PASSWORD_LENGTH = 8
RESET_MAX_AGE_SECONDS = 2 * 60 * 60


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding blanks."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """The user with this email, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str, field: str = "password") -> None:
    """Refuse passwords that are too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field)


def create_user(
    email: str,
    password: str,
    name: str,
    roles: tuple[str, ...] = ("consumer",),
    *,
    phone: str | None = None,
    locale: str = "zh",
    privacy_accepted: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with hashed password and roles; refuse a taken email or unknown role."""
    try:
        email = normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise ServiceError(_l("This is not a valid email address."), "email") from None
    if find_by_email(email) is not None:
        raise ServiceError(_l("An account with this email already exists."), "email")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ServiceError(_l("Unknown role: %(role)s", role=", ".join(unknown)), "role")
    check_password_rules(password)
    user = User(email=email, name=name.strip(), phone=phone or None, locale=locale)
    user.set_password(password)
    if privacy_accepted:
        user.privacy_accepted_at = utcnow()
    user.roles = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    audit.record(actor or user, "user.create", user, after={"email": email, "roles": sorted(set(roles))})
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown email and bad password)."""
    user = find_by_email(email)
    if user is None:
        # Hash anyway so a missing account takes as long as a wrong password.
        User(email="", name="").set_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one."""
    if not user.check_password(current):
        raise ServiceError(_l("The current password is not correct."), "current_password")
    check_password_rules(new, "new_password")
    user.set_password(new)
    audit.record(user, "user.password_change", user)


def update_profile(user: User, name: str, phone: str | None, locale: str) -> None:
    """Save the name, mobile number and language a user gives on their profile page."""
    name = name.strip()
    if not name:
        raise ServiceError(_l("This field is required."), "name")
    if locale not in LOCALES:
        raise ServiceError(_l("Choose one of the languages offered."), "locale")
    user.name, user.phone, user.locale = name, phone or None, locale
    db.session.flush()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _reset_binding(user: User) -> str:
    """A digest of what a reset link is bound to: the account, its email and its current password hash.
    Only the digest goes into the (readable) token; any change of these makes the link invalid."""
    material = f"{user.id}\n{user.email}\n{user.password_hash}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def make_reset_token(user: User) -> str:
    """A signed, expiring token naming the account and a digest of its binding, nothing else."""
    return _reset_serializer().dumps([user.id, _reset_binding(user)])


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for, if it is valid, fresh and unused; else a ServiceError saying why."""
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise ServiceError(_l("This reset link has expired. Ask for a new one.")) from None
    except BadSignature:
        raise ServiceError(_l("This reset link is not valid. Ask for a new one.")) from None
    valid = isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)
    user = db.session.get(User, data[0]) if valid else None
    if user is None or not user.active or not hmac.compare_digest(_reset_binding(user), data[1]):
        raise ServiceError(_l("This reset link has already been used. Ask for a new one."))
    return user


def reset_password(token: str, new: str) -> User:
    """Set a new password from a valid reset token."""
    user = user_for_reset_token(token)
    check_password_rules(new)
    user.set_password(new)
    audit.record(user, "user.password_reset", user)
    return user


def grant_role(actor: User, user: User, role: str) -> bool:
    """Grant a role (audited); False when the user already had it."""
    if role not in ROLES:
        raise ServiceError(_l("Unknown role: %(role)s", role=role), "role")
    before = sorted(user.role_names)
    if role in before:
        return False
    user.roles.append(UserRole(role=role))
    db.session.flush()
    audit.record(actor, "role.grant", user, before={"roles": before},
                 after={"roles": sorted(user.role_names), "email": user.email, "role": role})
    return True


def revoke_role(actor: User, user: User, role: str) -> bool:
    """Revoke a role (audited); an admin cannot remove their own admin role. False if not held."""
    if role not in ROLES:
        raise ServiceError(_l("Unknown role: %(role)s", role=role), "role")
    if user.id == actor.id and role == "admin":
        raise ServiceError(_l("You cannot remove your own admin role."), "role")
    before = sorted(user.role_names)
    held = [r for r in user.roles if r.role == role]
    if not held:
        return False
    for r in held:
        user.roles.remove(r)
    db.session.flush()
    audit.record(actor, "role.revoke", user, before={"roles": before},
                 after={"roles": sorted(user.role_names), "email": user.email, "role": role})
    return True
