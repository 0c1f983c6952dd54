"""Users, their roles, and their memberships of outlets and institutions."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from market.extensions import db
from market.models.base import UTCDateTime, created_column, id_column

if TYPE_CHECKING:
    from market.models.institution import Institution
    from market.models.outlet import Outlet

ROLES = ("consumer", "institution_buyer", "outlet_staff", "county_staff", "admin")
LOCALES = ("zh", "en")


class User(UserMixin, db.Model):
    """A person who can log in; what they may do comes from their roles and memberships."""

    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("locale IN ('zh', 'en')", name="locale_known"),)

    id: so.Mapped[int] = id_column()
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    locale: so.Mapped[str] = so.mapped_column(sa.String(5), default="zh", server_default="zh")
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # Raised to end every session and remember-me cookie at once (logout, "log out everywhere", closing).
    session_generation: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    privacy_accepted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    created_at: so.Mapped[datetime] = created_column()

    roles: so.Mapped[list[UserRole]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    outlet_memberships: so.Mapped[list[OutletMembership]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    institution_memberships: so.Mapped[list[InstitutionMembership]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The session's user id, tied to the current password and session generation: changing the
        password or raising the generation ends every session and remember-me cookie made before."""
        return f"{self.id}-{self.session_stamp}"

    @property
    def session_stamp(self) -> str:
        """A short digest of the password hash and the session generation (the hash itself never goes
        into a cookie); read with the user's row, so checking a session costs no query of its own."""
        material = f"{self.password_hash}\n{self.session_generation or 0}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def end_sessions(self) -> None:
        """End every session and remember-me cookie of this user (the caller renews one if it should go on)."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def role_names(self) -> set[str]:
        """The names of the roles this user holds."""
        return {r.role for r in self.roles}

    def has_role(self, role: str) -> bool:
        """True when the user holds the role; admins hold every role's rights."""
        names = self.role_names
        return role in names or "admin" in names

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Deactivated users cannot log in."""
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    """One role granted to one user."""

    __tablename__ = "user_roles"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('consumer', 'institution_buyer', 'outlet_staff', 'county_staff', 'admin')",
            name="role_known",
        ),
        sa.UniqueConstraint("user_id", "role"),
    )

    id: so.Mapped[int] = id_column()
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: so.Mapped[str] = so.mapped_column(sa.String(32))
    granted_at: so.Mapped[datetime] = created_column()

    user: so.Mapped[User] = so.relationship(back_populates="roles")


class OutletMembership(db.Model):
    """A user working for an outlet; owners may later manage the outlet's staff."""

    __tablename__ = "outlet_memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "outlet_id"),)

    id: so.Mapped[int] = id_column()
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    is_owner: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())

    user: so.Mapped[User] = so.relationship(back_populates="outlet_memberships")
    outlet: so.Mapped[Outlet] = so.relationship(back_populates="memberships")


class InstitutionMembership(db.Model):
    """A user buying on behalf of an institution."""

    __tablename__ = "institution_memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "institution_id"),)

    id: so.Mapped[int] = id_column()
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    is_owner: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())

    user: so.Mapped[User] = so.relationship(back_populates="institution_memberships")
    institution: so.Mapped[Institution] = so.relationship(back_populates="memberships")
