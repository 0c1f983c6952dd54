"""Generate a storefront benchmark database: 2,000 products, 200 outlets and 10,000 listings in SQLite (WAL).

Run by hand from the repository root (see storefront_bench.py, which calls this for you):

    .venv/bin/python tests/benchmarks/storefront_data.py /tmp/storefront-bench/market.db

The data is deterministic (fixed seed), dated around today (Asia/Shanghai): about 90% of products
and outlets are certified today, the rest expired, revoked or never certified; a few listings are
inactive, sold out, featured or seasonal, so every branch of the catalogue queries is exercised.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from market import create_app  # noqa: E402
from market.domain.dates import business_date  # noqa: E402
from market.extensions import db  # noqa: E402
from market.models import (  # noqa: E402
    Category,
    Listing,
    Outlet,
    OutletCertification,
    Producer,
    Product,
    ProductCertification,
    Town,
    Village,
)
from market.models.catalog import product_producers  # noqa: E402
from market.services.catalog.reference import seed_reference  # noqa: E402

PRODUCTS = 2_000
OUTLETS = 200
LISTINGS_PER_OUTLET = 50  # 200 x 50 = 10,000 listings
PRODUCERS = 120
SEED = 20261129
FIRST_OUTLET = "BM-O-0001"  # the shop page the benchmark loads

# category code -> (product name stems, pack (unit, grams) choices, price range in yuan, season)
Kind = tuple[tuple[str, ...], tuple[tuple[str, int | None], ...], tuple[int, int], tuple[int, int] | None]
KINDS: dict[str, Kind] = {
    "apple": (("红富士苹果", "嘎啦苹果", "瑞阳苹果", "秦冠苹果", "花牛苹果", "苹果脆片"),
              (("5kg/箱", 5000), ("10kg/箱", 10000), ("2.5kg/盒", 2500)), (38, 168), (9, 2)),
    "goat_milk": (("全脂羊奶粉", "高钙羊奶粉", "羊奶片", "鲜羊奶", "羊奶粉礼盒"),
                  (("400g/罐", 400), ("800g/罐", 800), ("200ml×10袋", None)), (29, 428), None),
    "honey": (("中蜂土蜂蜜", "百花蜜", "洋槐蜜", "中蜂巢蜜", "椴树蜜"),
              (("500g/瓶", 500), ("1kg/罐", 1000), ("250g/瓶", 250)), (38, 198), None),
    "walnut": (("薄皮核桃", "核桃仁", "核桃油", "琥珀核桃仁"),
               (("1kg/袋", 1000), ("500g/袋", 500), ("500ml/瓶", None)), (32, 128), (9, 4)),
    "pepper": (("大红袍花椒", "花椒粉", "青花椒", "花椒芽菜"),
               (("250g/袋", 250), ("500g/袋", 500), ("100g/瓶", 100)), (18, 110), None),
    "other": (("香菇干", "黑木耳", "酱香牛肉", "土鸡蛋", "手工挂面", "菜籽油", "小米", "粉条"),
              (("250g/袋", 250), ("500g/袋", 500), ("2.5kg/箱", 2500), ("30枚/盒", None)), (15, 138), None),
}
PRODUCER_KINDS = (("cooperative", "专业合作社"), ("enterprise", "农产品有限公司"), ("household", "家庭农场"))


def _window(rng: random.Random, today, situation: str) -> dict:
    """A certification row for the situation: in force, expired, or revoked."""
    if situation == "expired":
        return {"valid_from": today - timedelta(days=900), "valid_to": today - timedelta(days=20), "revoked_on": None}
    start = today - timedelta(days=rng.randint(30, 700))
    revoked = today - timedelta(days=rng.randint(1, 25)) if situation == "revoked" else None
    return {"valid_from": start, "valid_to": start + timedelta(days=3 * 365 - 1), "revoked_on": revoked}


def _situation(rng: random.Random) -> str:
    roll = rng.random()
    return "in_force" if roll < 0.90 else "expired" if roll < 0.95 else "revoked" if roll < 0.98 else "none"


def generate(path: Path) -> dict[str, int]:
    """Build a fresh database at `path` with the migrations, the reference data and the benchmark rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    env = {"MARKET_DATABASE_URL": f"sqlite:///{path}", "MARKET_INSTANCE_PATH": str(path.parent),
           "MARKET_SECRET_KEY": "benchmark-secret-" + "x" * 32}
    app = create_app(env=env)
    rng = random.Random(SEED)
    today = business_date()
    with app.app_context():
        flask_migrate.upgrade()
        seed_reference()
        db.session.commit()
        villages = list(db.session.execute(sa.select(Village.id, Village.name_zh)).all())
        towns = list(db.session.scalars(sa.select(Town.id)))
        categories = {c.code: c.id for c in db.session.scalars(sa.select(Category))}
        producers = []
        for i in range(1, PRODUCERS + 1):
            kind, suffix = PRODUCER_KINDS[i % len(PRODUCER_KINDS)]
            village_id, village_name = rng.choice(villages)
            producers.append(
                {"id": i, "kind": kind, "name": f"陇县{village_name}{suffix}{i:03d}", "village_id": village_id}
            )
        db.session.execute(sa.insert(Producer), producers)
        products, links, product_certs = [], [], []
        codes = list(KINDS)
        for i in range(1, PRODUCTS + 1):
            code = codes[i % len(codes)]
            stems, packs, _, _ = KINDS[code]
            unit, grams = rng.choice(packs)
            stem = rng.choice(stems)
            products.append({
                "id": i, "sku": f"BM-P-{i:05d}", "name_zh": f"陇县{stem} {unit} {i}号",
                "name_en": f"Longxian {code} no. {i}", "category_id": categories[code], "unit": unit,
                "net_grams": grams, "description": f"陇县{rng.choice(villages)[1]}出产的{stem}，基准测试数据。",
                "household_linked": rng.random() < 0.7,
            })
            for producer_id in rng.sample(range(1, PRODUCERS + 1), rng.choice((1, 1, 2))):
                links.append({"product_id": i, "producer_id": producer_id})
            situation = _situation(rng)
            if situation != "none":
                product_certs.append({"product_id": i, "number": f"BMCP-{i:05d}", **_window(rng, today, situation)})
        db.session.execute(sa.insert(Product), products)
        db.session.execute(sa.insert(product_producers), links)
        db.session.execute(sa.insert(ProductCertification), product_certs)
        outlets, outlet_certs = [], []
        kinds = ("counter", "hall", "zone", "online")
        for i in range(1, OUTLETS + 1):
            outlets.append({"id": i, "code": f"BM-O-{i:04d}", "kind": kinds[i % 4], "name": f"陇县帮扶网点{i:03d}",
                            "address": f"陇县测试路{i}号", "town_id": rng.choice(towns),
                            "operator": f"测试经营者{i:03d}"})
            situation = "in_force" if i == 1 else _situation(rng)
            if situation != "none":
                outlet_certs.append({"outlet_id": i, "number": f"BMXF-{i:04d}", **_window(rng, today, situation)})
        db.session.execute(sa.insert(Outlet), outlets)
        db.session.execute(sa.insert(OutletCertification), outlet_certs)
        listings = []
        for outlet_id in range(1, OUTLETS + 1):
            for product_id in rng.sample(range(1, PRODUCTS + 1), LISTINGS_PER_OUTLET):
                product = products[product_id - 1]
                code = codes[product_id % len(codes)]
                low, high = KINDS[code][2]
                season = KINDS[code][3]
                listings.append({
                    "outlet_id": outlet_id, "product_id": product_id, "price_fen": rng.randint(low * 100, high * 100),
                    "unit": product["unit"], "stock": 0 if rng.random() < 0.05 else rng.randint(1, 500),
                    "min_quantity": 10 if rng.random() < 0.03 else 1, "active": rng.random() > 0.03,
                    "featured": rng.random() < 0.02,
                    "season_start": season[0] if season else None, "season_end": season[1] if season else None,
                })
        db.session.execute(sa.insert(Listing), listings)
        db.session.commit()
        db.session.execute(sa.text("PRAGMA journal_mode=WAL"))
        db.session.commit()
        counts = {"products": len(products), "outlets": len(outlets), "listings": len(listings)}
        db.engine.dispose()
    return counts


def main() -> None:
    """Command line: the path of the SQLite file to (re)create."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    print(generate(args.path))


if __name__ == "__main__":
    main()
