"""Benchmark of the storefront pages under gunicorn against Flask returning a constant string.

Run by hand (not collected by pytest), from the repository root, with wrk installed (apt-get install wrk):

    .venv/bin/python tests/benchmarks/storefront_bench.py --db /tmp/storefront-bench/market.db

It (re)generates the database with storefront_data.py (10,000 listings, SQLite in WAL mode) unless
--reuse is given, makes the returning visitors' cookies (storefront_visitors.py: a guest whose cart
holds one line, a logged-in consumer), counts the SQL statements of each page for each kind of visitor
(first request with empty caches, and a repeat), starts two gunicorn servers with 2 sync workers each on
loopback (the market in production mode on that database, and storefront_const_app.py), then loads
each page as each visitor with `wrk -t2 -c<connections> -d<seconds>s --latency` (after a 2 s warm-up),
each right after the constant page, for --rounds interleaved rounds, and prints a Markdown table:
median requests/s, the median of the ratios to the constant page just before, their range, p50, the
median and worst p99, errors. Targets: >= 1/3 of the constant page, p99 <= 25 ms, <= 2 SQL statements for a warm
page of a logged-in consumer, no errors. The figures are written down in docs/benchmarks-storefront.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.storefront_data import FIRST_OUTLET, generate  # noqa: E402
from tests.benchmarks.storefront_visitors import visitor_cookies  # noqa: E402

PAGES = {
    "home": "/",
    "catalogue (category)": "/category/apple",
    "catalogue (town)": "/town/LX-T02",
    "search (two words)": "/search?q=%E7%BA%A2%E5%AF%8C%E5%A3%AB+%E8%8B%B9%E6%9E%9C",  # 红富士 苹果
    "search (one character)": "/search?q=%E6%9E%9C",  # 果
    "shop": f"/shop/{FIRST_OUTLET}",
    "product": "/product/BM-P-00819",
}
FIRST_VISIT = "first visit"
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def market_env(db_path: Path) -> dict[str, str]:
    """The market's settings for the benchmark: production mode on the generated database."""
    return {
        **os.environ,
        "MARKET_ENV": "production",
        "MARKET_SECRET_KEY": "storefront-benchmark-" + "k" * 32,
        "MARKET_INSTANCE_PATH": str(db_path.parent),
        "MARKET_DATABASE_URL": f"sqlite:///{db_path}",
        "MARKET_PUBLIC_URL": "http://127.0.0.1",
    }


def prepare(db_path: Path) -> tuple[dict[str, str], dict[tuple[str, str], tuple[int, int]]]:
    """The visitors' `Cookie` headers ("" for a first visit) and the SQL statements per (visitor, page):
    (first request with empty caches, repeat request).

    Counted are the statements through the app's engine plus the catalogue cache's
    `PRAGMA data_version` on its side connection.
    """
    os.environ.update({k: v for k, v in market_env(db_path).items() if k.startswith("MARKET_")})
    from sqlalchemy import event

    from market import create_app
    from market.extensions import db
    from market.services.catalog import cache as catalog_cache
    from market.storefront import fragments
    app = create_app()
    visitors = {FIRST_VISIT: "", **visitor_cookies(app)}
    statements: list[str] = []
    read_version = catalog_cache._SqliteVersion.read

    def counted_read(self: catalog_cache._SqliteVersion) -> int:
        statements.append("PRAGMA data_version")
        return read_version(self)

    catalog_cache._SqliteVersion.read = counted_read  # type: ignore[method-assign]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client(use_cookies=False)
    counts = {}
    for visitor, cookie in visitors.items():
        for cached in (catalog_cache.cache, fragments.bodies, fragments.menus):
            cached.clear()
        for name, path in PAGES.items():
            runs = []
            for _ in range(2):
                statements.clear()
                response = client.get(path, headers={"Cookie": cookie} if cookie else {})
                assert response.status_code == 200, (visitor, path, response.status_code)
                runs.append(len(statements))
            counts[visitor, name] = (runs[0], runs[1])
    return visitors, counts


def _serve(args: list[str], env: dict[str, str], port: int, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", *args],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):  # noqa: S310 - loopback
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not start: {process.stderr.read() if process.stderr else ''}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, float]:
    """Load the URL with wrk; requests/s, p50 and p99 in ms, and errors (non-2xx/3xx and socket errors)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    subprocess.run(["wrk", "-t2", "-c4", "-d2s", *headers, url], check=True, capture_output=True)  # noqa: S603,S607
    out = subprocess.run(  # noqa: S603,S607
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        check=True, capture_output=True, text=True,
    ).stdout
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout):? (\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)$", out, re.M).group(1)),  # type: ignore[union-attr]
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    }


Run = tuple[dict[str, float], dict[str, float]]  # (the page's figures, the constant page's just before)


def load(args: argparse.Namespace, visitors: dict[str, str]) -> dict[tuple[str, str], list[Run]]:
    """Serve both apps and load every page as every visitor, --rounds times, each after the constant page."""
    market = _serve(["market:create_app()"], market_env(args.db), args.port, ROOT)
    constant = _serve(["storefront_const_app:app"], dict(os.environ), args.port + 1, ROOT / "tests" / "benchmarks")
    runs: dict[tuple[str, str], list[Run]] = {}
    try:
        for round_number in range(args.rounds):
            for name, path in PAGES.items():
                for visitor, cookie in visitors.items():
                    # The constant page is loaded right before each page, so each ratio compares like with
                    # like even if something else on the machine starts or stops during the run.
                    baseline = wrk(f"http://127.0.0.1:{args.port + 1}/", args.seconds, args.connections)
                    page = wrk(f"http://127.0.0.1:{args.port}{path}", args.seconds, args.connections, cookie)
                    runs.setdefault((visitor, name), []).append((page, baseline))
            print(f"round {round_number + 1} done, load average {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        for process in (market, constant):
            process.terminate()
            process.wait(timeout=30)
    return runs


def main() -> None:
    """Generate (unless --reuse), make the visitors, count queries, serve, load, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/storefront-bench/market.db"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=5931)
    args = parser.parse_args()
    if not (args.reuse and args.db.exists()):
        print("generated:", generate(args.db), flush=True)
    visitors, queries = prepare(args.db)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M")
    runs = load(args, visitors)
    print(f"\n{started}; wrk -t2 -c{args.connections} -d{args.seconds}s --latency, {args.rounds} interleaved rounds; "
          f"gunicorn -w 2 (sync); {os.cpu_count()} CPUs; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f}\n")
    print("| page | visitor | requests/s | constant string just before | ratio (median) | ratios | p50 ms "
          "| p99 ms (median / worst) | errors | SQL (first / repeat) |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|---|")
    for (visitor, name), page_runs in runs.items():
        ratios = [page["rps"] / base["rps"] for page, base in page_runs]
        errors = sum(page["errors"] + base["errors"] for page, base in page_runs)
        print(f"| {name} | {visitor} | {statistics.median(p['rps'] for p, _ in page_runs):.0f} "
              f"| {statistics.median(b['rps'] for _, b in page_runs):.0f} | {statistics.median(ratios):.2f} "
              f"| {min(ratios):.2f}–{max(ratios):.2f} | {statistics.median(p['p50'] for p, _ in page_runs):.1f} "
              f"| {statistics.median(p['p99'] for p, _ in page_runs):.1f} / {max(p['p99'] for p, _ in page_runs):.1f} "
              f"| {errors} | {'{} / {}'.format(*queries[visitor, name])} |")
    print("\nURLs: " + ", ".join(f"{name} `{path}`" for name, path in PAGES.items()))


if __name__ == "__main__":
    main()
