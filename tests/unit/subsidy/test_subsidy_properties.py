"""Invariants of the engine over generated schemes and ledgers, and agreement with a naive Fraction oracle."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from datetime import date, timedelta
from fractions import Fraction
from math import floor

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from subsidy_builders import run

from market.domain.subsidy import (
    EXCLUSION_REASONS,
    evaluate,
    parse_ledger_header,
    parse_scheme,
    result_as_json,
    sale_lines,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORACLE_SETTINGS = settings(SETTINGS, max_examples=200)
# A week across the new year, so that periods, certifications and sales often meet at their edges.
DAYS = [(date(2025, 12, 29) + timedelta(days=n)).isoformat() for n in range(7)]
CATEGORIES = ["apple", "honey", "walnut"]


def _money_text(fen: int, style: int) -> str:
    """Fen as money text, in one of the shapes the spec allows: "12.50", "12.5" or "12"."""
    whole, cents = divmod(fen, 100)
    if style == 1 and cents % 10 == 0:
        return f"{whole}.{cents // 10}"
    if style == 2 and cents == 0:
        return str(whole)
    return f"{whole}.{cents:02d}"


def money(low: int = 0, high: int = 200_000) -> st.SearchStrategy[str]:
    return st.builds(_money_text, st.integers(low, high), st.integers(0, 2))


# Mostly certified all along (so that many lines qualify), else any window around the period's edges.
ALWAYS = [{"number": "N", "from": "2000-01-01", "to": None, "revoked_on": None}]
certifications = st.one_of(st.just(ALWAYS), st.just(ALWAYS), st.just(ALWAYS), st.lists(st.fixed_dictionaries({
    "from": st.sampled_from(["2000-01-01", *DAYS, None]),
    "to": st.sampled_from([None, *DAYS]),
    "revoked_on": st.sampled_from([None, *DAYS]),
}), max_size=2))


@st.composite
def tiers(draw) -> list[dict]:
    bounds = sorted(draw(st.sets(st.integers(0, 300_000), max_size=3)))
    open_last = draw(st.booleans()) or not bounds
    rates = [f"0.{n:06d}" if n < 10**6 else "1" for n in draw(st.lists(st.integers(0, 10**6), min_size=4,
                                                                            max_size=4))]
    result = [{"up_to": _money_text(b, 0), "rate": rate} for b, rate in zip(bounds, rates, strict=False)]
    if open_last:
        result.append({"up_to": None, "rate": rates[-1]})
    return result


@st.composite
def schemes(draw) -> dict:
    whole = st.just([DAYS[0], DAYS[-1]])
    first, last = sorted(draw(st.one_of(whole, whole, st.lists(st.sampled_from(DAYS), min_size=2, max_size=2))))
    return {
        "code": "P", "period": {"from": first, "to": last},
        "channels": draw(st.one_of(st.none(), st.none(), st.sampled_from([["online"], ["offline"],
                                                                          ["online", "offline"]]))),
        "categories": draw(st.one_of(st.none(), st.none(), st.lists(st.sampled_from(CATEGORIES), max_size=3))),
        "min_sales": draw(st.one_of(st.none(), money(0, 10_000))),
        "threshold_mode": draw(st.sampled_from([None, "gate", "excess"])),
        "tiers": draw(tiers()),
        "tier_mode": draw(st.sampled_from([None, "marginal", "bracket"])),
        "household_weight": draw(st.one_of(st.none(), st.integers(10_000, 30_000).map(
            lambda w: f"{w // 10_000}.{w % 10_000:04d}"))),
        "cap": draw(st.one_of(st.none(), money(0, 3_000))),
        "budget": draw(st.one_of(st.none(), money(0, 40_000))),
    }


@st.composite
def ledgers(draw) -> dict:
    codes = draw(st.lists(st.sampled_from(["A", "B", "a", "B-10", "B-2", "陇"]), min_size=1, max_size=4, unique=True))
    skus = draw(st.lists(st.sampled_from(["P", "Q", "R"]), min_size=1, max_size=3, unique=True))
    outlets = [{"code": code, "certifications": draw(certifications)} for code in codes]
    products = [{"sku": sku, "category": draw(st.sampled_from(CATEGORIES)), "certifications": draw(certifications),
                 "household_linked": draw(st.booleans())} for sku in skus]
    sales = []
    for n in range(draw(st.integers(0, 25))):
        amount_fen = draw(st.integers(0, 100_000))
        refunded = draw(st.one_of(st.just("none"), st.sampled_from(["none", "zero", "full", "part"])))
        record = {"id": f"S{n}", "outlet": draw(st.sampled_from(codes)), "sku": draw(st.sampled_from(skus)),
                  "channel": draw(st.sampled_from(["online", "offline"])), "date": draw(st.sampled_from(DAYS)),
                  "amount": _money_text(amount_fen, draw(st.integers(0, 2)))}
        if refunded != "none":
            back = {"zero": 0, "full": amount_fen, "part": amount_fen // 3}[refunded]
            record["refunded"] = _money_text(back, 0)
        verified = draw(st.one_of(st.just(True), st.sampled_from(["absent", None, True, False])))
        if verified != "absent":
            record["verified"] = verified
        sales.append(record)
    return {"outlets": outlets, "products": products, "sales": sales}


# --- the oracle: SUBSIDY.md read literally, with Fractions, written apart from the engine ----------------------

def _half_up_cents(value: Fraction) -> int:
    return floor(value * 100 + Fraction(1, 2))


def _shown(value: Fraction) -> str:
    cents = _half_up_cents(value)
    return f"{cents // 100}.{cents % 100:02d}"


def _holds(certs: list[dict] | None, day: date) -> bool:
    def one(c: dict) -> bool:
        return (c.get("from") is not None and date.fromisoformat(c["from"]) <= day
                and (c.get("to") is None or day <= date.fromisoformat(c["to"]))
                and (c.get("revoked_on") is None or day < date.fromisoformat(c["revoked_on"])))
    return any(one(c) for c in certs or [])


def oracle(scheme: dict, ledger: dict) -> dict:
    F = Fraction  # noqa: N806
    period = date.fromisoformat(scheme["period"]["from"]), date.fromisoformat(scheme["period"]["to"])
    channels = scheme.get("channels") or ["online", "offline"]
    categories = scheme.get("categories")
    min_sales = F(scheme.get("min_sales") or "0")
    weight = F(scheme.get("household_weight") or "1")
    cap = None if scheme.get("cap") is None else F(scheme["cap"])
    budget = None if scheme.get("budget") is None else F(scheme["budget"])
    outlets = {o["code"]: o for o in ledger["outlets"]}
    products = {p["sku"]: p for p in ledger["products"]}
    sums: dict = defaultdict(lambda: {"online": F(0), "offline": F(0), "household": F(0), "lines": 0,
                                      "excluded": Counter()})
    for s in ledger["sales"]:
        day, product = date.fromisoformat(s["date"]), products[s["sku"]]
        net = F(s["amount"]) - F(s.get("refunded") or "0")
        if s["channel"] not in channels:
            reason = "channel"
        elif not period[0] <= day <= period[1]:
            reason = "period"
        elif not _holds(outlets[s["outlet"]].get("certifications"), day):
            reason = "outlet_not_certified"
        elif not _holds(product.get("certifications"), day):
            reason = "product_not_certified"
        elif categories is not None and product["category"] not in categories:
            reason = "category"
        elif s["channel"] == "offline" and s.get("verified") is not True:
            reason = "unverified"
        elif net <= 0:
            reason = "refunded"
        else:
            reason = None
        entry = sums[s["outlet"]]
        if reason:
            entry["excluded"][reason] += 1
            continue
        entry["lines"] += 1
        entry[s["channel"]] += net
        if product.get("household_linked"):
            entry["household"] += net
    rows = []
    for code in sorted(outlets):
        entry = sums[code]
        eligible = entry["online"] + entry["offline"]
        base = eligible + (weight - 1) * entry["household"]
        below = eligible < min_sales
        x = base - min_sales if (scheme.get("threshold_mode") or "gate") == "excess" else base
        gross = F(0)
        if not below and (scheme.get("tier_mode") or "marginal") == "marginal":
            lower = F(0)
            for tier in scheme["tiers"]:
                upper = None if tier.get("up_to") is None else F(tier["up_to"])
                top = x if upper is None else min(x, upper)
                if top > lower:
                    gross += (top - lower) * F(tier["rate"])
                if upper is None:
                    break
                lower = upper
        elif not below:
            for tier in scheme["tiers"]:
                if tier.get("up_to") is None or x <= F(tier["up_to"]):
                    gross = x * F(tier["rate"])
                    break
        capped = cap is not None and gross > cap
        amount = F(_half_up_cents(cap if capped else gross), 100)
        rows.append((code, entry, eligible, base, gross, capped, below, amount))
    total_amount = sum(row[-1] for row in rows)
    prorated = budget is not None and total_amount > budget
    result_rows = []
    for code, entry, eligible, base, gross, capped, below, amount in rows:
        subsidy = F(floor(amount * budget / total_amount * 100), 100) if prorated else amount
        result_rows.append({
            "outlet": code, "online_sales": _shown(entry["online"]), "offline_sales": _shown(entry["offline"]),
            "eligible_sales": _shown(eligible), "household_sales": _shown(entry["household"]),
            "base": _shown(base), "gross": _shown(gross), "subsidy": _shown(subsidy), "capped": capped,
            "below_threshold": below, "prorated": prorated and amount > 0, "qualifying_lines": entry["lines"],
            "excluded": {reason: entry["excluded"][reason] for reason in EXCLUSION_REASONS}})
    total = sum(F(row["subsidy"]) for row in result_rows)
    return {"scheme": scheme["code"], "period": dict(scheme["period"]), "prorated": prorated,
            "total": _shown(total), "outlets": result_rows}


# --- properties -----------------------------------------------------------------------------------------------

@ORACLE_SETTINGS
@given(schemes(), ledgers())
def test_the_engine_agrees_with_the_oracle(scheme, ledger):
    assert run(scheme, ledger) == oracle(scheme, ledger)


@SETTINGS
@given(schemes(), ledgers())
def test_total_is_the_sum_of_subsidies_and_within_budget(scheme, ledger):
    result = run(scheme, ledger)
    cents = [_half_up_cents(Fraction(entry["subsidy"])) for entry in result["outlets"]]
    assert _half_up_cents(Fraction(result["total"])) == sum(cents)
    if scheme["budget"] is not None:
        assert Fraction(result["total"]) <= Fraction(scheme["budget"])


@SETTINGS
@given(schemes(), ledgers())
def test_without_pro_rata_a_capped_outlet_gets_exactly_the_cap(scheme, ledger):
    result = run(scheme, ledger)
    for entry in result["outlets"]:
        if entry["capped"] and not result["prorated"]:
            assert Fraction(entry["subsidy"]) == Fraction(scheme["cap"])
        if entry["capped"]:
            assert Fraction(entry["gross"]) >= Fraction(scheme["cap"])


@SETTINGS
@given(schemes(), ledgers())
def test_exclusions_and_qualifying_lines_add_up_to_the_outlets_lines(scheme, ledger):
    lines = Counter(s["outlet"] for s in ledger["sales"])
    for entry in run(scheme, ledger)["outlets"]:
        assert entry["qualifying_lines"] + sum(entry["excluded"].values()) == lines[entry["outlet"]]


@SETTINGS
@given(schemes(), ledgers(), st.integers(1, 100_000))
def test_in_marginal_mode_without_budget_a_qualifying_sale_never_lowers_the_subsidy(scheme, ledger, fen):
    scheme = {**scheme, "tier_mode": "marginal", "budget": None}
    assume(scheme["categories"] != [])
    ledger = copy.deepcopy(ledger)
    target = ledger["outlets"][0]
    target["certifications"].append({"from": "2000-01-01"})
    ledger["products"].append({"sku": "NEW", "category": (scheme["categories"] or ["apple"])[0],
                               "certifications": [{"from": "2000-01-01"}]})
    before = run(scheme, ledger)
    channel = "online" if scheme["channels"] in (None, ["online"], ["online", "offline"]) else "offline"
    ledger["sales"].append({"id": "EXTRA", "outlet": target["code"], "sku": "NEW", "channel": channel,
                            "date": scheme["period"]["from"], "amount": _money_text(fen, 0), "verified": True})
    after = run(scheme, ledger)
    for old, new in zip(before["outlets"], after["outlets"], strict=True):
        if new["outlet"] == target["code"]:
            assert new["qualifying_lines"] == old["qualifying_lines"] + 1
            assert Fraction(new["subsidy"]) >= Fraction(old["subsidy"])
        else:
            assert new == old


@SETTINGS
@given(schemes(), ledgers(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_sale_lines(scheme, ledger, random):
    shuffled = copy.deepcopy(ledger)
    random.shuffle(shuffled["sales"])
    random.shuffle(shuffled["outlets"])
    random.shuffle(shuffled["products"])
    assert run(scheme, shuffled) == run(scheme, ledger)


@SETTINGS
@given(schemes(), ledgers())
def test_pre_aggregated_groups_give_the_same_result_as_lines(scheme, ledger):
    parsed_scheme, header = parse_scheme(scheme), parse_ledger_header(ledger)
    groups: dict = defaultdict(lambda: [0, 0])
    for outlet, sku, channel, day, verified, lines, net_fen in sale_lines(ledger["sales"], header):
        key = (outlet, sku, channel, day, verified, net_fen > 0)
        groups[key][0] += lines
        groups[key][1] += net_fen
    grouped = [(*key[:5], lines, net) for key, (lines, net) in groups.items()]
    assert result_as_json(evaluate(parsed_scheme, header, grouped)) == run(scheme, ledger)
