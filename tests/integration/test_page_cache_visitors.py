"""Kept pages serve returning guests and logged-in buyers too: each visitor sees their own login state, name,
cart count, messages, language and CSRF token, never another's; a warm page costs the version check alone."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import User
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, ListingFactory, ProductFactory, UserFactory

BUY_TOKEN = re.compile(r'class="buy-form">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')
CART_COUNT = re.compile(r'class="cart-link">[^<]*(?:<span class="count">\((\d+)\)</span>)?</a>')


def add_to_cart(client, listing_id: int, sku: str) -> None:
    """Put a listing in the client's cart through the product page's form (with the token in that form)."""
    token = BUY_TOKEN.search(client.get(f"/product/{sku}").get_data(as_text=True)).group(1)
    added = client.post("/cart/add", data={"listing_id": listing_id, "quantity": 1, "csrf_token": token})
    assert added.status_code == 302


def header(page: str) -> tuple[int, bool]:
    """The cart count and whether the page shows a logged-in menu (a log-out button)."""
    count = CART_COUNT.search(page)
    assert count, "no cart link in the header"
    return int(count.group(1) or 0), 'action="/account/logout"' in page


@pytest.fixture
def shop(app):
    """Three listings with their products."""
    return [ListingFactory(stock=50, product=ProductFactory(sku=f"LX-P-{i}", name_zh=f"陇州苹果{i}号"))
            for i in range(3)]


@pytest.fixture
def never_rendered_twice(monkeypatch):
    """Fail if a catalogue page is computed again: from now on pages must come from the page cache."""
    from market.storefront import views

    def not_called(*args, **kwargs):
        raise AssertionError("the view ran: the page was not served from the page cache")

    def seal():
        for name in ("home", "search", "product_page"):
            target = views.catalog_detail if name == "product_page" else views.catalog_pages
            monkeypatch.setattr(target, name, not_called)

    return seal


def test_two_visitors_browsing_at_once_each_see_their_own_cart_and_login(app, cached, shop, never_rendered_twice,
                                                                       monkeypatch):
    guest = app.test_client()
    add_to_cart(guest, shop[0].id, "LX-P-0")
    UserFactory(email="buyer@example.com", name="陈买家")
    buyer = app.test_client()
    assert AuthActions(buyer).login("buyer@example.com", PASSWORD).status_code == 302
    add_to_cart(buyer, shop[1].id, "LX-P-1")
    add_to_cart(buyer, shop[2].id, "LX-P-2")
    for path in ("/", "/search?q=苹果", "/product/LX-P-0"):  # every page rendered once, by either visitor
        guest.get(path)
    never_rendered_twice()
    for path in ("/", "/product/LX-P-0", "/search?q=苹果", "/", "/product/LX-P-0"):
        as_buyer = buyer.get(path).get_data(as_text=True)
        as_guest = guest.get(path).get_data(as_text=True)
        first_visit = app.test_client().get(path).get_data(as_text=True)
        assert header(as_buyer) == (2, True) and "陈买家" in as_buyer
        assert header(as_guest) == (1, False) and "陈买家" not in as_guest and "/account/login?next=" in as_guest
        assert header(first_visit) == (0, False) and "陈买家" not in first_visit
    # Each got a CSRF token of their own, and it works for them.
    tokens = {BUY_TOKEN.search(c.get("/product/LX-P-0").get_data(as_text=True)).group(1) for c in (guest, buyer)}
    assert len(tokens) == 2
    monkeypatch.undo()  # adding to a cart commits, so the pages are computed again
    add_to_cart(guest, shop[2].id, "LX-P-0")
    add_to_cart(buyer, shop[0].id, "LX-P-0")
    assert header(guest.get("/").get_data(as_text=True)) == (2, False)
    assert header(buyer.get("/").get_data(as_text=True)) == (3, True)


def test_a_flashed_message_is_shown_once_and_never_kept(app, cached, shop):
    UserFactory(email="buyer@example.com", name="陈买家")
    for warm in (True, False):  # the page already kept, then a page first rendered with the message
        if not warm:
            from market.services.catalog import cache as catalog_cache

            catalog_cache.cache.clear()
        other = app.test_client()
        if warm:
            other.get("/")
        buyer = app.test_client()
        AuthActions(buyer).login("buyer@example.com", PASSWORD, next_path="/")
        welcome = buyer.get("/").get_data(as_text=True)
        assert "欢迎回来，陈买家。" in welcome and 'class="flashes"' in welcome
        assert "欢迎回来" not in buyer.get("/").get_data(as_text=True)
        assert "欢迎回来" not in other.get("/").get_data(as_text=True)
        assert "欢迎回来" not in app.test_client().get("/").get_data(as_text=True)


def test_a_warm_page_of_a_logged_in_buyer_costs_the_version_check_and_writes_nothing(app, cached, shop):
    UserFactory(email="buyer@example.com", name="陈买家")
    buyer = app.test_client()
    AuthActions(buyer).login("buyer@example.com", PASSWORD)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    paths = ("/", "/search?q=苹果", "/search?q=果", "/product/LX-P-1", f"/shop/{shop[1].outlet.code}",
             "/category/apple")
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        cold = {}
        for path in paths:
            statements.clear()
            assert buyer.get(path).status_code == 200
            cold[path] = list(statements)
        statements.clear()
        for path in paths:
            assert "陈买家" in buyer.get(path).get_data(as_text=True)
        warm = list(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    # SQLite asks its version on a side connection; PostgreSQL runs one snapshot query per page.
    assert [s for s in warm if "pg_current_snapshot" not in s] == []
    assert len(warm) <= len(paths)
    writes = [s for s in [*warm, *sum(cold.values(), [])] if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]
    assert writes == []


def test_the_header_follows_the_account_at_once(app, cached, shop):
    user = UserFactory(email="buyer@example.com", name="陈买家")
    buyer = app.test_client()
    AuthActions(buyer).login("buyer@example.com", PASSWORD)
    assert "陈买家" in buyer.get("/").get_data(as_text=True)
    db.session.execute(sa.update(User).where(User.id == user.id).values(name="陈新名"))
    db.session.commit()
    assert "陈新名" in buyer.get("/").get_data(as_text=True)
    db.session.execute(sa.update(User).where(User.id == user.id).values(active=False))
    db.session.commit()
    page = buyer.get("/").get_data(as_text=True)
    assert "陈新名" not in page and header(page) == (0, False)


def test_each_visitor_reads_the_kept_pages_in_their_own_language(app, cached, shop):
    ProductFactory(sku="LX-P-EN", name_zh="陇州苹果", name_en="Longzhou apples")
    UserFactory(email="english@example.com", name="Alice", locale="en")
    english_buyer = app.test_client()
    AuthActions(english_buyer).login("english@example.com", PASSWORD)
    chinese_guest = app.test_client()
    english_guest = app.test_client()
    english_guest.get("/lang/en")
    for _ in range(2):
        assert '<html lang="en">' in english_buyer.get("/").get_data(as_text=True)
        assert '<html lang="en">' in english_guest.get("/").get_data(as_text=True)
        assert '<html lang="zh-CN">' in chinese_guest.get("/").get_data(as_text=True)


def test_an_error_page_of_a_catalogue_url_shows_the_visitors_own_header(app, cached, shop):
    UserFactory(email="buyer@example.com", name="陈买家")
    buyer = app.test_client()
    AuthActions(buyer).login("buyer@example.com", PASSWORD)
    missing = buyer.get("/product/NO-SUCH")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404 and "陈买家" in page and "-slot-" not in page
    assert "陈买家" not in app.test_client().get("/product/NO-SUCH").get_data(as_text=True)


def test_a_remembered_buyer_back_in_a_new_browser_session_sees_their_own_header(app, cached, shop):
    UserFactory(email="buyer@example.com", name="陈买家")
    buyer = app.test_client()
    token = csrf_token(buyer, "/account/login")
    buyer.post("/account/login", data={"email": "buyer@example.com", "password": PASSWORD, "remember": "y",
                                       "csrf_token": token})
    assert "陈买家" in buyer.get("/").get_data(as_text=True)
    buyer.delete_cookie("session")  # the browser closed: only the remember-me cookie is left
    assert buyer.get_cookie("remember_token") is not None
    page = buyer.get("/").get_data(as_text=True)
    assert "陈买家" in page and header(page) == (0, True)
    assert "陈买家" not in app.test_client().get("/").get_data(as_text=True)
