"""Benchmark of `market subsidy simulate` on a 1,000,000-line ledger against a bare json.load.

Run by hand (not collected by pytest), from the repository root:

    .venv/bin/python tests/benchmarks/subsidy_bench.py generate /tmp/subsidy-ledger.json
    .venv/bin/python tests/benchmarks/subsidy_bench.py run /tmp/subsidy-ledger.json

`generate` writes a ledger of 200 outlets, 60 products and 1,000,000 sale lines (one per line of
the file) plus a matching scheme next to it (`<ledger>.scheme.json`); the data is deterministic
(fixed seed) and touches every rule: both channels, sales outside the period, certification gaps
and revocations, an excluded category, unverified and refunded lines, household-linked products.
`run` times, with `/usr/bin/time -v`, first `python -c "import json; json.load(open(LEDGER))"` and
then `market subsidy simulate` on the same files (each `--repeat` times, best kept; falls back to
`python -m market.subsidy_cli simulate` when the entry point is not installed),
and prints wall time and peak RSS of both and the ratios against the targets (time <= 3x,
memory <= 2x). The figures measured are written down in docs/subsidy-guide.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

OUTLETS = 200
PRODUCTS = 60
LINES = 1_000_000
CATEGORIES = ("apple", "goat-milk", "honey", "walnut", "pepper", "kiwi")


def _money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _certification(rng: random.Random, number: str) -> list[dict]:
    kind = rng.random()
    if kind < 0.80:  # certified all year
        return [{"number": number, "from": "2025-06-01", "to": None, "revoked_on": None}]
    if kind < 0.90:  # renewal after a gap in summer
        return [{"number": number, "from": "2025-06-01", "to": "2026-06-30", "revoked_on": None},
                {"number": number + "R", "from": "2026-08-01", "to": "2027-07-31", "revoked_on": None}]
    if kind < 0.97:  # revoked in autumn
        return [{"number": number, "from": "2026-01-01", "to": "2026-12-31", "revoked_on": "2026-10-08"}]
    return []  # never certified


def generate(path: Path, lines: int = LINES, seed: int = 2026) -> None:
    """Write the benchmark ledger and scheme (deterministic for a given seed)."""
    rng = random.Random(seed)
    outlets = [{"code": f"LX-O-{i:03d}", "name": f"陇县消费帮扶馆第{i}号",
                "certifications": _certification(rng, f"LXXF-2026-{i:03d}")} for i in range(1, OUTLETS + 1)]
    products = [{"sku": f"SKU-{i:03d}", "name": f"陇州特产 {i}", "category": CATEGORIES[i % len(CATEGORIES)],
                 "certifications": _certification(rng, f"LXCP-2025-{i:03d}"),
                 "household_linked": i % 3 == 0} for i in range(1, PRODUCTS + 1)]
    days = [(date(2025, 12, 1) + timedelta(days=d)).isoformat() for d in range(426)]
    codes = [o["code"] for o in outlets]
    skus = [p["sku"] for p in products]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"outlets": ')
        json.dump(outlets, out, ensure_ascii=False)
        out.write(',\n"products": ')
        json.dump(products, out, ensure_ascii=False)
        out.write(',\n"sales": [\n')
        for n in range(lines):
            fen = rng.randrange(100, 80_000)
            refunded = fen if rng.random() < 0.02 else (rng.randrange(0, fen) if rng.random() < 0.03 else 0)
            sale = {"id": f"S{n:07d}", "outlet": rng.choice(codes), "sku": rng.choice(skus),
                    "channel": "online" if rng.random() < 0.6 else "offline", "date": rng.choice(days),
                    "amount": _money(fen), "refunded": _money(refunded), "verified": rng.random() < 0.95}
            out.write(json.dumps(sale, ensure_ascii=False))
            out.write(",\n" if n + 1 < lines else "\n")
        out.write("]}\n")
    scheme = {"code": "BENCH-2026", "name": "基准测试方案", "period": {"from": "2026-01-01", "to": "2026-12-31"},
              "channels": ["online", "offline"], "categories": [c for c in CATEGORIES if c != "kiwi"],
              "min_sales": "10000.00", "threshold_mode": "gate",
              "tiers": [{"up_to": "100000.00", "rate": "0.03"}, {"up_to": "500000.00", "rate": "0.04"},
                        {"up_to": None, "rate": "0.05"}],
              "tier_mode": "marginal", "household_weight": "1.20", "cap": "30000.00", "budget": "2000000.00"}
    _scheme_path(path).write_text(json.dumps(scheme, ensure_ascii=False, indent=2), encoding="utf-8")


def _scheme_path(ledger: Path) -> Path:
    return ledger.with_name(ledger.name + ".scheme.json")


def _measure(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one command, from GNU time -v."""
    with open("/dev/null", "wb") as sink:
        proc = subprocess.run(["/usr/bin/time", "-v", *argv], stdout=sink, stderr=subprocess.PIPE, text=True,
                              check=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert wall and user and system and rss, proc.stderr
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return hours * 3600 + minutes * 60 + seconds, float(user.group(1)) + float(system.group(1)), int(rss.group(1))


def run(ledger: Path, repeat: int) -> None:
    """Time the bare JSON load and simulate on the same ledger (runs interleaved) and print the comparison."""
    python = sys.executable
    scheme = _scheme_path(ledger)
    bare = [python, "-c", f"import json; json.load(open({str(ledger)!r}))"]
    market = Path(python).with_name("market")  # the installed entry point, as users run it
    if market.exists():
        simulate = [str(market), "subsidy", "simulate"]
    else:
        simulate = [python, "-m", "market.subsidy_cli", "simulate"]
    simulate += ["--scheme", str(scheme), "--ledger", str(ledger)]
    print(f"ledger {ledger}: {ledger.stat().st_size / 1e6:.1f} MB; simulate = {' '.join(simulate[:3])} ...")
    runs: dict[str, list[tuple[float, float, int]]] = {"json.load": [], "simulate": []}
    for _ in range(repeat):
        runs["json.load"].append(_measure(bare))
        runs["simulate"].append(_measure(simulate))
    best = {}
    for label, measured in runs.items():
        wall, cpu, rss = (min(m[i] for m in measured) for i in range(3))
        best[label] = wall, cpu, rss
        print(f"{label:10} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss / 1024:7.1f} MiB"
              f"   (wall of each run: {', '.join(f'{m[0]:.2f}' for m in measured)})")
    (w0, c0, m0), (w1, c1, m1) = best["json.load"], best["simulate"]
    print(f"ratio      wall {w1 / w0:.2f}x, cpu {c1 / c0:.2f}x (target <= 3x)   memory {m1 / m0:.2f}x (target <= 2x)")


def main() -> None:
    """Command line: `generate PATH [--lines N]` or `run PATH [--repeat N]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the ledger and its scheme")
    gen.add_argument("path", type=Path)
    gen.add_argument("--lines", type=int, default=LINES)
    bench = sub.add_parser("run", help="measure json.load and simulate on the ledger")
    bench.add_argument("path", type=Path)
    bench.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.path, args.lines)
    else:
        run(args.path, args.repeat)


if __name__ == "__main__":
    main()
