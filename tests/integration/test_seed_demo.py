"""Reference data and the demo county: idempotent, complete, private, and current on the day it is loaded."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from market.demo import (
    DEMO_PASSWORD,
    EXPIRED_OUTLET,
    RENEWED_OUTLET,
    REVOKED_OUTLET,
    DemoResult,
    load_demo,
)
from market.extensions import db
from market.models import (
    Category,
    Household,
    Institution,
    Listing,
    Outlet,
    OutletApplication,
    Producer,
    Product,
    Town,
    User,
)
from market.models.outlet import OUTLET_KINDS
from market.services.catalog.reference import seed_reference

TODAY = date(2026, 11, 29)
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")

EXPECTED_ACCOUNTS = {
    "consumer@example.com": {"consumer"},
    "buyer@example.com": {"consumer", "institution_buyer"},
    "outlet@example.com": {"consumer", "outlet_staff"},
    "outlet2@example.com": {"consumer", "outlet_staff"},
    "staff@example.com": {"consumer", "outlet_staff"},
    "county@example.com": {"county_staff"},
    "county2@example.com": {"county_staff"},
    "admin@example.com": {"admin"},
}


def row_counts() -> dict[str, int]:
    """The number of rows in every table."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def all_of(model: type) -> list:
    """Every row of a model."""
    return list(db.session.scalars(sa.select(model)))


APPLYING = {"LX-O-009": "draft", "LX-O-010": "submitted"}  # outlets that exist only as applications


def certified_outlets() -> list[Outlet]:
    """The demo's outlets that hold or held a certificate (not the ones still applying)."""
    return [o for o in all_of(Outlet) if o.certifications]


def user(email: str) -> User:
    """The user with this email."""
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


@pytest.fixture
def demo(app) -> DemoResult:
    """The demo county loaded for TODAY and committed."""
    result = load_demo(TODAY)
    db.session.commit()
    assert result is not None
    return result


def test_seeding_reference_twice_creates_rows_only_once(app):
    first = seed_reference()
    db.session.commit()
    before = row_counts()
    second = seed_reference()
    db.session.commit()

    assert first["towns"] == 10 and first["categories"] == 6 and first["villages"] >= 40
    assert second == {"towns": 0, "villages": 0, "categories": 0}
    assert row_counts() == before
    towns = {t.name_zh: t for t in all_of(Town)}
    assert set(towns) == {
        "城关镇", "东风镇", "八渡镇", "温水镇", "天成镇", "曹家湾镇", "固关镇", "东南镇", "河北镇", "新集川镇"
    }
    assert towns["城关镇"].code == "LX-T01" and towns["城关镇"].name_en == "Chengguan Town"
    assert all(4 <= len(t.villages) <= 6 for t in towns.values())
    assert all(v.code.startswith(f"{t.code}-V") for t in towns.values() for v in t.villages)
    categories = sorted(all_of(Category), key=lambda c: c.position)
    assert [c.code for c in categories] == ["apple", "goat_milk", "honey", "walnut", "pepper", "other"]


def test_demo_creates_the_listed_accounts_with_roles_and_memberships(demo):
    assert {email for email, _ in demo.accounts} == set(EXPECTED_ACCOUNTS)
    for email, roles in EXPECTED_ACCOUNTS.items():
        account = user(email)
        assert account.role_names == roles, email
        assert account.check_password(DEMO_PASSWORD)
        assert account.privacy_accepted_at is not None

    buyer = user("buyer@example.com").institution_memberships
    assert [(m.institution.verified, m.is_owner) for m in buyer] == [(True, True)]
    owner = {m.outlet.code: m.is_owner for m in user("outlet@example.com").outlet_memberships}
    assert owner == {"LX-O-001": True, "LX-O-002": True}
    staff = {m.outlet.code: m.is_owner for m in user("outlet2@example.com").outlet_memberships}
    assert staff == {"LX-O-003": False}
    colleague = {m.outlet.code: m.is_owner for m in user("staff@example.com").outlet_memberships}
    assert colleague == {"LX-O-001": False}


def test_demo_applications_are_a_draft_and_a_submitted_one_whose_applicant_has_no_outlet_area(demo):
    outlets = {o.code: o for o in all_of(Outlet)}
    filed = {a.outlet.code: a.status for a in all_of(OutletApplication)}
    assert filed == APPLYING
    assert all(not outlets[code].certifications and not outlets[code].listings for code in APPLYING)
    assert "outlet_staff" not in user("consumer@example.com").role_names
    assert demo.counts["outlet_applications"] == 2


def test_demo_has_every_outlet_kind_with_well_formed_credit_codes(demo):
    outlets = certified_outlets()
    assert {o.kind for o in outlets} == set(OUTLET_KINDS)
    codes = [o.credit_code for o in outlets] + [p.credit_code for p in all_of(Producer)]
    codes += [i.credit_code for i in all_of(Institution)]
    assert all(CREDIT_CODE.match(code or "") for code in codes), codes
    assert all(o.town is not None and o.address.startswith("陇县") and o.bank_account_number for o in outlets)


def test_demo_outlet_certificates_cover_expired_revoked_and_renewed_after_a_gap(demo):
    outlets = {o.code: o for o in certified_outlets()}
    revoked = {
        c for c, o in outlets.items() if any(x.revoked_on and x.revoked_on <= TODAY for x in o.certifications)
    }
    expired = {
        c
        for c, o in outlets.items()
        if not o.certified_on(TODAY) and all(x.valid_to and x.valid_to < TODAY for x in o.certifications)
    }
    renewed = {c for c, o in outlets.items() if len(o.certifications) > 1}

    assert revoked == {REVOKED_OUTLET}
    assert expired == {EXPIRED_OUTLET}
    assert renewed == {RENEWED_OUTLET}
    assert not outlets[REVOKED_OUTLET].certified_on(TODAY)
    first, second = outlets[RENEWED_OUTLET].certifications
    assert first.valid_to is not None and first.valid_to + timedelta(days=1) < second.valid_from
    assert not outlets[RENEWED_OUTLET].certified_on(first.valid_to + timedelta(days=1))
    assert outlets[RENEWED_OUTLET].certified_on(TODAY)
    others = set(outlets) - revoked - expired
    assert all(outlets[c].certified_on(TODAY) for c in others)
    numbers = [x.number for o in outlets.values() for x in o.certifications]
    assert all(re.fullmatch(r"LXXF-\d{4}-\d{3}", n) for n in numbers)


def test_demo_catalogue_is_almost_all_certified_today(demo):
    products = all_of(Product)
    assert 28 <= len(products) <= 32
    certified = [p for p in products if p.certified_on(TODAY)]
    assert len(certified) >= 25
    assert len(certified) < len(products)  # something is not purchasable
    assert {p.category.code for p in products} == {"apple", "goat_milk", "honey", "walnut", "pepper", "other"}
    assert all(p.producers and p.description and p.name_en for p in products)
    assert sum(p.household_linked for p in products) >= 25
    numbers = [c.number for p in products for c in p.certifications]
    assert all(re.fullmatch(r"LXCP-\d{4}-\d{3}", n) for n in numbers)
    assert demo.counts["products"] == len(products)


def test_demo_households_never_appear_in_public_text(demo):
    households = all_of(Household)
    assert 35 <= len(households) <= 45
    assert {h.status for h in households} == {"lifted", "monitored"}
    assert all(h.producers for h in households)
    assert any(h.consent_story for h in households)
    assert all(bool(h.story) == h.consent_story for h in households)
    public = [p.description for p in all_of(Product)] + [h.story or "" for h in households]
    public += [p.name for p in all_of(Producer)]
    secrets = [h.head_name for h in households] + [h.phone for h in households if h.phone]
    assert not [s for s in secrets for text in public if s in text]


def test_demo_listings_have_plausible_prices_stock_and_seasons(demo):
    listings = all_of(Listing)
    assert all(listing.price_fen > 0 and 0 <= listing.stock <= 300 for listing in listings)
    assert any(listing.stock == 0 for listing in listings)
    assert any(listing.min_quantity > 1 for listing in listings)
    assert 0 < sum(listing.featured for listing in listings) < len(listings) // 3
    fuji = [x for x in listings if x.product.sku == "LX-P-A01"]
    assert fuji and all((x.season_start, x.season_end) == (9, 2) for x in fuji)
    assert all(6800 <= x.price_fen <= 9890 for x in fuji)
    outlets_listing = {x.outlet_id for x in listings}
    assert outlets_listing == {o.id for o in certified_outlets()}


def test_loading_the_demo_again_returns_none_and_changes_nothing(demo):
    before = row_counts()
    assert load_demo(TODAY + timedelta(days=3)) is None
    db.session.commit()
    assert row_counts() == before


@pytest.mark.parametrize("today", [date(2026, 11, 29), date(2031, 3, 1)])
def test_demo_certifications_are_in_force_on_the_day_it_is_loaded(app, today):
    assert load_demo(today) is not None
    db.session.commit()
    outlets = certified_outlets()
    assert sum(o.certified_on(today) for o in outlets) == len(outlets) - 2
    assert sum(p.certified_on(today) for p in all_of(Product)) >= 25
