"""Where a warm storefront request spends its time, per kind of visitor: cProfile over a test-client loop.

Run by hand from the repository root, on the benchmark's database (see storefront_bench.py):

    .venv/bin/python tests/benchmarks/storefront_profile.py --db /tmp/storefront-bench/market.db --page /

It builds the app in production mode (caches on), makes the returning visitors' cookies
(storefront_visitors.py), warms the page, then times N requests per visitor (first visit: no cookie;
returning guest; logged-in consumer) and prints the mean time per request and the functions with the
most cumulative time. The test client skips the WSGI server, so the figures are the app's own share.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.storefront_bench import market_env  # noqa: E402
from tests.benchmarks.storefront_visitors import visitor_cookies  # noqa: E402


def main() -> None:
    """Profile one page for each kind of visitor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/storefront-bench/market.db"))
    parser.add_argument("--page", default="/")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.update({k: v for k, v in market_env(args.db).items() if k.startswith("MARKET_")})
    from market import create_app

    app = create_app()
    visitors = {"first visit": "", **visitor_cookies(app)}
    client = app.test_client(use_cookies=False)
    for name, cookie in visitors.items():
        headers = {"Cookie": cookie} if cookie else {}
        for _ in range(50):
            assert client.get(args.page, headers=headers).status_code == 200
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(args.page, headers=headers)
        per_request = (time.perf_counter() - started) / args.requests * 1e6
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(args.page, headers=headers)
        profiler.disable()
        print(f"\n## {name}: {args.page}: {per_request:.0f} µs per request (unprofiled)\n")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
