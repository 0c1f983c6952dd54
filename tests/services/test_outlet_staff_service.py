"""Outlet staff as a service: adding, inviting, accepting, owner changes, removal, and the role that follows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, OutletCertification, OutletInvitation, OutletMembership
from market.services.errors import ServiceError
from market.services.outlets import staff
from tests.factories import OutletFactory, UserFactory

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)


def _owner_of(outlet, **kwargs):
    owner = UserFactory(roles_given=("outlet_staff",), **kwargs)
    db.session.add(OutletMembership(outlet=outlet, user=owner, is_owner=True))
    db.session.flush()
    return owner


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_adding_an_existing_user_makes_them_staff_and_grants_the_role_as_the_system(db_session):
    outlet = OutletFactory()
    owner = _owner_of(outlet)
    colleague = UserFactory(email="li@example.com")
    added = staff.add_or_invite(owner, outlet, " LI@example.com ", False, NOW, TODAY)
    assert added.membership is not None and added.token is None
    assert "outlet_staff" in colleague.role_names
    (grant,) = _events("role.grant")
    assert grant.actor_id is None and grant.after["email"] == "li@example.com"
    assert _events("outlet.member_add")[0].actor_id == owner.id
    with pytest.raises(ServiceError, match="already works"):
        staff.add_or_invite(owner, outlet, "li@example.com", False, NOW, TODAY)


@pytest.mark.parametrize(("certificates", "granted"), [
    ((), False),                                         # applying is not enough
    ((date(2026, 12, 3),), False),                       # certified from tomorrow: not yet
    ((date(2026, 12, 2),), True),                        # takes effect today
    ((date(2020, 1, 1),), True),                         # long in force
])
def test_the_role_comes_only_with_an_outlet_whose_first_certificate_has_taken_effect(db_session, certificates,
                                                                                      granted):
    outlet = OutletFactory(certified=False)
    for n, start in enumerate(certificates):
        outlet.certifications.append(OutletCertification(number=f"LXXF-T{n}", valid_from=start))
    user = UserFactory(roles_given=("consumer",))
    staff.join(None, outlet, user, True, TODAY)
    assert ("outlet_staff" in user.role_names) is granted


def test_an_expired_certificate_keeps_the_role_so_staff_can_renew(db_session):
    outlet = OutletFactory(certified=False)
    outlet.certifications.append(OutletCertification(number="LXXF-OLD", valid_from=date(2023, 1, 1),
                                                     valid_to=date(2025, 12, 31)))
    user = UserFactory(roles_given=("consumer",))
    staff.join(None, outlet, user, True, TODAY)
    assert "outlet_staff" in user.role_names


def test_an_invitation_keeps_only_a_digest_works_once_and_only_for_its_address(db_session):
    outlet = OutletFactory()
    owner = _owner_of(outlet)
    added = staff.add_or_invite(owner, outlet, "New@Example.com", True, NOW, TODAY)
    invitation = added.invitation
    assert added.token and invitation.email == "new@example.com"
    assert invitation.token_digest == staff.token_digest(added.token) != added.token
    assert invitation.expires_at == NOW + timedelta(days=7)
    stranger = UserFactory(email="other@example.com")
    with pytest.raises(ServiceError, match="another email"):
        staff.accept(stranger, added.token, NOW, TODAY)
    invitee = UserFactory(email="new@example.com")
    membership = staff.accept(invitee, added.token, NOW + timedelta(hours=1), TODAY)
    assert membership.is_owner and membership.outlet_id == outlet.id
    assert "outlet_staff" in invitee.role_names
    assert invitation.accepted_by_id == invitee.id
    with pytest.raises(ServiceError, match="not valid"):
        staff.accept(invitee, added.token, NOW + timedelta(hours=2), TODAY)


@pytest.mark.parametrize(("after", "usable"), [(timedelta(days=7) - timedelta(seconds=1), True),
                                               (timedelta(days=7), False)])
def test_an_invitation_is_valid_for_seven_days(db_session, after, usable):
    outlet = OutletFactory()
    added = staff.add_or_invite(_owner_of(outlet), outlet, "late@example.com", False, NOW, TODAY)
    if usable:
        assert staff.open_invitation(added.token, NOW + after) == added.invitation
    else:
        with pytest.raises(ServiceError):
            staff.open_invitation(added.token, NOW + after)


def test_inviting_an_address_again_cancels_its_earlier_link(db_session):
    outlet = OutletFactory()
    owner = _owner_of(outlet)
    first = staff.add_or_invite(owner, outlet, "twice@example.com", False, NOW, TODAY)
    second = staff.add_or_invite(owner, outlet, "twice@example.com", False, NOW, TODAY)
    with pytest.raises(ServiceError):
        staff.open_invitation(first.token, NOW)
    assert staff.open_invitation(second.token, NOW) == second.invitation
    assert [i.email for i in staff.staff_page(outlet, NOW).invitations] == ["twice@example.com"]


def test_a_cancelled_invitation_link_stops_working(db_session):
    outlet = OutletFactory()
    owner = _owner_of(outlet)
    added = staff.add_or_invite(owner, outlet, "gone@example.com", False, NOW, TODAY)
    staff.cancel_invitation(owner, outlet, added.invitation.id, NOW)
    with pytest.raises(ServiceError):
        staff.accept(UserFactory(email="gone@example.com"), added.token, NOW, TODAY)


def test_the_last_owner_can_be_neither_removed_nor_made_staff(db_session):
    outlet = OutletFactory()
    owner = _owner_of(outlet)
    (mine,) = outlet.memberships
    with pytest.raises(ServiceError, match="at least one owner"):
        staff.remove(owner, outlet, mine.id, TODAY)
    with pytest.raises(ServiceError, match="at least one owner"):
        staff.set_owner(owner, outlet, mine.id, False)
    second = staff.join(owner, outlet, UserFactory(), False, TODAY)
    staff.set_owner(owner, outlet, second.id, True)
    staff.set_owner(owner, outlet, mine.id, False)  # now someone else owns it
    assert _events("outlet.member_role")[-1].after["owner"] is False


def test_removing_the_last_qualifying_membership_removes_the_role(db_session):
    first, second = OutletFactory(), OutletFactory()
    owner = _owner_of(first)
    _owner_of(second)
    colleague = UserFactory(roles_given=("consumer",))
    a = staff.join(owner, first, colleague, False, TODAY)
    b = staff.join(owner, second, colleague, False, TODAY)
    staff.remove(owner, first, a.id, TODAY)
    assert "outlet_staff" in colleague.role_names  # still works for the second outlet
    staff.remove(owner, second, b.id, TODAY)
    assert "outlet_staff" not in colleague.role_names
    revoke = _events("role.revoke")[-1]
    assert revoke.actor_id is None and revoke.after["role"] == "outlet_staff"


def test_another_outlets_membership_or_invitation_is_not_found(db_session):
    mine, theirs = OutletFactory(), OutletFactory()
    owner = _owner_of(mine)
    other_owner = _owner_of(theirs)
    (their_membership,) = theirs.memberships
    invited = staff.add_or_invite(other_owner, theirs, "x@example.com", False, NOW, TODAY)
    with pytest.raises(LookupError):
        staff.remove(owner, mine, their_membership.id, TODAY)
    with pytest.raises(LookupError):
        staff.set_owner(owner, mine, their_membership.id, False)
    with pytest.raises(LookupError):
        staff.cancel_invitation(owner, mine, invited.invitation.id, NOW)
    assert db.session.get(OutletInvitation, invited.invitation.id).cancelled_at is None


def test_an_admin_attaches_an_existing_user_by_outlet_code(db_session):
    OutletFactory(code="LX-O-077")
    admin = UserFactory(roles_given=("admin",))
    user = UserFactory(email="attach@example.com", roles_given=("consumer",))
    staff.attach_by_admin(admin, " LX-O-077", "attach@example.com", True, TODAY)
    assert "outlet_staff" in user.role_names
    assert _events("outlet.member_attach")[0].actor_id == admin.id
    with pytest.raises(ServiceError) as err:
        staff.attach_by_admin(admin, "LX-O-999", "attach@example.com", True, TODAY)
    assert err.value.field == "outlet_code"
    with pytest.raises(ServiceError) as err:
        staff.attach_by_admin(admin, "LX-O-077", "nobody@example.com", True, TODAY)
    assert err.value.field == "email"
