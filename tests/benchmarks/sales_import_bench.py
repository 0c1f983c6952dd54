"""Benchmark of the offline-sales import: 10,000 valid rows, CSV and XLSX, from upload to committed batch, and the
preview of the same file with 100 bad rows; targets <= 10 s and peak memory <= 300 MB each, on SQLite and
PostgreSQL.

Run by hand (not collected by pytest), from the repository root:

    .venv/bin/python tests/benchmarks/sales_import_bench.py
    .venv/bin/python tests/benchmarks/sales_import_bench.py --db postgresql+psycopg://postgres@127.0.0.1/bench_import

The database is emptied and migrated first (SQLite: a new file in a temporary folder; PostgreSQL: the database
named, whose name must contain "bench", has its public schema dropped). One certified outlet, 50 certified
products, one clerk. Each measurement runs in a fresh Python process (so its peak resident memory, ru_maxrss, is
its own) that logs the clerk in and then times (wall clock, and the CPU time of the app's process), through the
real pages and the test client: for an import, the upload with its preview and the confirmation that imports and
commits the batch; for a preview, the upload alone (every row read and checked, the bad ones listed). Files:
GB18030 CSV with CRLF as Excel saves it, and XLSX with shared strings, date cells and number cells as Excel writes
them (tests/spreadsheet_files.py). Prints a Markdown table; the figures are written down in docs/offline-sales.md
("Import performance"). """

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from html import unescape
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SECRET = "sales-import-benchmark-" + "k" * 32
PASSWORD = "bench-password-9"
ROWS = int(os.environ.get("SALES_IMPORT_BENCH_ROWS", "10000"))  # --rows sets it for the measuring processes
BAD_ROWS = 100
PRODUCTS = 50
LIMIT_SECONDS = 10.0
LIMIT_MB = 300


def environment(url: str, instance: Path) -> dict[str, str]:
    """The market's settings for the benchmark."""
    return {**os.environ, "MARKET_ENV": "development", "MARKET_DATABASE_URL": url,
            "MARKET_INSTANCE_PATH": str(instance), "MARKET_SECRET_KEY": SECRET,
            "MARKET_PUBLIC_URL": "http://market.example.com"}


def prepare(url: str, instance: Path) -> None:
    """Empty and migrate the database; add the outlet, its products and its clerk."""
    os.environ.update({k: v for k, v in environment(url, instance).items() if k.startswith("MARKET_")})
    import flask_migrate
    from werkzeug.security import generate_password_hash

    from market import create_app
    from market.extensions import db
    from market.models import (
        Category,
        Outlet,
        OutletCertification,
        OutletMembership,
        Product,
        ProductCertification,
        User,
        UserRole,
    )

    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if "bench" not in (db.engine.url.database or ""):
                raise SystemExit("refusing to empty a PostgreSQL database whose name lacks 'bench'")
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        category = Category(code="apple", name_zh="苹果", name_en="Apples")
        outlet = Outlet(code="LX-O-900", kind="counter", name="基准帮扶专柜", address="陇县城关镇", operator="基准",
                        certifications=[OutletCertification(number="LXXF-B", valid_from=date(2020, 1, 1))])
        db.session.add_all([category, outlet])
        for n in range(PRODUCTS):
            certified = [ProductCertification(number=f"LXCP-{n}", valid_from=date(2020, 1, 1))]
            db.session.add(Product(sku=f"LX-P-{n:03d}", name_zh=f"陇州苹果{n}", name_en=f"Apples {n}",
                                   category=category, unit="箱", certifications=certified))
        clerk = User(email="clerk@example.com", name="基准", password_hash=generate_password_hash(PASSWORD),
                     roles=[UserRole(role="outlet_staff")])
        db.session.add(OutletMembership(outlet=outlet, user=clerk))
        db.session.commit()
        db.engine.dispose()


def sheet_rows(prefix: str, bad: int, today: date) -> list[list[object]]:
    """The header and ROWS rows over the last 90 days; every (ROWS // bad)-th row names an unknown product."""
    rows: list[list[object]] = [["日期", "商品编码", "数量", "金额", "小票号", "付款方式", "备注"]]
    step = ROWS // bad if bad else 0
    for n in range(ROWS):
        sku = "NO-SUCH-SKU" if step and n % step == step - 1 else f"LX-P-{n % PRODUCTS:03d}"
        rows.append([today - timedelta(days=1 + n % 90), sku, 1 + n % 5, 12 + (n % 400) * 0.25,
                     f"{prefix}-{n:06d}", ("现金", "微信", "支付宝")[n % 3], "散客" if n % 7 == 0 else None])
    return rows


def file_bytes(kind: str, rows: list[list[object]]) -> bytes:
    """The rows as a CSV saved by Excel (GB18030, CRLF) or as an XLSX workbook."""
    from tests.spreadsheet_files import excel_csv, xlsx_bytes

    if kind == "xlsx":
        return xlsx_bytes(rows)
    texts = [[c.isoformat() if isinstance(c, date) else "" if c is None else f"{c:.2f}" if isinstance(c, float)
              else str(c) for c in row] for row in rows]
    return excel_csv(texts)


def measure(kind: str, scenario: str) -> dict[str, float]:
    """In this process: log in, then time the upload (and, for an import, the confirmation)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from market import clock, create_app

    app = create_app()
    client = app.test_client()
    csrf = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    login = client.get("/account/login").get_data(as_text=True)
    client.post("/account/login", data={"email": "clerk@example.com", "password": PASSWORD,
                                        "csrf_token": csrf.search(login)[1]})
    url = "/outlet/LX-O-900/sales/import"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    with app.app_context():
        today = clock.today()
    data = file_bytes(kind, sheet_rows(f"{kind}{time.time_ns()}", BAD_ROWS if scenario == "preview" else 0, today))
    boundary, body = encode_multipart({"csrf_token": csrf.search(page.get_data(as_text=True))[1],
                                       "file": FileStorage(BytesIO(data), f"sales.{kind}")})
    del data
    start, cpu = time.perf_counter(), time.process_time()
    preview = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    html = preview.get_data(as_text=True)
    checked = time.perf_counter()
    result = {"upload_s": checked - start}
    if scenario == "preview":
        assert preview.status_code == 422 and html.count('<tr id="row-') == BAD_ROWS, preview.status_code
    else:
        assert preview.status_code == 200, preview.status_code
        token = re.search(r'name="token"[^>]*value="([^"]+)"', html)
        done = client.post(f"{url}/confirm", data={"csrf_token": csrf.search(html)[1], "token": unescape(token[1])})
        result["confirm_s"] = time.perf_counter() - checked
    result["total_s"] = time.perf_counter() - start
    result["cpu_s"] = time.process_time() - cpu
    if scenario == "import":
        assert done.status_code == 302 and "/withdraw" in client.get(url).get_data(as_text=True)  # a batch
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["file_kb"] = len(body) / 1024
    return result


def main() -> None:
    global ROWS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a PostgreSQL URL (its name must contain 'bench'); default: a new SQLite file")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows per file (default 10,000; the limit is 50,000)")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SCENARIO"), help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    ROWS = args.rows
    instance = Path(args.instance or tempfile.mkdtemp(prefix="sales-import-bench-"))
    url = args.db or f"sqlite:///{instance / 'market.db'}"
    prepare(url, instance)
    name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| database | file | scenario | size | upload + preview | confirm + commit | total | app CPU | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("csv", "xlsx"):
        for scenario in ("import", "preview"):
            out = subprocess.run([sys.executable, __file__, "--one", kind, scenario],
                                 env={**environment(url, instance), "SALES_IMPORT_BENCH_ROWS": str(ROWS)},
                                 capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                raise SystemExit(out.stderr)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            verdict = "" if r["total_s"] <= LIMIT_SECONDS and r["peak_mb"] <= LIMIT_MB else " **missed**"
            label = f"{ROWS:,} valid rows" if scenario == "import" else f"{ROWS:,} rows, {BAD_ROWS} bad"
            confirm = f"{r['confirm_s']:.2f} s" if "confirm_s" in r else "–"
            print(f"| {name} | {kind.upper()} | {scenario}: {label} | {r['file_kb']:,.0f} kB | {r['upload_s']:.2f} s "
                  f"| {confirm} | {r['total_s']:.2f} s | {r['cpu_s']:.2f} s | {r['peak_mb']:.0f} MB{verdict} |",
                  flush=True)


if __name__ == "__main__":
    main()
