"""Whole pages kept per process: served again only while the data is unchanged, each visitor with a CSRF
token of their own and the page in their own language (returning visitors: test_page_cache_visitors.py)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from market.extensions import db
from market.models import CartLine, Listing
from tests.factories import ListingFactory, ProductFactory

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def visit(app, path):
    """A first visit: a new client, so no cookie is sent."""
    client = app.test_client()
    return client, client.get(path)


def test_a_kept_page_is_served_again_until_the_data_changes(app, cached, monkeypatch):
    listing = ListingFactory(price_fen=6800, product=ProductFactory(sku="LX-P-1", name_zh="陇州苹果"))
    statements = []

    def count(*args):
        statements.append(args[2])

    _, first = visit(app, "/product/LX-P-1")
    from market.storefront import views

    def not_called(*args):
        raise AssertionError("the view ran: the page was not served from the page cache")

    monkeypatch.setattr(views.catalog_detail, "product_page", not_called)
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        _, second = visit(app, "/product/LX-P-1")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    # Served whole from the cache: no query but PostgreSQL's version check (SQLite's is on a side connection).
    assert [q for q in statements if "pg_current_snapshot" not in q] == []
    assert "¥68.00" in first.get_data(as_text=True)
    assert TOKEN.sub("", first.get_data(as_text=True)) == TOKEN.sub("", second.get_data(as_text=True))
    monkeypatch.undo()
    assert first.headers["Vary"] == "Cookie" and second.headers["Content-Security-Policy"]
    db.session.execute(sa.update(Listing).where(Listing.id == listing.id).values(price_fen=7200))
    db.session.commit()
    _, third = visit(app, "/product/LX-P-1")
    assert "¥72.00" in third.get_data(as_text=True) and "¥68.00" not in third.get_data(as_text=True)


def test_each_visitor_gets_a_token_of_their_own_that_works(app, cached):
    listing = ListingFactory(stock=5, product=ProductFactory(sku="LX-P-1"))
    tokens = []
    for _ in range(2):
        client, page = visit(app, "/product/LX-P-1")
        token = TOKEN.search(page.get_data(as_text=True)).group(1)
        tokens.append(token)
        added = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token})
        assert added.status_code == 302
    assert tokens[0] != tokens[1]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CartLine.id))) == 2


def test_a_visitor_who_chose_english_gets_the_english_page(app, cached):
    ListingFactory(product=ProductFactory(sku="LX-P-1", name_zh="陇州苹果", name_en="Longzhou apples"))
    visit(app, "/product/LX-P-1")
    client = app.test_client()
    client.get("/lang/en")
    page = client.get("/product/LX-P-1").get_data(as_text=True)
    assert "Longzhou apples" in page and '<html lang="en">' in page
