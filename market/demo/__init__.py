"""Loading realistic, deterministic demo data into an empty database, dated relative to a given day."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from market.demo.applications import add_demo_applications
from market.demo.catalog import (
    CERTIFICATE_DAYS,
    add_households,
    add_producers,
    add_products,
    certification_window,
    credit_code,
)
from market.demo.data import ACCOUNTS, INSTITUTION, OUTLETS, PRODUCTS
from market.demo.desk_orders import add_demo_desk_orders
from market.demo.listings import add_demo_listing_extras
from market.demo.orders import add_demo_orders, add_demo_refunds
from market.demo.photos import add_demo_listing_photos
from market.demo.sales import add_demo_sales
from market.demo.staff import DEMO_STAFF_EMAIL, STAFF_OUTLET, add_demo_staff
from market.extensions import db
from market.models import (
    Institution,
    InstitutionMembership,
    Listing,
    Outlet,
    OutletCertification,
    OutletMembership,
    Product,
    StockMovement,
    Town,
    User,
)
from market.services.accounts.users import create_user
from market.services.catalog.reference import seed_reference

DEMO_PASSWORD = "longxian-demo"  # noqa: S105 - published demo login, never a real account
DEMO_SEED = 610327  # fixed, so every load produces the same rows (dates aside)

# The outlets whose certificates exercise the edge cases (see demo_data.OUTLETS).
RENEWED_OUTLET = "LX-O-002"  # certified, lapsed for a while, certified again (in force today)
EXPIRED_OUTLET = "LX-O-006"  # its only certificate expired
REVOKED_OUTLET = "LX-O-007"  # its certificate was revoked before it ran out
OWNED_OUTLETS = ("LX-O-001", "LX-O-002")  # outlet@example.com is owner
STAFFED_OUTLET = "LX-O-003"  # outlet2@example.com is staff, not owner


@dataclass
class DemoResult:
    """What load_demo created: row counts by kind, and the demo logins with what each is for."""

    counts: dict[str, int]
    accounts: list[tuple[str, str]] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def demo_accounts() -> list[tuple[str, str]]:
    """The demo logins as (email, role description); every password is DEMO_PASSWORD."""
    accounts = [(email, description) for email, _, _, description in ACCOUNTS]
    return [*accounts, (DEMO_STAFF_EMAIL, f"outlet staff (not owner) of {STAFF_OUTLET}")]


def load_demo(today: date) -> DemoResult | None:
    """Seed reference data and a demo county dated around `today` (Asia/Shanghai); None if users exist."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return None
    counts = seed_reference()
    rng = random.Random(DEMO_SEED)
    producers = add_producers(rng)
    households = add_households(rng, producers)
    products = add_products(rng, today, producers)
    outlets = _add_outlets(rng, today)
    listings = _add_listings(rng, outlets, products)
    photos = add_demo_listing_photos(listings)
    institution = _add_institution(rng)
    users = _add_accounts(outlets, institution)
    by_email = {u.email: u for u in users}
    staff = {o.id: by_email["outlet@example.com"] for code, o in outlets.items() if code in OWNED_OUTLETS}
    staff[outlets[STAFFED_OUTLET].id] = by_email["outlet2@example.com"]
    orders = add_demo_orders(rng, today, listings, [by_email["consumer@example.com"], by_email["buyer@example.com"]],
                             staff)
    stock_log = add_demo_listing_extras(today)
    refunds = add_demo_refunds(orders, by_email["outlet@example.com"], today)
    desk = add_demo_desk_orders(today, by_email["consumer@example.com"], by_email["outlet@example.com"])
    stock_log["stock_movements"] = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement))
    add_demo_staff(today, DEMO_PASSWORD)
    applications = add_demo_applications(today, by_email["consumer@example.com"])
    sales = add_demo_sales(today, by_email["county@example.com"])
    counts.update(
        producers=len(producers),
        households=len(households),
        products=len(products),
        product_certifications=sum(len(p.certifications) for p in products),
        outlets=len(outlets),
        outlet_certifications=sum(len(o.certifications) for o in outlets.values()),
        listings=len(listings),
        institutions=1,
        users=len(users) + 1,
        listing_photos=photos,
        outlet_applications=len(applications),
        **stock_log,
        orders=len(orders) + len(desk),
        refunds=refunds,
        **sales,
    )
    return DemoResult(counts=counts, accounts=demo_accounts())


Window = tuple[date, date, date | None]  # valid_from, valid_to, revoked_on


def _outlet_certifications(rng: random.Random, today: date, situation: str) -> list[Window]:
    """The certification windows an outlet in this situation holds."""
    days = timedelta
    if situation == "renewed":
        return [
            (today - days(700), today - days(250), None),
            (today - days(150), today - days(150) + days(CERTIFICATE_DAYS - 1), None),
        ]
    if situation == "expired":
        return [(today - days(CERTIFICATE_DAYS + 45), today - days(45), None)]
    if situation == "revoked":
        start = today - days(400)
        return [(start, start + days(CERTIFICATE_DAYS - 1), today - days(60))]
    return [(*certification_window(rng, today), None)]


def _add_outlets(rng: random.Random, today: date) -> dict[str, Outlet]:
    """Create the demo outlets of every kind with their certification histories, keyed by code."""
    towns = {t.code: t for t in db.session.scalars(sa.select(Town))}
    outlets: dict[str, Outlet] = {}
    number = 0
    for row in OUTLETS:
        outlet = Outlet(
            code=row.code,
            kind=row.kind,
            name=row.name,
            address=row.address,
            town=towns[row.town_code],
            operator=row.operator,
            credit_code=credit_code(row.credit_prefix, rng),
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
            bank_account_name=row.operator,
            bank_name=row.bank_name,
            bank_account_number="2707" + "".join(rng.choice("0123456789") for _ in range(15)),
        )
        for valid_from, valid_to, revoked_on in _outlet_certifications(rng, today, row.certification):
            number += 1
            outlet.certifications.append(
                OutletCertification(
                    number=f"LXXF-{valid_from.year}-{number:03d}",
                    valid_from=valid_from,
                    valid_to=valid_to,
                    revoked_on=revoked_on,
                )
            )
        db.session.add(outlet)
        outlets[row.code] = outlet
    db.session.flush()
    return outlets


def _add_listings(rng: random.Random, outlets: dict[str, Outlet], products: list[Product]) -> list[Listing]:
    """List products at each outlet at plausible prices; every product ever certified is listed somewhere."""
    rows = {p.sku: p for p in products}
    product_rows = [r for r in PRODUCTS if r.certification != "none"]  # never certified: not listable
    featured_rows = [r for r in product_rows if r.featured]
    chosen = {}
    for row in OUTLETS:
        # The outlets that feature produce always carry every featured product.
        must = featured_rows if row.features else []
        rest = [r for r in product_rows if r not in must]
        chosen[row.code] = must + rng.sample(rest, row.listing_count - len(must))
    listed = {r.sku for picks in chosen.values() for r in picks}
    chosen[OWNED_OUTLETS[0]] += [r for r in product_rows if r.sku not in listed]  # no product left unsold
    listings = []
    for outlet_row in OUTLETS:
        for product_row in sorted(chosen[outlet_row.code], key=lambda r: r.sku):
            low, high = product_row.price_yuan
            season = product_row.season or (None, None)
            featured = product_row.featured and outlet_row.features
            listing = Listing(
                outlet=outlets[outlet_row.code],
                product=rows[product_row.sku],
                price_fen=rng.randint(low, high) * 100 + rng.choice((0, 0, 0, 80, 90)),
                unit=product_row.unit,
                # A few listings are sold out so the storefront shows that state (never a featured one).
                stock=0 if len(listings) % 11 == 5 and not featured else rng.randint(5, 300),
                min_quantity=product_row.min_quantity,
                featured=featured,
                season_start=season[0],
                season_end=season[1],
            )
            db.session.add(listing)
            listings.append(listing)
    db.session.flush()
    return listings


def _add_institution(rng: random.Random) -> Institution:
    """Create the verified demo institution that buys in bulk (定点采购)."""
    institution = Institution(
        name=INSTITUTION["name"],
        credit_code=credit_code(INSTITUTION["credit_prefix"], rng),
        kind=INSTITUTION["kind"],
        programme=INSTITUTION["programme"],
        verified=True,
    )
    db.session.add(institution)
    db.session.flush()
    return institution


def _add_accounts(outlets: dict[str, Outlet], institution: Institution) -> list[User]:
    """Create the demo logins (the admin first, then created by the admin) and their memberships."""
    users: dict[str, User] = {}
    admin = None
    for email, name, roles, _ in ACCOUNTS:
        users[email] = create_user(email, DEMO_PASSWORD, name, roles, privacy_accepted=True, actor=admin)
        admin = admin or users[email]
    db.session.add_all(
        [
            InstitutionMembership(user=users["buyer@example.com"], institution=institution, is_owner=True),
            *(
                OutletMembership(user=users["outlet@example.com"], outlet=outlets[code], is_owner=True)
                for code in OWNED_OUTLETS
            ),
            OutletMembership(user=users["outlet2@example.com"], outlet=outlets[STAFFED_OUTLET]),
        ]
    )
    db.session.flush()
    return list(users.values())

