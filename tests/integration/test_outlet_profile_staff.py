"""The outlet profile and staff pages, the invitation link, the admin's attach form, through the real pages."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, Outlet, OutletInvitation, OutletMembership, User
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, OutletFactory, UserFactory


@pytest.fixture
def shop(app):
    """A certified outlet with an owner (owner@) and a plain staff member (clerk@)."""
    outlet = OutletFactory(code="LX-O-101", name="测试专柜", address="城关镇东大街1号")
    for email, owner in (("owner@example.com", True), ("clerk@example.com", False)):
        user = UserFactory(email=email, roles_given=("outlet_staff",))
        db.session.add(OutletMembership(outlet=outlet, user=user, is_owner=owner))
    db.session.commit()
    return outlet


def _login(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


PROFILE = {"shop_phone": "0917-4561234", "opening_hours": "每天 8:30–18:00",
           "pickup_address": "城关镇东大街1号后门", "description_zh": "陇县苹果与羊奶粉专柜。",
           "description_en": "Apples and goat-milk powder from Long County."}


def test_the_owner_edits_the_profile_and_the_shop_page_shows_it_in_both_languages(app, shop):
    owner = _login(app, "owner@example.com")
    token = csrf_token(owner, "/outlet/LX-O-101/profile")
    response = owner.post("/outlet/LX-O-101/profile", data={**PROFILE, "csrf_token": token})
    assert response.status_code == 302
    change = "/account/applications/new?outlet=LX-O-101&amp;purpose=change"
    assert change in owner.get("/outlet/LX-O-101/profile").get_data(as_text=True)
    page = app.test_client().get("/shop/LX-O-101").get_data(as_text=True)
    for text in ("0917-4561234", "每天 8:30–18:00", "城关镇东大街1号后门", "陇县苹果与羊奶粉专柜。"):
        assert text in page
    english = app.test_client()
    english.get("/lang/en")
    assert "Apples and goat-milk powder" in english.get("/shop/LX-O-101").get_data(as_text=True)
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "outlet.profile_update"))
    assert event.after["opening_hours"] == "每天 8:30–18:00" and event.before["opening_hours"] == ""


def test_a_bad_phone_is_refused_at_its_field_and_nothing_is_saved(app, shop):
    owner = _login(app, "owner@example.com")
    token = csrf_token(owner, "/outlet/LX-O-101/profile")
    response = owner.post("/outlet/LX-O-101/profile", data={**PROFILE, "shop_phone": "12345", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="shop_phone-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Outlet.opening_hours).where(Outlet.code == "LX-O-101")) == ""


def test_staff_who_are_not_owners_read_the_profile_and_staff_but_change_nothing(app, shop):
    clerk = _login(app, "clerk@example.com")
    profile = clerk.get("/outlet/LX-O-101/profile").get_data(as_text=True)
    assert 'name="opening_hours"' not in profile and "测试专柜" in profile  # read-only
    assert "purpose=change" not in profile  # only owners apply for changes
    token = csrf_token(clerk, "/account/")
    assert clerk.post("/outlet/LX-O-101/profile", data={**PROFILE, "csrf_token": token}).status_code == 403
    staff_page = clerk.get("/outlet/LX-O-101/staff").get_data(as_text=True)
    assert "owner@example.com" in staff_page and 'name="email"' not in staff_page
    assert clerk.post("/outlet/LX-O-101/staff", data={"email": "x@example.com", "role": "staff",
                                                       "csrf_token": token}).status_code == 403


def _outbox_link(app) -> str:
    outbox = Path(app.config["MARKET_OUTBOX"])
    mails = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    body = message_from_bytes(mails[-1].read_bytes()).get_payload(decode=True).decode()
    return re.search(r"http://market\.example\.com(/account/invitations/\S+)", body).group(1)


def test_an_invited_colleague_registers_accepts_once_and_reaches_the_outlet(app, shop):
    owner = _login(app, "owner@example.com")
    token = csrf_token(owner, "/outlet/LX-O-101/staff")
    response = owner.post("/outlet/LX-O-101/staff", data={"email": "new@example.com", "role": "staff",
                                                          "csrf_token": token})
    assert response.status_code == 302
    link = _outbox_link(app)
    raw_token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(OutletInvitation))
    assert raw_token not in stored.token_digest  # only the digest is kept
    visitor = app.test_client()
    assert "new@example.com" in visitor.get(link).get_data(as_text=True)
    register = csrf_token(visitor, f"/account/register?next={link}")
    response = visitor.post("/account/register", data={
        "name": "新同事", "email": "new@example.com", "password": "long-enough-1", "confirm": "long-enough-1",
        "accept_privacy": "y", "next": link, "csrf_token": register})
    assert response.headers["Location"] == link
    assert visitor.get("/outlet/").status_code == 403  # not staff until accepting
    accept = csrf_token(visitor, link)
    response = visitor.post(link, data={"csrf_token": accept})
    assert response.status_code == 302 and response.headers["Location"] == "/outlet/"
    assert visitor.get("/outlet/LX-O-101/staff").status_code == 200
    assert visitor.get(link).status_code == 410  # used once
    assert "new@example.com" in owner.get("/outlet/LX-O-101/staff").get_data(as_text=True)


def test_removing_a_member_takes_their_outlet_area_away(app, shop):
    owner = _login(app, "owner@example.com")
    clerk = _login(app, "clerk@example.com")
    membership = db.session.scalar(sa.select(OutletMembership).join(User).where(User.email == "clerk@example.com"))
    token = csrf_token(owner, "/outlet/LX-O-101/staff")
    assert owner.post(f"/outlet/LX-O-101/staff/{membership.id}/remove",
                      data={"csrf_token": token}).status_code == 302
    assert clerk.get("/outlet/").status_code == 403
    assert clerk.get("/outlet/LX-O-101/profile").status_code == 403


def test_the_last_owner_cannot_remove_themselves(app, shop):
    owner = _login(app, "owner@example.com")
    mine = db.session.scalar(sa.select(OutletMembership).join(User).where(User.email == "owner@example.com"))
    token = csrf_token(owner, "/outlet/LX-O-101/staff")
    response = owner.post(f"/outlet/LX-O-101/staff/{mine.id}/remove", data={"csrf_token": token},
                          follow_redirects=True)
    assert "至少" in response.get_data(as_text=True) or "at least one owner" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutletMembership, mine.id) is not None


def test_an_admin_attaches_a_user_to_an_outlet_from_the_admin_page(app, shop):
    UserFactory(email="admin@example.com", roles_given=("admin",))
    UserFactory(email="joiner@example.com", roles_given=("consumer",))
    admin = _login(app, "admin@example.com")
    token = csrf_token(admin, "/admin/")
    response = admin.post("/admin/outlet-staff", data={"outlet_code": "LX-O-101", "email": "joiner@example.com",
                                                       "role": "staff", "csrf_token": token})
    assert response.status_code == 302
    joiner = db.session.scalar(sa.select(User).where(User.email == "joiner@example.com"))
    assert "outlet_staff" in joiner.role_names
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "outlet.member_attach")) is not None


def test_the_landing_page_lists_each_outlet_with_links_to_its_pages(app, shop):
    other = OutletFactory(code="LX-O-102")
    user = db.session.scalar(sa.select(User).where(User.email == "clerk@example.com"))
    db.session.add(OutletMembership(outlet=other, user=user))
    db.session.commit()
    page = _login(app, "clerk@example.com").get("/outlet/").get_data(as_text=True)
    for code in ("LX-O-101", "LX-O-102"):
        for part in ("profile", "staff", "poster"):
            assert f"/outlet/{code}/{part}" in page
