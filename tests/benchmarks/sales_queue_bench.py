"""Benchmark of the county's verification queue with 1,000,000 offline sale lines in the database: a page of 50
lines filtered by outlet, state and a one-month date range; target < 200 ms with at most 6 queries.

Run by hand (not collected by pytest), from the repository root:

    .venv/bin/python tests/benchmarks/sales_queue_bench.py
    createdb -h 127.0.0.1 -U postgres bench_sales
    .venv/bin/python tests/benchmarks/sales_queue_bench.py --db postgresql+psycopg://postgres@127.0.0.1/bench_sales

The database is emptied and migrated first (SQLite: a new file in a temporary folder; PostgreSQL: the database
named, whose name must contain "bench", has its public schema dropped), then filled in bulk (executemany on
SQLite, COPY on PostgreSQL): 200 outlets in 8 towns, 60 products, 1,000,000 lines over two years (about 210 an
outlet a month; 70% verified, 25% unverified, 5% rejected), a risk signal on 2% of them and a sample of 1,000.
Then, for 20 outlets each, the page (first and last) of that outlet's unverified lines of one month is asked for
through `queue_page` (the service the page calls) and through the real page `/county/sales?...` with a logged-in
county staff member; the statements run are counted and the times kept (the first ask, and the median, 95th
percentile and worst of the others), with the Python full garbage collections that fell during the asks (each
pauses whichever request it lands on, whatever the page). Prints a Markdown table; the figures are written down
in docs/offline-sales.md ("Verification queue performance").
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SECRET = "sales-queue-benchmark-" + "k" * 32
PASSWORD = "bench-password-9"
LINES = 1_000_000
OUTLETS = 200
TOWNS = 8
PRODUCTS = 60
START = date(2025, 1, 1)
DAYS = 730
CHUNK = 20_000
LIMIT_MS = 200.0
LIMIT_QUERIES = 6


def prepare(url: str, instance: Path, lines: int, fill: bool = True):  # noqa: ANN201 - the Flask app
    """Empty and migrate the database, then fill it in bulk (unless `fill` is false: measure what is there)."""
    os.environ.update({"MARKET_ENV": "development", "MARKET_DATABASE_URL": url, "MARKET_INSTANCE_PATH": str(instance),
                       "MARKET_SECRET_KEY": SECRET, "MARKET_PUBLIC_URL": "http://market.example.com"})
    import flask_migrate
    import sqlalchemy as sa

    from market import create_app
    from market.extensions import db

    app = create_app()
    if not fill:
        return app
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if "bench" not in (db.engine.url.database or ""):
                raise SystemExit("refusing to empty a PostgreSQL database whose name lacks 'bench'")
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        _fill(db, sa, lines)
        print(f"filled {lines:,} lines in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        db.engine.dispose()
    return app


def _fill(db, sa, lines: int) -> None:  # noqa: ANN001 - the app's db and sqlalchemy, imported late
    """The reference rows through the ORM, the lines and their signals in bulk."""
    from werkzeug.security import generate_password_hash

    from market.models import (
        Category,
        OfflineSaleRisk,
        OfflineSaleSample,
        Outlet,
        OutletCertification,
        Product,
        ProductCertification,
        Town,
        User,
        UserRole,
    )
    from market.models.offline_sale import offline_sale_sample_lines

    rng = random.Random(2026)
    towns = [Town(code=f"B{n:02d}", name_zh=f"基准{n}镇", name_en=f"Bench town {n}") for n in range(TOWNS)]
    category = Category(code="apple", name_zh="苹果", name_en="Apples")
    db.session.add_all([*towns, category])
    for n in range(OUTLETS):
        db.session.add(Outlet(code=f"LX-B-{n:03d}", kind="counter", name=f"基准专柜{n}", address="陇县",
                              operator="基准", town=towns[n % TOWNS],
                              certifications=[OutletCertification(number=f"LXXF-B{n}", valid_from=START)]))
    for n in range(PRODUCTS):
        db.session.add(Product(sku=f"LX-P-{n:03d}", name_zh=f"陇州苹果{n}", name_en=f"Apples {n}", category=category,
                               unit="箱", certifications=[ProductCertification(number=f"LXCP-B{n}",
                                                                               valid_from=START)]))
    county = User(email="county@example.com", name="基准", password_hash=generate_password_hash(PASSWORD),
                  roles=[UserRole(role="county_staff")])
    db.session.add(county)
    db.session.flush()
    outlet_ids = list(db.session.scalars(sa.select(Outlet.id).order_by(Outlet.id)))
    product_ids = list(db.session.scalars(sa.select(Product.id).order_by(Product.id)))
    db.session.commit()
    columns = ("id", "outlet_id", "sale_date", "product_id", "quantity", "amount_fen", "payment_method",
               "receipt_no", "note", "state", "reason", "entered_at")

    def rows(first: int, last: int) -> list[tuple]:
        out = []
        for n in range(first, last):
            state = rng.random()
            quantity = rng.randint(1, 5)
            out.append((n + 1, outlet_ids[n % OUTLETS], START + timedelta(days=rng.randrange(DAYS)),
                        rng.choice(product_ids), quantity, quantity * rng.randint(2000, 9000), "cash", f"R{n:08d}",
                        "", "verified" if state < 0.70 else "unverified" if state < 0.95 else "rejected",
                        "金额不符" if state >= 0.95 else None, "2026-11-30 10:00:00"))
        return out

    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        postgres = db.engine.dialect.name == "postgresql"
        for first in range(0, lines, CHUNK):
            chunk = rows(first, min(first + CHUNK, lines))
            if postgres:
                with cursor.copy(f"COPY offline_sales ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO offline_sales ({', '.join(columns)}) "
                                   f"VALUES ({', '.join('?' * len(columns))})",
                                   [(*r[:2], r[2].isoformat(), *r[3:]) for r in chunk])
            connection.commit()
        if postgres:
            cursor.execute("SELECT setval('offline_sales_id_seq', %s)", (lines,))
        connection.commit()
    finally:
        connection.close()
    flagged = rng.sample(range(1, lines + 1), lines // 50)
    db.session.execute(sa.insert(OfflineSaleRisk), [{"sale_id": i, "kind": "burst", "detail": {"lines": 21}}
                                                    for i in flagged])
    sample = OfflineSaleSample(drawn_by_id=county.id, seed="bench", size=1000, population=lines, criteria={})
    db.session.add(sample)
    db.session.flush()
    db.session.execute(offline_sale_sample_lines.insert(), [{"sample_id": sample.id, "sale_id": i}
                                                            for i in rng.sample(range(1, lines + 1), 1000)])
    db.session.commit()
    with db.engine.connect() as conn:  # statistics, as autovacuum (PostgreSQL) or a maintained SQLite would have
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def measure(app, rounds: int, pauses: list[float]) -> list[dict[str, object]]:  # noqa: ANN001
    """Time the service and the page for `rounds` outlets, first and last page of one month's unverified lines."""
    import re

    import sqlalchemy as sa

    from market.domain.offline_sale import SaleState
    from market.extensions import db
    from market.services.sales.queue import QueueFilter, queue_page

    statements: list[str] = []
    results = []
    gc_started: list[float] = []

    def collected(phase: str, info: dict) -> None:
        """Python's full (generation 2) collections pause whichever ask they land on: kept to be reported."""
        if phase == "start":
            gc_started[:] = [time.perf_counter()]
        elif info["generation"] == 2 and gc_started:
            pauses.append((time.perf_counter() - gc_started[0]) * 1000)

    gc.callbacks.append(collected)
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        client = app.test_client()
        page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/account/login", data={"email": "county@example.com", "password": PASSWORD,
                                            "csrf_token": token})
        for kind in ("service", "page"):
            times, counts, firsts, matching, quiet = [], [], [], [], []
            for n in range(rounds):
                outlet = f"LX-B-{(n * 7 + (3 if kind == 'page' else 0)) % OUTLETS:03d}"  # not the service's
                month = START + timedelta(days=31 * (n % 23))
                first_day, last_day = month.replace(day=1), (month.replace(day=28) + timedelta(days=4)).replace(day=1)
                criteria = QueueFilter(outlet_code=outlet, state=SaleState.UNVERIFIED, date_from=first_day,
                                       date_to=last_day - timedelta(days=1))
                for which in (1, 2):
                    statements.clear()
                    collections = len(pauses)
                    started = time.perf_counter()
                    if kind == "service":
                        result = queue_page(criteria, which)
                        matching.append(result.count)
                        db.session.rollback()
                    else:
                        response = client.get(f"/county/sales?outlet={outlet}&state=unverified&from={first_day}"
                                              f"&to={last_day - timedelta(days=1)}&page={which}")
                        assert response.status_code == 200, response.status_code
                    elapsed = (time.perf_counter() - started) * 1000
                    (firsts if n == 0 and which == 1 else times).append(elapsed)
                    if len(pauses) == collections and not (n == 0 and which == 1):
                        quiet.append(elapsed)
                    counts.append(len(statements))
                    if os.environ.get("BENCH_SHOW"):
                        print(f"{kind} {outlet} {first_day} page {which}: {elapsed:.1f} ms", file=sys.stderr)
                    if os.environ.get("BENCH_SHOW") and n == 0 and which == 1:
                        print("\n".join(" ".join(x.split())[:150] for x in statements), file=sys.stderr)
            results.append({"what": kind, "first_ms": firsts[0], "median_ms": statistics.median(times),
                            "p95_ms": statistics.quantiles(times, n=20)[-1], "worst_ms": max(times),
                            "worst_quiet_ms": max(quiet),
                            "queries": max(counts),
                            "matching": statistics.median(matching) if matching else None})
    return results


def main() -> None:
    """Prepare the database, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="measure the --db filled by an earlier run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench_sales.db'}"
        if args.reuse and not args.db:
            parser.error("--reuse needs --db")
        app = prepare(url, Path(folder), args.lines, fill=not args.reuse)
        pauses: list[float] = []
        results = measure(app, args.rounds, pauses)
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"\n{args.lines:,} lines, {database}, {args.rounds} outlets x 2 pages, "
          f"median {results[0]['matching']} lines matching a filter\n")
    print("| asked through | first ask | median | p95 | worst | worst without a GC pause | statements "
          "| target (< 200 ms, <= 6) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        ok = r["worst_ms"] < LIMIT_MS and r["queries"] <= LIMIT_QUERIES
        quiet_ok = r["worst_quiet_ms"] < LIMIT_MS and r["queries"] <= LIMIT_QUERIES
        verdict = "met" if ok else "met without the GC pause" if quiet_ok else "MISSED"
        print(f"| {r['what']} | {r['first_ms']:.1f} ms | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
              f"| {r['worst_ms']:.1f} ms | {r['worst_quiet_ms']:.1f} ms | {r['queries']} | {verdict} |")
    print(f"\nfull garbage collections during the asks: {len(pauses)}, "
          f"{', '.join(f'{p:.0f} ms' for p in pauses) or 'none'}")


if __name__ == "__main__":
    main()
