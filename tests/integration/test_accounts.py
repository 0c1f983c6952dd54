"""Register, log in and out, CSRF, login rate limits, profile, password change and reset."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, User
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory


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
