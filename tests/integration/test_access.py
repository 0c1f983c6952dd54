"""Who may open which area: anonymous visitors, each role, and admins."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, UserFactory

AREAS = {
    "/outlet/": "outlet_staff",
    "/county/": "county_staff",
    "/institution/": "institution_buyer",
    "/admin/": "admin",
}


@pytest.mark.parametrize("path", [*AREAS, "/account/"])
def test_anonymous_visitors_are_sent_to_login_with_next(client, app, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/login?next={path}"


@pytest.mark.parametrize("role", sorted(set(AREAS.values()) | {"consumer"}))
def test_each_role_reaches_its_own_area_and_gets_403_elsewhere(client, auth, app, role):
    UserFactory(email=f"{role}@example.com", roles_given=(role,))
    auth.login(f"{role}@example.com", PASSWORD)
    for path, needed in AREAS.items():
        status = client.get(path).status_code
        if role == "admin" or needed == role:
            assert status == 200, (role, path)
        else:
            assert status == 403, (role, path)
    assert client.get("/account/").status_code == 200


def test_403_page_is_styled_and_translated(client, auth, app):
    UserFactory(email="c@example.com", roles_given=("consumer",))
    auth.login("c@example.com", PASSWORD)
    response = client.get("/county/")
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


def test_a_revoked_role_stops_access_at_the_next_request(client, auth, app):
    from market.extensions import db
    from market.models import User
    from market.services.accounts.users import revoke_role

    admin = UserFactory(email="boss@example.com", roles_given=("admin",))
    UserFactory(email="staff@example.com", roles_given=("county_staff",))
    auth.login("staff@example.com", PASSWORD)
    assert client.get("/county/").status_code == 200
    staff = db.session.scalar(db.select(User).where(User.email == "staff@example.com"))
    revoke_role(db.session.merge(admin), staff, "county_staff")
    db.session.commit()
    assert client.get("/county/").status_code == 403


def test_outlet_staff_see_only_their_own_outlets(client, auth, app):
    from market.extensions import db
    from market.models import OutletMembership
    from tests.factories import OutletFactory

    mine, theirs = OutletFactory(name="我的专柜"), OutletFactory(name="别人的专柜")
    me = UserFactory(email="me@example.com", roles_given=("outlet_staff",))
    other = UserFactory(email="other@example.com", roles_given=("outlet_staff",))
    db.session.add_all([
        OutletMembership(user_id=me.id, outlet_id=mine.id, is_owner=True),
        OutletMembership(user_id=other.id, outlet_id=theirs.id),
    ])
    db.session.commit()
    auth.login("me@example.com", PASSWORD)
    page = client.get("/outlet/").get_data(as_text=True)
    assert "我的专柜" in page and "别人的专柜" not in page


@pytest.mark.parametrize(("roles", "landing"), [
    (("consumer",), "/account/"),
    (("consumer", "institution_buyer"), "/institution/"),
    (("consumer", "outlet_staff"), "/outlet/"),
    (("county_staff",), "/county/"),
    (("admin", "county_staff"), "/admin/"),
])
def test_each_role_lands_on_its_own_area_after_login(client, auth, app, roles, landing):
    UserFactory(email="who@example.com", roles_given=roles)
    assert auth.login("who@example.com", PASSWORD).headers["Location"] == landing
