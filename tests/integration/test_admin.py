"""Admins grant and revoke roles through /admin/; every change is audited; others cannot."""

from __future__ import annotations

import re

import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, User
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory


def _change(client, user_id: int, role: str, action: str, with_token: bool = True):
    data = {"role": role, "action": action}
    if with_token:
        data["csrf_token"] = csrf_token(client, "/admin/")
    return client.post(f"/admin/users/{user_id}/roles", data=data)


def test_admin_grants_and_revokes_a_role_and_both_are_audited(client, auth, app):
    admin = UserFactory(email="admin@example.com", roles_given=("admin",))
    target = UserFactory(email="t@example.com", roles_given=("consumer",))
    auth.login("admin@example.com", PASSWORD)
    assert _change(client, target.id, "county_staff", "grant").status_code == 302
    assert _change(client, target.id, "county_staff", "revoke").status_code == 302
    db.session.rollback()  # end the test transaction: see what the requests committed
    assert db.session.get(User, target.id).role_names == {"consumer"}
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    grant, revoke = [e for e in events if e.action.startswith("role.")]
    assert (grant.action, grant.actor_id, grant.object_id) == ("role.grant", admin.id, str(target.id))
    assert grant.before == {"roles": ["consumer"]}
    assert grant.after == {"roles": ["consumer", "county_staff"], "email": "t@example.com", "role": "county_staff"}
    assert revoke.action == "role.revoke" and revoke.after["roles"] == ["consumer"]
    assert grant.created_at.tzinfo is not None


def test_the_admin_page_lists_users_and_the_audit_trail(client, auth, app):
    UserFactory(email="admin@example.com", roles_given=("admin",))
    UserFactory(email="someone@example.com")
    auth.login("admin@example.com", PASSWORD)
    page = client.get("/admin/?q=someone").get_data(as_text=True)
    listing = re.sub(r"<header.*?</header>", "", page, flags=re.S)
    assert "someone@example.com" in listing and "admin@example.com" not in listing


def test_an_admin_cannot_remove_their_own_admin_role(client, auth, app):
    admin = UserFactory(email="admin@example.com", roles_given=("admin",))
    auth.login("admin@example.com", PASSWORD)
    page = client.post(f"/admin/users/{admin.id}/roles", data={
        "role": "admin", "action": "revoke", "csrf_token": csrf_token(client, "/admin/")}, follow_redirects=True)
    assert "不能撤销自己的管理员角色" in page.get_data(as_text=True)
    db.session.rollback()  # end the test transaction: see what the requests committed
    assert "admin" in db.session.get(User, admin.id).role_names


def test_role_changes_need_a_csrf_token_and_a_known_role(client, auth, app):
    UserFactory(email="admin@example.com", roles_given=("admin",))
    target = UserFactory(email="t@example.com")
    auth.login("admin@example.com", PASSWORD)
    assert _change(client, target.id, "admin", "grant", with_token=False).status_code == 400
    _change(client, target.id, "emperor", "grant")
    assert _change(client, 999_999, "admin", "grant").status_code == 404
    db.session.rollback()  # end the test transaction: see what the requests committed
    assert db.session.get(User, target.id).role_names == {"consumer"}
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action.like("role.%"))) == 0


def test_county_staff_cannot_change_roles(client, auth, app):
    UserFactory(email="county@example.com", roles_given=("county_staff",))
    target = UserFactory(email="t@example.com")
    auth.login("county@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    response = client.post(f"/admin/users/{target.id}/roles",
                           data={"role": "admin", "action": "grant", "csrf_token": token})
    assert response.status_code == 403
    db.session.rollback()  # end the test transaction: see what the requests committed
    assert db.session.get(User, target.id).role_names == {"consumer"}
