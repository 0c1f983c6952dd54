"""Rules of SUBSIDY.md as tables of hand-worked cases (expected figures worked out from the spec, not the code)."""

from __future__ import annotations

import pytest
from subsidy_builders import cert, ledger, only_outlet, outlet, product, run, sale, scheme

NO_EXCLUSIONS = {"channel": 0, "period": 0, "outlet_not_certified": 0, "product_not_certified": 0,
                 "category": 0, "unverified": 0, "refunded": 0}


def excluded(**counts: int) -> dict:
    """The `excluded` object with the given counts and zeros elsewhere."""
    return {**NO_EXCLUSIONS, **counts}


def qualifies(subsidy: str = "10.00") -> dict:
    return {"qualifying_lines": 1, "excluded": excluded(), "subsidy": subsidy}


def excluded_as(reason: str) -> dict:
    return {"qualifying_lines": 0, "excluded": excluded(**{reason: 1}), "subsidy": "0.00", "eligible_sales": "0.00"}


OFFLINE_OK = {"channel": "offline", "verified": True}

# One sale of 100.00 at a flat 10% unless said otherwise.
EXCLUSION_CASES = [
    pytest.param(scheme(channels=["online"]), [sale("S1", **OFFLINE_OK)], excluded_as("channel"),
                 id="channel-offline-not-in-scheme"),
    pytest.param(scheme(channels=["online"]), [sale("S1")], qualifies(), id="channel-online-in-scheme"),
    pytest.param(scheme(channels=["offline", "offline"]), [sale("S1", **OFFLINE_OK)], qualifies(),
                 id="channel-listed-twice"),
    pytest.param(scheme(), [sale("S1", date="2025-12-31")], excluded_as("period"), id="period-day-before"),
    pytest.param(scheme(), [sale("S1", date="2026-01-01")], qualifies(), id="period-first-day"),
    pytest.param(scheme(), [sale("S1", date="2026-12-31")], qualifies(), id="period-last-day"),
    pytest.param(scheme(), [sale("S1", date="2027-01-01")], excluded_as("period"), id="period-day-after"),
    pytest.param(scheme(period={"from": "2026-03-02", "to": "2026-03-02"}), [sale("S1")], qualifies(),
                 id="period-one-day"),
    pytest.param(scheme(categories=["honey"]), [sale("S1")], excluded_as("category"),
                 id="category-not-listed"),
    pytest.param(scheme(categories=[]), [sale("S1")], excluded_as("category"), id="category-empty-list"),
    pytest.param(scheme(categories=["honey", "apple"]), [sale("S1")], qualifies(), id="category-listed"),
    pytest.param(scheme(), [sale("S1", channel="offline")], excluded_as("unverified"),
                 id="offline-verified-absent"),
    pytest.param(scheme(), [sale("S1", channel="offline", verified=False)], excluded_as("unverified"),
                 id="offline-unverified"),
    pytest.param(scheme(), [sale("S1", channel="offline", verified=None)], excluded_as("unverified"),
                 id="offline-verified-null"),
    pytest.param(scheme(), [sale("S1", **OFFLINE_OK)], qualifies(), id="offline-verified"),
    pytest.param(scheme(), [sale("S1", verified=False)], qualifies(), id="online-unverified-counts"),
    pytest.param(scheme(), [sale("S1", amount="0.00")], excluded_as("refunded"), id="refunded-amount-zero"),
    pytest.param(scheme(), [sale("S1", refunded="100.00")], excluded_as("refunded"), id="refunded-in-full"),
    pytest.param(scheme(), [sale("S1", refunded="30.50")],
                 {"online_sales": "69.50", "gross": "6.95", "subsidy": "6.95", "qualifying_lines": 1},
                 id="refunded-in-part"),
    pytest.param(scheme(), [sale("S1", refunded=None)], qualifies(), id="refunded-null-is-zero"),
    # A line that fails several checks is excluded for the first, in the order of rule 1.
    pytest.param(scheme(channels=["online"]), [sale("S1", date="2025-12-31", **OFFLINE_OK)], excluded_as("channel"),
                 id="order-channel-before-period"),
    pytest.param(scheme(), [sale("S1", outlet="NC", date="2027-01-01")], excluded_as("period"),
                 id="order-period-before-outlet"),
    pytest.param(scheme(), [sale("S1", outlet="NC", sku="NP")], excluded_as("outlet_not_certified"),
                 id="order-outlet-before-product"),
    pytest.param(scheme(categories=["honey"]), [sale("S1", sku="NP")], excluded_as("product_not_certified"),
                 id="order-product-before-category"),
    pytest.param(scheme(categories=["honey"]), [sale("S1", channel="offline")], excluded_as("category"),
                 id="order-category-before-unverified"),
    pytest.param(scheme(), [sale("S1", channel="offline", amount="0.00")], excluded_as("unverified"),
                 id="order-unverified-before-refunded"),
    pytest.param(scheme(channels=["online"], categories=["honey"]),
                 [sale("S1", outlet="NC", sku="NP", channel="offline", date="2020-01-01", amount="0.00")],
                 excluded_as("channel"), id="order-everything-fails"),
]


def _outlet_entry(result: dict, code: str) -> dict:
    return next(entry for entry in result["outlets"] if entry["outlet"] == code)


@pytest.mark.parametrize(("scheme_doc", "sales", "expected"), EXCLUSION_CASES)
def test_each_line_is_excluded_for_the_first_rule_it_fails(scheme_doc, sales, expected):
    # NC is an outlet that was never certified, NP a product that was never certified.
    ledger_doc = ledger(sales, outlets=[outlet(), {"code": "NC", "certifications": []}],
                        products=[product(), {"sku": "NP", "category": "apple"}])
    entry = _outlet_entry(run(scheme_doc, ledger_doc), sales[0]["outlet"])
    assert {key: entry[key] for key in expected} == expected


R = "2026-03-01", "2026-06-30", "2026-05-15"  # from, to, revoked_on
WINDOW_CASES = [
    ([cert(*R)], "2026-02-28", False),
    ([cert(*R)], "2026-03-01", True),
    ([cert(*R)], "2026-05-14", True),
    ([cert(*R)], "2026-05-15", False),  # revoked on its own day
    ([cert(*R)], "2026-06-30", False),
    ([cert("2026-03-01", "2026-06-30")], "2026-06-30", True),
    ([cert("2026-03-01", "2026-06-30")], "2026-07-01", False),
    ([cert("2026-03-01", None)], "2026-12-31", True),
    ([cert("2026-03-01", "2026-04-30"), cert("2026-06-01")], "2026-04-30", True),
    ([cert("2026-03-01", "2026-04-30"), cert("2026-06-01")], "2026-05-01", False),  # gap before the renewal
    ([cert("2026-03-01", "2026-04-30"), cert("2026-06-01")], "2026-05-31", False),
    ([cert("2026-03-01", "2026-04-30"), cert("2026-06-01")], "2026-06-01", True),
    ([cert("2026-06-01"), cert("2026-03-01", "2026-04-30")], "2026-03-15", True),  # any order
    ([cert("2026-01-01", "2026-12-31", "2026-04-01"), cert("2026-04-01")], "2026-04-01", True),  # re-certified
    ([cert(None, "2026-12-31")], "2026-03-02", False),  # no `from`: never in force
    ([cert("2026-05-01", "2026-04-01")], "2026-04-15", False),  # from after to
    ([cert("2026-03-01", None, "2026-02-01")], "2026-03-02", False),  # revoked before it began
    ([cert("2026-03-02", None, "2026-03-02")], "2026-03-02", False),
    ([cert("2026-03-02", "2026-03-02")], "2026-03-02", True),
    ([], "2026-03-02", False),
]


@pytest.mark.parametrize("holder", ["outlet", "product"])
@pytest.mark.parametrize(("certifications", "day", "certified"), WINDOW_CASES)
def test_certification_windows(holder, certifications, day, certified):
    if holder == "outlet":
        ledger_doc = ledger([sale("S1", date=day)], outlets=[outlet("O1", *certifications)])
        ledger_doc["outlets"][0]["certifications"] = certifications
        reason = "outlet_not_certified"
    else:
        ledger_doc = ledger([sale("S1", date=day)], products=[product("P1", *certifications)])
        ledger_doc["products"][0]["certifications"] = certifications
        reason = "product_not_certified"
    entry = only_outlet(scheme(), ledger_doc)
    assert entry["qualifying_lines"] == (1 if certified else 0)
    assert entry["excluded"] == excluded(**({} if certified else {reason: 1}))


def tiers(*pairs: tuple[str | None, str]) -> list[dict]:
    return [{"up_to": up_to, "rate": rate} for up_to, rate in pairs]


STEPS = tiers(("100.00", "0.10"), ("200.00", "0.20"), (None, "0.30"))
BOUNDED = tiers(("100.00", "0.10"), ("200.00", "0.20"))
H = {"sku": "H1"}  # household-linked product

# (scheme, sales, expected fields of the one outlet)
FIGURE_CASES = [
    # Threshold: on unweighted eligible sales; gate counts the whole base, excess only base - min_sales.
    pytest.param(scheme(min_sales="1000.00"), [sale("S1", "999.99")],
                 {"below_threshold": True, "gross": "0.00", "subsidy": "0.00", "eligible_sales": "999.99"},
                 id="gate-below"),
    pytest.param(scheme(min_sales="1000.00"), [sale("S1", "1000.00")],
                 {"below_threshold": False, "gross": "100.00", "subsidy": "100.00"}, id="gate-at-threshold"),
    pytest.param(scheme(min_sales="1000.00", household_weight="2"), [sale("S1", "600.00", **H)],
                 {"below_threshold": True, "base": "1200.00", "gross": "0.00", "household_sales": "600.00"},
                 id="gate-threshold-ignores-weight"),
    pytest.param(scheme(min_sales="1000.00", household_weight="2"), [sale("S1", "1000.00", **H)],
                 {"below_threshold": False, "base": "2000.00", "gross": "200.00"}, id="gate-weighted-base"),
    pytest.param(scheme(min_sales="50000.00", threshold_mode="excess", tiers=tiers((None, "0.02"))),
                 [sale("S1", "80000.00")], {"base": "80000.00", "gross": "600.00", "subsidy": "600.00"},
                 id="excess-spec-example"),
    pytest.param(scheme(min_sales="1000.00", threshold_mode="excess"), [sale("S1", "1000.00")],
                 {"below_threshold": False, "gross": "0.00"}, id="excess-at-threshold"),
    pytest.param(scheme(min_sales="1000.00", threshold_mode="excess"), [sale("S1", "999.99")],
                 {"below_threshold": True, "gross": "0.00"}, id="excess-below"),
    pytest.param(scheme(min_sales="1000.00", threshold_mode="excess", household_weight="1.5"),
                 [sale("S1", "1000.00", **H)], {"base": "1500.00", "gross": "50.00"},
                 id="excess-weighted-base-minus-min"),
    pytest.param(scheme(min_sales="100.00", threshold_mode="excess", tiers=STEPS[:1] + tiers((None, "0.20"))),
                 [sale("S1", "350.00")], {"base": "350.00", "gross": "40.00"}, id="excess-bands-from-zero"),
    pytest.param(scheme(), [], {"below_threshold": False, "eligible_sales": "0.00", "subsidy": "0.00"},
                 id="no-sales-min-zero-not-below"),
    pytest.param(scheme(min_sales="0.01"), [], {"below_threshold": True}, id="no-sales-below-positive-min"),
    # Marginal bands.
    pytest.param(scheme(tiers=STEPS), [sale("S1", "50.00")], {"gross": "5.00"}, id="marginal-first-band"),
    pytest.param(scheme(tiers=STEPS), [sale("S1", "100.00")], {"gross": "10.00"}, id="marginal-band-edge"),
    pytest.param(scheme(tiers=STEPS), [sale("S1", "150.00")], {"gross": "20.00"}, id="marginal-second-band"),
    pytest.param(scheme(tiers=STEPS), [sale("S1", "250.00")], {"gross": "45.00"}, id="marginal-open-last"),
    pytest.param(scheme(tiers=BOUNDED), [sale("S1", "200.00")], {"gross": "30.00"},
                 id="marginal-bounded-at-bound"),
    pytest.param(scheme(tiers=BOUNDED), [sale("S1", "250.00")], {"gross": "30.00"},
                 id="marginal-bounded-above"),
    pytest.param(scheme(tiers=tiers(("0.00", "0.50"), (None, "0.10"))), [sale("S1", "100.00")], {"gross": "10.00"},
                 id="marginal-zero-width-first-band"),
    # Brackets: the whole base at its bracket's rate; up_to belongs to its bracket.
    pytest.param(scheme(tier_mode="bracket", tiers=BOUNDED), [sale("S1", "100.00")], {"gross": "10.00"},
                 id="bracket-100.00"),
    pytest.param(scheme(tier_mode="bracket", tiers=BOUNDED), [sale("S1", "100.01")], {"gross": "20.00"},
                 id="bracket-100.01"),
    pytest.param(scheme(tier_mode="bracket", tiers=BOUNDED), [sale("S1", "200.00")], {"gross": "40.00"},
                 id="bracket-200.00"),
    pytest.param(scheme(tier_mode="bracket", tiers=BOUNDED), [sale("S1", "200.01")],
                 {"gross": "0.00", "subsidy": "0.00"},
                 id="bracket-above-bounded-last"),
    pytest.param(scheme(tier_mode="bracket", tiers=STEPS), [sale("S1", "1000.00")], {"gross": "300.00"},
                 id="bracket-open-last"),
    pytest.param(scheme(tier_mode="bracket", tiers=tiers(("0.00", "0.50"), (None, "0.10"))), [sale("S1", "0.01")],
                 {"gross": "0.00"}, id="bracket-just-above-zero-bracket"),
    # Household weight.
    pytest.param(scheme(household_weight="1.0001"), [sale("S1", "100.00", **H)],
                 {"base": "100.01", "gross": "10.00", "subsidy": "10.00"}, id="weight-four-places"),
    pytest.param(scheme(household_weight="1.25"), [sale("S1", "0.10", **H)],
                 {"base": "0.13", "gross": "0.01"},
                 id="weight-base-shown-half-up"),  # 0.125 shown; half-even: 0.12
    pytest.param(scheme(household_weight="3"), [sale("S1", "100.00", **H), sale("S2", "50.00")],
                 {"eligible_sales": "150.00", "household_sales": "100.00", "base": "350.00", "gross": "35.00"},
                 id="weight-only-household-part"),
    pytest.param(scheme(tiers=tiers((None, "0.000001"))), [sale("S1", "100.00")], {"gross": "0.00", "subsidy": "0.00"},
                 id="rate-six-places"),
    # Cap: compared exactly, before rounding.
    pytest.param(scheme(cap="100.00"), [sale("S1", "1000.00")], {"capped": False, "subsidy": "100.00"},
                 id="cap-equal"),
    pytest.param(scheme(cap="99.99"), [sale("S1", "1000.00")], {"capped": True, "gross": "100.00", "subsidy": "99.99"},
                 id="cap-below-gross"),
    pytest.param(scheme(cap="100.00"), [sale("S1", "1000.04")],
                 {"capped": True, "gross": "100.00", "subsidy": "100.00"},
                 id="cap-exceeded-by-fraction-of-fen"),
    pytest.param(scheme(cap="100.00"), [sale("S1", "999.95")],
                 {"capped": False, "gross": "100.00", "subsidy": "100.00"},
                 id="cap-not-exceeded-rounds-up-to-it"),
    pytest.param(scheme(cap="0.00"), [sale("S1", "1.00")], {"capped": True, "subsidy": "0.00"},
                 id="cap-zero"),
    pytest.param(scheme(cap="0.00"), [], {"capped": False, "subsidy": "0.00"}, id="cap-zero-nothing-earned"),
    # Rounding half-up to the fen.
    pytest.param(scheme(), [sale("S1", "1.25")], {"gross": "0.13", "subsidy": "0.13"}, id="half-up-0.125"),
    pytest.param(scheme(), [sale("S1", "1.35")], {"subsidy": "0.14"}, id="half-up-0.135"),
    pytest.param(scheme(), [sale("S1", "0.04")], {"subsidy": "0.00"}, id="rounds-down-0.004"),
    pytest.param(scheme(), [sale("S1", "0.05")], {"subsidy": "0.01"}, id="rounds-up-0.005"),
    pytest.param(scheme(), [sale("S1", "0.05"), sale("S2", "0.05")],
                 {"gross": "0.01", "subsidy": "0.01"},
                 id="rounds-the-sum-not-each-line"),  # lines: 0.01 + 0.01
]


@pytest.mark.parametrize(("scheme_doc", "sales", "expected"), FIGURE_CASES)
def test_outlet_figures(scheme_doc, sales, expected):
    entry = only_outlet(scheme_doc, ledger(sales))
    assert {key: entry[key] for key in expected} == expected


def test_the_example_of_the_spec():
    # 80,000 online (50,000 household-linked), 40,000 offline verified, one offline line unverified.
    outlets = [{"code": "LX-O-001", "name": "陇县消费帮扶馆",
                "certifications": [{"number": "LXXF-2026-001", "from": "2026-01-01", "to": "2026-12-31",
                                    "revoked_on": None}]}]
    products = [product("APL-5KG", household=True), product("WAL-1KG", category="walnut")]
    sales = [sale("ON-1", "50000.00", outlet="LX-O-001", sku="APL-5KG"),
             sale("ON-2", "30000.00", outlet="LX-O-001", sku="WAL-1KG"),
             sale("OFF-1", "40000.00", outlet="LX-O-001", sku="WAL-1KG", channel="offline", verified=True),
             sale("OFF-2", "500.00", outlet="LX-O-001", sku="WAL-1KG", channel="offline")]
    spec_scheme = {
        "code": "LX-XFBF-2026", "name": "陇县2026年消费帮扶馆销售补助",
        "period": {"from": "2026-01-01", "to": "2026-12-31"}, "channels": ["online", "offline"],
        "categories": None, "min_sales": "10000.00", "threshold_mode": "gate",
        "tiers": [{"up_to": "100000.00", "rate": "0.03"}, {"up_to": "500000.00", "rate": "0.04"},
                  {"up_to": None, "rate": "0.05"}],
        "tier_mode": "marginal", "household_weight": "1.20", "cap": "30000.00", "budget": None}
    assert run(spec_scheme, ledger(sales, outlets, products)) == {
        "scheme": "LX-XFBF-2026", "period": {"from": "2026-01-01", "to": "2026-12-31"},
        "prorated": False, "total": "4200.00",
        "outlets": [{"outlet": "LX-O-001", "online_sales": "80000.00", "offline_sales": "40000.00",
                     "eligible_sales": "120000.00", "household_sales": "50000.00", "base": "130000.00",
                     "gross": "4200.00", "subsidy": "4200.00", "capped": False, "below_threshold": False,
                     "prorated": False, "qualifying_lines": 3,
                     "excluded": {"channel": 0, "period": 0, "outlet_not_certified": 0,
                                  "product_not_certified": 0, "category": 0, "unverified": 1, "refunded": 0}}]}


def _three_outlets(amounts: list[str], **scheme_fields: object) -> dict:
    """A run over outlets A, B, C... whose single sale earns the given amount at a flat 100%."""
    codes = [chr(ord("A") + i) for i in range(len(amounts))]
    sales = [sale(f"S{i}", amount, outlet=code) for i, (code, amount) in enumerate(zip(codes, amounts, strict=True))]
    return run(scheme(tiers=tiers((None, "1")), **scheme_fields), ledger(sales, [outlet(code) for code in codes]))


BUDGET_CASES = [
    pytest.param(["100.00", "200.00"], {"budget": "150.00"}, True, ["50.00", "100.00"], "150.00",
                 id="halved"),
    pytest.param(["100.00", "100.00", "100.00"], {"budget": "100.00"}, True, ["33.33"] * 3, "99.99",
                 id="rounded-down"),
    pytest.param(["2.00", "1.00"], {"budget": "2.00"}, True, ["1.33", "0.66"], "1.99", id="down-not-half-up"),
    pytest.param(["100.00", "200.00"], {"budget": "300.00"}, False, ["100.00", "200.00"], "300.00",
                 id="budget-equal"),
    pytest.param(["100.00", "200.00"], {"budget": None}, False, ["100.00", "200.00"], "300.00",
                 id="no-budget"),
    pytest.param(["100.00", "0.00"], {"budget": "50.00"}, True, ["50.00", "0.00"], "50.00",
                 id="zero-amount-outlet"),
    pytest.param(["100.00", "200.00"], {"budget": "0.00"}, True, ["0.00", "0.00"], "0.00", id="budget-zero"),
    pytest.param(["500.00", "100.00"], {"budget": "200.00", "cap": "300.00"}, True, ["150.00", "50.00"], "200.00",
                 id="cap-before-budget"),
    pytest.param(["0.01", "0.01", "0.01"], {"budget": "0.02"}, True, ["0.00"] * 3, "0.00",
                 id="fen-floor-to-zero"),
]


@pytest.mark.parametrize(("amounts", "fields", "prorated", "subsidies", "total"), BUDGET_CASES)
def test_budget_is_shared_pro_rata_and_rounded_down(amounts, fields, prorated, subsidies, total):
    result = _three_outlets(amounts, **fields)
    assert result["prorated"] is prorated
    assert [entry["subsidy"] for entry in result["outlets"]] == subsidies
    assert [entry["prorated"] for entry in result["outlets"]] == [prorated and a != "0.00" for a in amounts]
    assert result["total"] == total


def test_every_outlet_appears_in_code_point_order_with_zeros():
    codes = ["LX-O-2", "陇-1", "LX-O-10", "lx-o-1", "LX-O-1"]
    result = run(scheme(), ledger([sale("S1", outlet="LX-O-10")], [outlet(code) for code in codes]))
    assert [entry["outlet"] for entry in result["outlets"]] == ["LX-O-1", "LX-O-10", "LX-O-2", "lx-o-1", "陇-1"]
    quiet = result["outlets"][0]
    assert quiet == {"outlet": "LX-O-1", "online_sales": "0.00", "offline_sales": "0.00", "eligible_sales": "0.00",
                     "household_sales": "0.00", "base": "0.00", "gross": "0.00", "subsidy": "0.00", "capped": False,
                     "below_threshold": False, "prorated": False, "qualifying_lines": 0, "excluded": NO_EXCLUSIONS}
    assert result["outlets"][1]["subsidy"] == "10.00"
    assert result["total"] == "10.00"


def test_lines_are_summed_per_outlet_and_channel():
    sales = [sale("A1", "10.10"), sale("A2", "20.20", **H), sale("A3", "0.01", channel="offline", verified=True),
             sale("A4", "5.00", channel="offline"), sale("B1", "7.00", outlet="O2", refunded="7.00"),
             sale("B2", "3.00", outlet="O2", channel="offline", verified=True, **H)]
    result = run(scheme(household_weight="2"), ledger(sales, [outlet("O1"), outlet("O2")]))
    first, second = result["outlets"]
    assert (first["online_sales"], first["offline_sales"], first["eligible_sales"], first["household_sales"],
            first["base"], first["gross"], first["qualifying_lines"]) == (
        "30.30", "0.01", "30.31", "20.20", "50.51", "5.05", 3)
    assert first["excluded"] == excluded(unverified=1)
    assert (second["offline_sales"], second["base"], second["qualifying_lines"]) == ("3.00", "6.00", 1)
    assert second["excluded"] == excluded(refunded=1)
    assert result["total"] == "5.65"  # 5.051 -> 5.05, 0.60


def test_the_engine_imports_only_the_standard_library_and_pure_domain_modules():
    import ast
    import sys
    from pathlib import Path

    import market.domain.subsidy as package

    for module in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                pure = name.startswith("market.domain.")
                assert pure or name.split(".")[0] in sys.stdlib_module_names | {"__future__"}, (module.name, name)
