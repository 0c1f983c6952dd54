"""The benchmark's returning visitors: session cookies made through the real forms, as a browser gets them.

Used by storefront_bench.py and storefront_profile.py (run by hand, never collected by pytest):
- a returning guest: visited a product page, put one line in the cart (a guest cart token in the session);
- a logged-in consumer: logged in through the login form, with two lines in the account's cart.
The cookies are signed with the app's secret key, so the servers must run with the same one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CONSUMER_EMAIL = "bench-consumer@example.com"
CONSUMER_PASSWORD = "benchmark-consumer-pw-1"  # noqa: S105 - a throwaway account in a generated database
PRODUCTS_TO_BUY = ("BM-P-00819", "BM-P-00820")
_TOKEN = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')
_OFFER = re.compile(r'name="listing_id" id="offer-\d+" value="(\d+)"[^>]*?(?<!disabled) required>')


def _same_site(path: str) -> dict[str, str]:
    """The Referer a browser sends with a form: in production the test client speaks https, and
    Flask-WTF then checks that the form came from this site."""
    return {"Referer": f"https://localhost{path}"}


def _token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _add_to_cart(client: FlaskClient, sku: str) -> None:
    """Put one unit of the product's first offer that is not sold out in the client's cart."""
    path = f"/product/{sku}"
    token = _token(client, path)
    offers = [m.group(1) for m in _OFFER.finditer(client.get(path).get_data(as_text=True))]
    assert offers, f"nothing to buy on {path}"
    added = client.post("/cart/add", data={"listing_id": offers[0], "quantity": 1, "csrf_token": token,
                                           "next": path}, headers=_same_site(path))
    assert added.status_code == 302, added.status_code


def _ensure_consumer(app: Flask) -> None:
    """Create the benchmark's consumer account once (the database is the benchmark's own)."""
    from market.extensions import db
    from market.services.accounts import users

    with app.app_context():
        if users.find_by_email(CONSUMER_EMAIL) is None:
            users.create_user(CONSUMER_EMAIL, CONSUMER_PASSWORD, "基准测试顾客", ("consumer",), privacy_accepted=True)
            db.session.commit()


def _session_cookie(app: Flask, client: FlaskClient) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name, domain="localhost")
    assert cookie is not None, "no session cookie"
    return f"{name}={cookie.value}"


def visitor_cookies(app: Flask) -> dict[str, str]:
    """`Cookie` header values of a returning guest (cart of one line) and a logged-in consumer (two lines).

    The first-visit case sends no cookie and is not listed. Visiting writes the carts (and the
    consumer) into the database, so call this before the servers start.
    """
    guest = app.test_client()
    _add_to_cart(guest, PRODUCTS_TO_BUY[0])
    _ensure_consumer(app)
    consumer = app.test_client()
    token = _token(consumer, "/account/login")
    logged_in = consumer.post("/account/login", data={"email": CONSUMER_EMAIL, "password": CONSUMER_PASSWORD,
                                                      "csrf_token": token, "next": "/"},
                            headers=_same_site("/account/login"))
    assert logged_in.status_code == 302, logged_in.status_code
    for sku in PRODUCTS_TO_BUY:
        if "(2)" not in consumer.get("/cart/").get_data(as_text=True):
            _add_to_cart(consumer, sku)
    home = consumer.get("/").get_data(as_text=True)
    assert "基准测试顾客" in home and "(2)" in home, "the consumer is not logged in with two cart lines"
    assert "(1)" in guest.get("/").get_data(as_text=True), "the guest's cart does not show one line"
    return {"returning guest": _session_cookie(app, guest), "logged-in consumer": _session_cookie(app, consumer)}
