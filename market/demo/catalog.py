"""Demo producers, households and certified products, built from the tables in demo_data."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from market.demo.data import (
    DESCRIPTIONS,
    GIVEN_NAMES,
    PRODUCERS,
    PRODUCTS,
    STORIES,
    SURNAMES,
)
from market.extensions import db
from market.models import Category, Household, Producer, Product, ProductCertification, Village

LONGXIAN_DIVISION = "610327"  # administrative division code of Long County, Baoji, Shaanxi
HOUSEHOLD_COUNT = 40
CERTIFICATE_DAYS = 3 * 365  # a certification decision runs three years in the demo

# GB 32100-2015: the 31 characters of a unified social credit code, and the check weights.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code


def credit_code(prefix: str, rng: random.Random, division: str = LONGXIAN_DIVISION) -> str:
    """A fictional 18-character unified social credit code with valid check characters.

    `prefix` is the registering authority and kind, e.g. "91" enterprise, "93" farmers' cooperative,
    "92" individual business, "12" public institution.
    """
    if prefix.startswith("9"):  # registered with market regulation since 2015: "MA" + province + serial
        body = "MA6" + "".join(rng.choice(_USCC_CHARS) for _ in range(5))
    else:  # public bodies keep their older all-digit organisation code
        body = "".join(rng.choice("0123456789") for _ in range(8))
    org_check = 11 - sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org_code = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    first17 = prefix + division + org_code
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS[:17], strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def certification_window(rng: random.Random, today: date) -> tuple[date, date]:
    """A three-year window that started between one month and eighteen months before today."""
    valid_from = today - timedelta(days=rng.randint(30, 540))
    return valid_from, valid_from + timedelta(days=CERTIFICATE_DAYS - 1)


def add_producers(rng: random.Random) -> dict[str, Producer]:
    """Create the demo cooperatives, enterprises and family farms, keyed by their table key."""
    villages = {v.code: v for v in db.session.scalars(sa.select(Village))}
    producers: dict[str, Producer] = {}
    for row in PRODUCERS:
        producer = Producer(
            kind=row.kind,
            name=row.name,
            village=villages[row.village_code],
            credit_code=credit_code(row.credit_prefix, rng),
        )
        db.session.add(producer)
        producers[row.key] = producer
    db.session.flush()
    return producers


def _story(theme: str, rng: random.Random, members: int) -> str:
    """A short published story for a household of the theme; it never names a person."""
    return STORIES[theme].format(acres=rng.randint(3, 15), heads=rng.randint(5, 40), members=members)


def add_households(rng: random.Random, producers: dict[str, Producer]) -> list[Household]:
    """Register the demo households in the producers' towns and link each to one or two producers."""
    themes = {row.key: row.theme for row in PRODUCERS}
    suppliers = [row.key for row in PRODUCERS if row.theme != "grain"]  # the grain firm buys on contract
    names = rng.sample([s + g for s in SURNAMES for g in GIVEN_NAMES], HOUSEHOLD_COUNT)
    phones = rng.sample(range(10000), HOUSEHOLD_COUNT)
    households = []
    for i in range(HOUSEHOLD_COUNT):
        key = suppliers[i % len(suppliers)]
        producer = producers[key]
        members = rng.randint(1, 6)
        consent = i % 3 == 0
        household = Household(
            code=f"LX-H-{i + 1:04d}",
            status="monitored" if rng.random() < 0.3 else "lifted",
            village=rng.choice(producer.village.town.villages),
            members=members,
            consent_story=consent,
            story=_story(themes[key], rng, members) if consent else None,
            head_name=names[i],
            phone=None if i % 10 == 9 else f"1380000{phones[i]:04d}",
        )
        household.producers.append(producer)
        if i % 8 == 0 and key != "apple_coop":
            household.producers.append(producers["apple_coop"])  # apples are a second income for many
        db.session.add(household)
        households.append(household)
    db.session.flush()
    return households


def add_products(rng: random.Random, today: date, producers: dict[str, Producer]) -> list[Product]:
    """Create the demo products with their certifications: in force today, expired, or none yet."""
    categories = {c.code: c for c in db.session.scalars(sa.select(Category))}
    products = []
    for number, row in enumerate(PRODUCTS, start=1):
        product = Product(
            sku=row.sku,
            name_zh=row.name_zh,
            name_en=row.name_en,
            category=categories[row.category],
            unit=row.unit,
            net_grams=row.net_grams,
            description=DESCRIPTIONS[row.sku],
            household_linked=row.household_linked,
            producers=[producers[key] for key in row.producers],
        )
        valid_from, valid_to = certification_window(rng, today)
        if row.certification == "expired":
            valid_from, valid_to = today - timedelta(days=CERTIFICATE_DAYS + 60), today - timedelta(days=60)
        if row.certification != "none":
            product.certifications.append(
                ProductCertification(
                    number=f"LXCP-{valid_from.year}-{number:03d}", valid_from=valid_from, valid_to=valid_to
                )
            )
        db.session.add(product)
        products.append(product)
    db.session.flush()
    return products
