"""The demo's outlet profiles and its second LX-O-001 staff member (market/demo/staff.py)."""

from __future__ import annotations

import sqlalchemy as sa

from market.demo import DEMO_PASSWORD, load_demo
from market.demo.staff import DEMO_STAFF_EMAIL, PROFILES
from market.domain.dates import business_date
from market.extensions import db
from market.models import AuditEvent, Outlet, OutletMembership, User
from tests.conftest import AuthActions


def _load(app) -> User:
    """The demo (load_demo calls add_demo_staff) and its second LX-O-001 staff member."""
    load_demo(business_date())
    db.session.commit()
    return db.session.scalar(sa.select(User).where(User.email == DEMO_STAFF_EMAIL))


def test_the_demo_staff_member_works_at_lx_o_001_only_and_is_not_an_owner(app):
    user = _load(app)
    assert user.email == DEMO_STAFF_EMAIL != "outlet2@example.com"
    (membership,) = db.session.scalars(sa.select(OutletMembership).where(OutletMembership.user_id == user.id))
    assert membership.outlet.code == "LX-O-001" and not membership.is_owner
    assert "outlet_staff" in user.role_names
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "outlet.member_add")) is not None
    client = app.test_client()
    assert AuthActions(client).login(DEMO_STAFF_EMAIL, DEMO_PASSWORD).status_code == 302
    assert client.get("/outlet/LX-O-001/profile").status_code == 200
    assert 'name="opening_hours"' not in client.get("/outlet/LX-O-001/profile").get_data(as_text=True)
    assert client.get("/outlet/LX-O-002/profile").status_code == 404
    assert client.get("/outlet/LX-O-003/staff").status_code == 404


def test_demo_shop_pages_show_hours_and_a_phone_but_never_the_contact_persons(app):
    _load(app)
    client = app.test_client()
    for code, (phone, hours, _pickup, about_zh, _about_en) in PROFILES.items():
        outlet = db.session.scalar(sa.select(Outlet).where(Outlet.code == code))
        page = client.get(f"/shop/{code}").get_data(as_text=True)
        assert phone in page and hours in page and about_zh in page, code
        assert outlet.contact_phone not in page, code
