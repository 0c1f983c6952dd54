"""Builders of scheme and ledger documents (parsed JSON) for the subsidy tests, and a runner."""

from __future__ import annotations

import json
from pathlib import Path

from market.domain.subsidy import parse_json, result_as_json, simulate

DATA = Path(__file__).parent / "data"


def scheme(**fields: object) -> dict:
    """A valid scheme: 2026, both channels, no threshold, one open tier at 10%; fields override keys."""
    doc: dict = {"code": "T-2026", "period": {"from": "2026-01-01", "to": "2026-12-31"},
                 "tiers": [{"up_to": None, "rate": "0.10"}]}
    doc.update(fields)
    return doc


def cert(start: str | None = "2025-01-01", end: str | None = None, revoked: str | None = None) -> dict:
    """A certification record."""
    return {"number": "N-1", "from": start, "to": end, "revoked_on": revoked}


def outlet(code: str = "O1", *certs: dict, **fields: object) -> dict:
    """An outlet, certified from 2025-01-01 on unless certifications are given."""
    return {"code": code, "name": f"帮扶馆 {code}", "certifications": list(certs) or [cert()], **fields}


def product(sku: str = "P1", *certs: dict, category: str = "apple", household: bool = False) -> dict:
    """A product, certified from 2025-01-01 on unless certifications are given."""
    return {"sku": sku, "name": f"产品 {sku}", "category": category,
            "certifications": list(certs) or [cert()], "household_linked": household}


def sale(sale_id: str, amount: str = "100.00", **fields: object) -> dict:
    """An online sale of P1 at O1 on 2026-03-02; fields override keys."""
    doc: dict = {"id": sale_id, "outlet": "O1", "sku": "P1", "channel": "online", "date": "2026-03-02",
                 "amount": amount}
    doc.update(fields)
    return doc


def ledger(sales: list[dict], outlets: list[dict] | None = None, products: list[dict] | None = None) -> dict:
    """A ledger of the given sales, by default with outlet O1 and products P1 (apple) and H1 (household)."""
    return {"outlets": outlets if outlets is not None else [outlet()],
            "products": products if products is not None else [product(), product("H1", household=True)],
            "sales": sales}


def run(scheme_doc: dict, ledger_doc: dict) -> dict:
    """The result document for a scheme and a ledger, after a JSON round trip of both (as the CLI sees them)."""
    scheme_doc = parse_json(json.dumps(scheme_doc), "scheme.json")
    ledger_doc = parse_json(json.dumps(ledger_doc), "ledger.json")
    return result_as_json(simulate(scheme_doc, ledger_doc, scheme_source="scheme.json",
                                   ledger_source="ledger.json"))


def only_outlet(scheme_doc: dict, ledger_doc: dict) -> dict:
    """The single outlet entry of the result."""
    (entry,) = run(scheme_doc, ledger_doc)["outlets"]
    return entry
