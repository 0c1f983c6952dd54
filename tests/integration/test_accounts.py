"""Register, log in and out, CSRF, login rate limits, profile, password change and reset."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, User
from market.services.errors import ServiceError
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, UserFactory


def _register(client, **overrides):
    data = {
        "name": "王小明", "email": "new@example.com", "phone": "13800001234",
        "password": "s3cret-pass", "confirm": "s3cret-pass", "accept_privacy": "y",
        "csrf_token": csrf_token(client, "/account/register"),
    }
    data.update(overrides)
    return client.post("/account/register", data=data)


def test_a_visitor_registers_as_a_consumer_and_is_logged_in(client, app):
    response = _register(client)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.com"))
    assert user.role_names == {"consumer"}
    assert user.privacy_accepted_at is not None
    assert user.password_hash != "s3cret-pass" and user.check_password("s3cret-pass")
    assert client.get("/account/").status_code == 200


def test_registration_requires_consent_to_the_privacy_policy(client, app):
    response = _register(client, accept_privacy="")
    assert response.status_code == 422
    assert "注册前须同意隐私政策" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_registration_refuses_a_taken_email_bad_phone_and_short_password(client, app):
    UserFactory(email="taken@example.com")
    page = _register(client, email="Taken@Example.com").get_data(as_text=True)
    assert "该邮箱已注册账户" in page
    page = _register(client, phone="1380000abcd").get_data(as_text=True)
    assert "11位中国大陆手机号码" in page
    page = _register(client, password="short", confirm="short").get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_login_without_csrf_token_gets_400_and_does_not_log_in(client, app):
    UserFactory(email="a@example.com")
    response = client.post("/account/login", data={"email": "a@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_login_goes_to_next_and_ignores_off_site_next(client, auth, app):
    UserFactory(email="a@example.com")
    assert auth.login("a@example.com", PASSWORD, next_path="/privacy").headers["Location"] == "/privacy"
    auth.logout()
    assert auth.login("a@example.com", PASSWORD, next_path="https://evil.example.com").headers[
        "Location"] == "/account/"


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, app):
    UserFactory(email="a@example.com")
    wrong = auth.login("a@example.com", "nope-nope").get_data(as_text=True)
    unknown = auth.login("nobody@example.com", "nope-nope").get_data(as_text=True)
    assert "邮箱或密码不正确" in wrong and "邮箱或密码不正确" in unknown


def test_five_failed_logins_lock_the_account_for_a_while_but_not_others(client, auth, app):
    UserFactory(email="a@example.com")
    UserFactory(email="b@example.com")
    for _ in range(5):
        assert auth.login("a@example.com", "wrong-password").status_code == 422
    blocked = auth.login("a@example.com", PASSWORD)
    assert blocked.status_code == 429
    assert "尝试次数过多" in blocked.get_data(as_text=True)
    assert auth.login("b@example.com", PASSWORD).status_code == 302


def test_successful_logins_do_not_count_against_the_limit(client, auth, app):
    UserFactory(email="a@example.com")
    for _ in range(8):
        assert auth.login("a@example.com", PASSWORD).status_code == 302
        auth.logout()


def test_logout_is_a_post_with_csrf(client, auth, app):
    UserFactory(email="a@example.com")
    auth.login("a@example.com", PASSWORD)
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/account/").status_code == 302


def test_password_change_needs_the_current_password_and_is_audited(client, auth, app):
    UserFactory(email="a@example.com")
    auth.login("a@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    data = {"pw-csrf_token": token, "pw-current_password": "wrong", "pw-new_password": "brand-new-1",
            "pw-confirm": "brand-new-1", "pw-submit": "y"}
    assert "当前密码不正确" in client.post("/account/", data=data).get_data(as_text=True)
    data["pw-current_password"] = PASSWORD
    assert client.post("/account/", data=data).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "a@example.com"))
    assert user.check_password("brand-new-1")
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password_change"))


def test_profile_saves_name_and_language(client, auth, app):
    UserFactory(email="a@example.com")
    auth.login("a@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    response = client.post("/account/", data={"profile-csrf_token": token, "profile-name": "李华",
                                              "profile-phone": "", "profile-locale": "en",
                                              "profile-submit": "y"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/account/").get_data(as_text=True)


def _outbox_link(app) -> str:
    outbox = Path(app.config["MARKET_OUTBOX"])
    mails = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    body = message_from_bytes(mails[-1].read_bytes()).get_payload(decode=True).decode()
    return re.search(r"http://market\.example\.com(/account/reset/\S+)", body).group(1)


def test_password_reset_by_emailed_link_works_once(client, app):
    UserFactory(email="a@example.com")
    response = client.post("/account/forgot", data={"email": "a@example.com",
                                                    "csrf_token": csrf_token(client, "/account/forgot")})
    assert response.status_code == 302
    link = _outbox_link(app)
    token = csrf_token(client, link)
    assert client.post(link, data={"password": "reset-pass-1", "confirm": "reset-pass-1",
                                   "csrf_token": token}).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "a@example.com"))
    assert user.check_password("reset-pass-1")
    again = client.get(link, follow_redirects=True)  # said at once, before typing a new password
    assert "已使用" in again.get_data(as_text=True) and again.request.path == "/account/forgot"
    token = csrf_token(client, "/account/forgot")
    client.post(link, data={"password": "other-pass-1", "confirm": "other-pass-1", "csrf_token": token})
    db.session.rollback()
    assert db.session.scalar(sa.select(User).where(User.email == "a@example.com")).check_password("reset-pass-1")


def test_forgot_password_says_the_same_for_unknown_emails(client, app):
    response = client.post("/account/forgot", data={"email": "ghost@example.com",
                                                    "csrf_token": csrf_token(client, "/account/forgot")},
                           follow_redirects=True)
    assert "如该邮箱已注册" in response.get_data(as_text=True)


def test_a_forged_reset_token_is_refused(client, app):
    assert "链接无效" in client.get("/account/reset/forged", follow_redirects=True).get_data(as_text=True)
    response = client.post("/account/reset/forged", data={
        "password": "reset-pass-1", "confirm": "reset-pass-1", "csrf_token": csrf_token(client, "/account/forgot")})
    assert response.status_code == 302 and response.headers["Location"] == "/account/forgot"


def test_a_password_change_ends_other_sessions_but_not_this_one(client, auth, app):
    UserFactory(email="a@example.com")
    other = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).login("a@example.com", PASSWORD)
    auth.login("a@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    client.post("/account/", data={"pw-csrf_token": token, "pw-current_password": PASSWORD,
                                   "pw-new_password": "brand-new-1", "pw-confirm": "brand-new-1", "pw-submit": "y"})
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302


def test_a_deactivated_user_loses_access_at_once(client, auth, app):
    user = UserFactory(email="staff@example.com", roles_given=("county_staff",))
    auth.login("staff@example.com", PASSWORD)
    assert client.get("/county/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/county/").status_code == 302


def _failed_login(client, email, address, token):
    return client.post("/account/login", data={"email": email, "password": "wrong-password", "csrf_token": token},
                       environ_overrides={"REMOTE_ADDR": address})


def test_failed_logins_from_one_address_do_not_lock_the_account_elsewhere(client, auth, app):
    UserFactory(email="a@example.com")
    token = csrf_token(client, "/account/login")
    for _ in range(5):
        assert _failed_login(client, "a@example.com", "203.0.113.7", token).status_code == 422
    assert _failed_login(client, "a@example.com", "203.0.113.7", token).status_code == 429
    assert auth.login("a@example.com", PASSWORD).status_code == 302  # the owner, from their own address


def test_an_account_is_locked_after_fifty_failures_an_hour_from_any_addresses(client, app, monkeypatch):
    from market.services.accounts import users

    UserFactory(email="a@example.com")
    monkeypatch.setattr(users, "authenticate", lambda email, password: None)  # skip the slow hashing
    token = csrf_token(client, "/account/login")
    for n in range(50):
        assert _failed_login(client, "a@example.com", f"198.51.100.{n // 5}", token).status_code == 422
    blocked = _failed_login(client, "a@example.com", "192.0.2.1", token)
    assert blocked.status_code == 429
    assert _failed_login(client, "b@example.com", "192.0.2.1", token).status_code == 422


def test_a_429_says_when_to_try_again(client, auth, app):
    UserFactory(email="a@example.com")
    for _ in range(5):
        auth.login("a@example.com", "wrong-password")
    blocked = auth.login("a@example.com", PASSWORD)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 15 * 60


def test_the_reset_link_carries_no_readable_trace_of_email_or_password_hash(app):
    from itsdangerous import URLSafeTimedSerializer

    from market.services.accounts import users

    user = UserFactory(email="a@example.com")
    token = users.make_reset_token(user)
    ok, payload = URLSafeTimedSerializer("any key", salt="password-reset").loads_unsafe(token)
    assert not ok and payload[0] == user.id and len(payload) == 2
    digest = payload[1]
    assert digest not in user.password_hash and "example" not in str(payload)
    assert users.user_for_reset_token(token) == user


def test_a_reset_link_stops_working_once_the_password_is_changed(client, auth, app):
    from market.services.accounts import users

    user = UserFactory(email="a@example.com")
    link = f"/account/reset/{users.make_reset_token(user)}"
    assert client.get(link).status_code == 200
    auth.login("a@example.com", PASSWORD)
    client.post("/account/", data={"pw-csrf_token": csrf_token(client, "/account/"), "pw-current_password": PASSWORD,
                                   "pw-new_password": "brand-new-1", "pw-confirm": "brand-new-1", "pw-submit": "y"})
    again = client.get(link, follow_redirects=True)
    assert again.request.path == "/account/forgot" and "已使用" in again.get_data(as_text=True)


def test_registration_commits_once_and_keeps_the_guest_cart(client, app):
    listing = ListingFactory(stock=5)
    token = csrf_token(client, "/account/register")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2, "csrf_token": token})
    commits = []

    def count(conn):  # noqa: ANN001 - event signature
        commits.append(conn)

    sa.event.listen(db.engine, "commit", count)
    try:
        response = _register(client)
    finally:
        sa.event.remove(db.engine, "commit", count)
    assert response.status_code == 302
    assert len(commits) == 1
    assert "(2)" in client.get("/cart/").get_data(as_text=True)


def test_the_profile_service_saves_for_the_user_it_is_given_outside_any_request(app):
    from market.services.accounts import users

    user = UserFactory(email="a@example.com")
    users.update_profile(user, "  李华 ", "13900001111", "en")
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.phone, saved.locale) == ("李华", "13900001111", "en")
    users.update_profile(saved, "李华", "", "zh")
    assert saved.phone is None
    for name, locale, field in (("  ", "zh", "name"), ("李华", "fr", "locale")):
        with pytest.raises(ServiceError) as refused:
            users.update_profile(saved, name, None, locale)
        assert refused.value.field == field
