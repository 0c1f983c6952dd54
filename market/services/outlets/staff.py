"""An outlet's staff: owners add colleagues by email or invite new addresses, set owner or staff, remove them.

The outlet_staff role follows membership (`sync_outlet_role`): a user holds it while they belong to at least
one outlet whose first certificate has taken effect, whoever changed the membership.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from market.extensions import db
from market.models import Outlet, OutletCertification, OutletInvitation, OutletMembership, User, UserRole
from market.services.accounts import audit
from market.services.accounts.users import find_by_email, normalise_email
from market.services.errors import ServiceError

INVITATION_DAYS = 7
ROLE = "outlet_staff"


def token_digest(token: str) -> str:
    """The SHA-256 hex digest of an invitation token: all the database keeps of it."""
    return hashlib.sha256(token.encode()).hexdigest()


def qualifies(user: User, today: date) -> bool:
    """True when the user belongs to an outlet whose first certificate has taken effect by `today`."""
    return db.session.scalar(
        sa.select(sa.literal(True))
        .select_from(OutletMembership)
        .join(OutletCertification, OutletCertification.outlet_id == OutletMembership.outlet_id)
        .where(OutletMembership.user_id == user.id, OutletCertification.valid_from <= today)
        .limit(1)
    ) is True


def sync_outlet_role(user: User, today: date) -> bool:
    """Grant or remove the outlet_staff role so that it follows the user's memberships (audited, actor: the
    system). The one rule: held exactly while `qualifies(user, today)`. True when the role changed."""
    db.session.flush()
    should = qualifies(user, today)
    before = sorted(user.role_names)
    if should == (ROLE in before):
        return False
    if should:
        user.roles.append(UserRole(role=ROLE))
        action = "role.grant"
    else:
        for held in [r for r in user.roles if r.role == ROLE]:
            user.roles.remove(held)
        action = "role.revoke"
    db.session.flush()
    audit.record(None, action, user, before={"roles": before},
                 after={"roles": sorted(user.role_names), "email": user.email, "role": ROLE,
                        "reason": "outlet membership"})
    return True


@dataclass(frozen=True)
class StaffPage:
    """An outlet's members (owners first) and its invitations still open."""

    members: list[OutletMembership]
    invitations: list[OutletInvitation]


def staff_page(outlet: Outlet, now: datetime) -> StaffPage:
    """The outlet's members and open invitations."""
    members = db.session.scalars(
        sa.select(OutletMembership).join(User, User.id == OutletMembership.user_id)
        .where(OutletMembership.outlet_id == outlet.id)
        .options(so.contains_eager(OutletMembership.user))
        .order_by(OutletMembership.is_owner.desc(), User.email)
    ).all()
    invitations = db.session.scalars(
        sa.select(OutletInvitation).where(
            OutletInvitation.outlet_id == outlet.id, OutletInvitation.accepted_at.is_(None),
            OutletInvitation.cancelled_at.is_(None), OutletInvitation.expires_at > now)
        .order_by(OutletInvitation.created_at)
    ).all()
    return StaffPage(list(members), list(invitations))


def _membership(outlet: Outlet, membership_id: int) -> OutletMembership:
    """The outlet's membership with this id; another outlet's is "not found" like a missing one."""
    found = db.session.scalar(sa.select(OutletMembership).where(
        OutletMembership.id == membership_id, OutletMembership.outlet_id == outlet.id))
    if found is None:
        raise LookupError(membership_id)
    return found


def _owner_count(outlet: Outlet) -> int:
    return db.session.scalar(sa.select(sa.func.count(OutletMembership.id)).where(
        OutletMembership.outlet_id == outlet.id, OutletMembership.is_owner.is_(True))) or 0


def join(actor: User | None, outlet: Outlet, user: User, is_owner: bool, today: date,
         how: str = "outlet.member_add") -> OutletMembership:
    """Make the user a member of the outlet (audited as `how`) and sync their role; refused if already one."""
    exists = db.session.scalar(sa.select(OutletMembership.id).where(
        OutletMembership.outlet_id == outlet.id, OutletMembership.user_id == user.id))
    if exists is not None:
        raise ServiceError(_l("%(email)s already works for this outlet.", email=user.email), "email")
    membership = OutletMembership(outlet=outlet, user=user, is_owner=is_owner)
    db.session.add(membership)
    db.session.flush()
    audit.record(actor, how, membership, after={"outlet": outlet.code, "email": user.email, "owner": is_owner})
    sync_outlet_role(user, today)
    return membership


@dataclass(frozen=True)
class Added:
    """What `add_or_invite` did: added an existing user, or invited a new address (with the token to mail)."""

    email: str
    membership: OutletMembership | None = None
    invitation: OutletInvitation | None = None
    token: str | None = None


def add_or_invite(actor: User, outlet: Outlet, email: str, is_owner: bool, now: datetime,
                  today: date) -> Added:
    """Add the user with this email at once, or invite the address when it has no account: a new token
    (only its digest kept) valid INVITATION_DAYS days, replacing any open invitation of the same address."""
    email = normalise_email(email)
    user = find_by_email(email)
    if user is not None:
        if not user.active:
            raise ServiceError(_l("This account is closed."), "email")
        return Added(email, membership=join(actor, outlet, user, is_owner, today))
    for earlier in db.session.scalars(sa.select(OutletInvitation).where(
            OutletInvitation.outlet_id == outlet.id, OutletInvitation.email == email,
            OutletInvitation.accepted_at.is_(None), OutletInvitation.cancelled_at.is_(None))):
        earlier.cancelled_at = now
    token = secrets.token_urlsafe(32)
    invitation = OutletInvitation(outlet=outlet, email=email, is_owner=is_owner, token_digest=token_digest(token),
                                  invited_by_id=actor.id, created_at=now,
                                  expires_at=now + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "outlet.invite", invitation, after={"outlet": outlet.code, "email": email,
                                                            "owner": is_owner})
    return Added(email, invitation=invitation, token=token)


def set_owner(actor: User, outlet: Outlet, membership_id: int, is_owner: bool) -> OutletMembership:
    """Make a member an owner or plain staff (audited); the last owner stays an owner."""
    membership = _membership(outlet, membership_id)
    if membership.is_owner == is_owner:
        return membership
    if not is_owner and _owner_count(outlet) <= 1:
        raise ServiceError(_l("An outlet keeps at least one owner: make someone else an owner first."))
    membership.is_owner = is_owner
    db.session.flush()
    audit.record(actor, "outlet.member_role", membership, before={"owner": not is_owner},
                 after={"owner": is_owner, "outlet": outlet.code, "email": membership.user.email})
    return membership


def remove(actor: User, outlet: Outlet, membership_id: int, today: date) -> User:
    """Remove a member (audited) and sync their role; never the last owner. Returns the removed user."""
    membership = _membership(outlet, membership_id)
    if membership.is_owner and _owner_count(outlet) <= 1:
        raise ServiceError(_l("An outlet keeps at least one owner: make someone else an owner first."))
    user = membership.user
    audit.record(actor, "outlet.member_remove", membership,
                 before={"outlet": outlet.code, "email": user.email, "owner": membership.is_owner})
    db.session.delete(membership)
    db.session.flush()
    db.session.expire(user, ["outlet_memberships"])
    sync_outlet_role(user, today)
    return user


def cancel_invitation(actor: User, outlet: Outlet, invitation_id: int, now: datetime) -> OutletInvitation:
    """Cancel an open invitation of this outlet (audited): its link stops working."""
    invitation = db.session.scalar(sa.select(OutletInvitation).where(
        OutletInvitation.id == invitation_id, OutletInvitation.outlet_id == outlet.id))
    if invitation is None or not invitation.open_on(now):
        raise LookupError(invitation_id)
    invitation.cancelled_at = now
    db.session.flush()
    audit.record(actor, "outlet.invitation_cancel", invitation, after={"outlet": outlet.code,
                                                                       "email": invitation.email})
    return invitation


def open_invitation(token: str, now: datetime) -> OutletInvitation:
    """The open invitation this token belongs to; ServiceError when unknown, used, cancelled or expired."""
    invitation = db.session.scalar(sa.select(OutletInvitation).where(
        OutletInvitation.token_digest == token_digest(token)))
    if invitation is None or not invitation.open_on(now):
        raise ServiceError(_l("This invitation link is not valid: it has expired, was already used or was "
                              "cancelled. Ask the outlet's owner for a new one."))
    return invitation


def accept(user: User, token: str, now: datetime, today: date) -> OutletMembership:
    """Accept an invitation as the logged-in user, whose email must be the invited address: the link works
    once, within its 7 days. The user joins the outlet (audited) and their role follows."""
    invitation = open_invitation(token, now)
    if normalise_email(user.email) != invitation.email:
        raise ServiceError(_l("This invitation was sent to another email address: log in with the account "
                              "of the address that received it."))
    invitation.accepted_at = now
    invitation.accepted_by_id = user.id
    return join(user, invitation.outlet, user, invitation.is_owner, today, how="outlet.invitation_accept")


def attach_by_admin(actor: User, outlet_code: str, email: str, is_owner: bool, today: date) -> OutletMembership:
    """An admin attaches an existing user to an outlet (audited, as any addition)."""
    outlet = db.session.scalar(sa.select(Outlet).where(Outlet.code == outlet_code.strip()))
    if outlet is None:
        raise ServiceError(_l("No outlet has this code."), "outlet_code")
    user = find_by_email(email)
    if user is None:
        raise ServiceError(_l("No account has this email."), "email")
    return join(actor, outlet, user, is_owner, today, how="outlet.member_attach")
