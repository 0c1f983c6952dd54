"""Sessions end on the server: logout, "log out everywhere", remember-me cookies, one query per user load."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, User
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, UserFactory

REMEMBER = "remember_token"


def _login(client, email="a@example.com", remember=False):
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/account/login")}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 302
    return response


def _browser_with(app, **cookies):
    """A second browser holding copies of the given cookies and nothing else."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def test_a_session_cookie_copied_before_logout_is_refused_after_it(client, auth, app):
    UserFactory(email="a@example.com")
    _login(client)
    copied = _cookie(client, "session")
    assert _browser_with(app, session=copied).get("/account/orders").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/account/orders").status_code == 302
    replay = _browser_with(app, session=copied).get("/account/orders")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/account/login")


def test_a_remember_me_cookie_stops_working_at_logout(client, auth, app):
    UserFactory(email="a@example.com")
    _login(client, remember=True)
    remembered = _cookie(client, REMEMBER)
    assert _browser_with(app, **{REMEMBER: remembered}).get("/account/orders").status_code == 200
    auth.logout()
    assert _browser_with(app, **{REMEMBER: remembered}).get("/account/orders").status_code == 302


def test_log_out_everywhere_ends_a_second_browsers_session_but_not_this_one(client, app):
    UserFactory(email="a@example.com")
    phone = app.test_client()
    _login(phone, remember=True)
    phone_remembered = _cookie(phone, REMEMBER)
    _login(client)
    token = csrf_token(client, "/account/")
    response = client.post("/account/sessions/end", data={"sessions-csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    assert phone.get("/account/orders").status_code == 302
    assert _browser_with(app, **{REMEMBER: phone_remembered}).get("/account/orders").status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.sessions_end"))
    assert event is not None


def test_log_out_everywhere_keeps_this_browsers_remember_me_cookie_working(client, app):
    UserFactory(email="a@example.com")
    _login(client, remember=True)
    client.post("/account/sessions/end", data={"sessions-csrf_token": csrf_token(client, "/account/")})
    renewed = _cookie(client, REMEMBER)
    assert _browser_with(app, **{REMEMBER: renewed}).get("/account/orders").status_code == 200


def test_log_out_everywhere_needs_a_csrf_token(client, app):
    user = UserFactory(email="a@example.com")
    _login(client)
    assert client.post("/account/sessions/end").status_code == 400
    db.session.refresh(user)
    assert user.session_generation == 0
    assert client.get("/account/orders").status_code == 200


def test_the_profile_page_offers_log_out_everywhere(client, app):
    UserFactory(email="a@example.com")
    _login(client)
    page = client.get("/account/").get_data(as_text=True)
    assert 'action="/account/sessions/end"' in page


def test_logging_out_in_one_browser_ends_the_accounts_other_sessions_too(client, auth, app):
    # One generation per account: there is no per-session row to end alone.
    UserFactory(email="a@example.com")
    other = app.test_client()
    AuthActions(other).login("a@example.com", PASSWORD)
    _login(client)
    auth.logout()
    assert other.get("/account/orders").status_code == 302


def test_the_logged_in_user_is_loaded_with_their_roles_in_one_query(client, app):
    UserFactory(email="a@example.com", roles_given=("consumer", "outlet_staff"))
    _login(client)
    client.get("/privacy")  # the session is settled (no further writes to the cookie)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001 - event signature
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/privacy").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert "/outlet/" in page  # the roles were loaded: the header links to the outlet portal
    user_reads = [s for s in statements if "FROM users" in s]
    role_reads = [s for s in statements if "user_roles" in s]
    assert len(user_reads) == 1 and role_reads == user_reads, statements


def test_a_session_made_before_the_generation_changed_is_refused(client, app):
    user = UserFactory(email="a@example.com")
    _login(client)
    assert client.get("/account/orders").status_code == 200
    db.session.refresh(user)
    user.end_sessions()
    db.session.commit()
    assert client.get("/account/orders").status_code == 302
    assert db.session.get(User, user.id).session_generation == 1
