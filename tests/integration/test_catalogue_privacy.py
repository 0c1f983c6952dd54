"""No public catalogue page ever shows a household's head or phone, an outlet's contact or bank details."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from market.demo import load_demo
from market.domain.dates import business_date
from market.extensions import db
from market.models import Category, Household, Outlet, OutletCertification, Product, Town, Village


@pytest.fixture
def demo(app):
    load_demo(business_date())
    db.session.commit()


def public_paths() -> list[str]:
    """Every catalogue page the demo county has: home, search, each category, town, village, shop and product."""
    paths = ["/", "/search", "/search?q=果", "/search?q=合作社", "/shops", "/shops?kind=counter", "/privacy"]
    paths += [f"/category/{code}" for code in db.session.scalars(sa.select(Category.code))]
    paths += [f"/town/{code}" for code in db.session.scalars(sa.select(Town.code))]
    paths += [f"/town/{v.town.code}?village={v.code}" for v in db.session.scalars(sa.select(Village))]
    certified = sa.select(OutletCertification.outlet_id)  # applicants' outlets have no shop page (404)
    paths += [f"/shop/{code}" for code in db.session.scalars(sa.select(Outlet.code).where(Outlet.id.in_(certified)))]
    paths += [f"/product/{sku}" for sku in db.session.scalars(sa.select(Product.sku))]
    return paths


def secrets_of_the_register() -> set[str]:
    """Households' heads and phones; outlets' contact people, phones and bank accounts."""
    found: set[str] = set()
    for household in db.session.scalars(sa.select(Household)):
        found.add(household.head_name)
        if household.phone:
            found.add(household.phone)
    for outlet in db.session.scalars(sa.select(Outlet)):
        found.update(v for v in (outlet.contact_name, outlet.contact_phone, outlet.bank_account_number) if v)
    return found


def test_no_public_page_shows_personal_data_in_either_language(client, demo):
    secrets = secrets_of_the_register()
    assert len(secrets) > 80  # 40 households with heads and most with phones, 8 outlets' contacts
    paths = public_paths()
    assert len(paths) > 100
    for language in ("zh", "en"):
        client.get(f"/lang/{language}")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            page = response.get_data(as_text=True)
            leaked = [s for s in secrets if s in page]
            assert not leaked, (path, leaked)


def test_searching_for_a_household_head_finds_nothing(client, demo):
    for household in db.session.scalars(sa.select(Household).limit(10)):
        page = client.get(f"/search?q={household.head_name}").get_data(as_text=True)
        assert not re.findall(r'href="/product/', page.split('class="filters"')[1]), household.code


def test_demo_catalogue_hides_what_cannot_be_bought(client, demo):
    page = client.get("/search").get_data(as_text=True) + client.get("/search?page=2").get_data(as_text=True)
    assert "/product/LX-P-A06" not in page  # its certificate expired
    assert "/product/LX-P-O06" not in page  # awaiting certification
    assert client.get("/product/LX-P-A06").status_code == 200  # the page stays, marked
    assert "/cart/add" not in client.get("/product/LX-P-A06").get_data(as_text=True)
    shops = client.get("/shops").get_data(as_text=True)
    assert "/shop/LX-O-006" not in shops and "/shop/LX-O-007" not in shops  # expired, revoked
    assert "/cart/add" in client.get("/product/LX-P-A01").get_data(as_text=True)
