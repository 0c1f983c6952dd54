"""The subsidy engine (补助核算) of docs/SUBSIDY.md: exact Decimal, standard library only.

Validate, then evaluate in one pass, then render::

    scheme = parse_scheme(scheme_doc, source="scheme.json")          # -> Scheme (frozen)
    ledger = parse_ledger_header(ledger_doc, source="ledger.json")   # -> LedgerHeader (outlets, products)
    lines = sale_lines(ledger_doc["sales"], ledger, "ledger.json")   # validates each record lazily
    result = evaluate(scheme, ledger, lines)                         # -> SubsidyResult (frozen)
    result_as_json(result)        # the result document of SUBSIDY.md (dict)
    result_as_csv_rows(result)    # header + one row per outlet

`simulate(scheme_doc, ledger_doc, ...)` does the first four steps. Documents are parsed JSON;
`parse_json(decode_utf8(raw, source), source)` parses a file's bytes strictly (no NaN/Infinity,
numbers kept as text so that 128.0 is refused as money, repeated keys refused in records).

Bad input raises SubsidyInputError; str() is one line naming file, record, id and field, e.g.
`ledger.json: sales[17] (id S17): field amount: "12,5" is not a plain decimal with at most two places`.

`evaluate` takes any iterable of SaleGroup-shaped tuples `(outlet, sku, channel, day, verified,
lines, net_fen)` and keeps O(outlets) state: `sale_lines` yields one per sale record, and a run over
a database can feed it rows grouped by (outlet, sku, channel, date, verified, amount > refunded)
with the line count and the net in fen, so a million sales never become a million objects.
Outlets and products from a database go through `parse_outlets` / `parse_products`, and a scheme
through `parse_scheme`, so that every input passes the same validation.
"""

from __future__ import annotations

from .engine import bracket, evaluate, marginal
from .errors import SubsidyInputError
from .ledger import (
    LedgerHeader,
    Outlet,
    Product,
    SaleGroup,
    parse_ledger_header,
    parse_outlets,
    parse_products,
    sale_lines,
)
from .loading import decode_utf8, parse_json
from .render import CSV_COLUMNS, money_text, result_as_csv_rows, result_as_json
from .result import EXCLUSION_REASONS, Exclusions, OutletSubsidy, SubsidyResult
from .scheme import Scheme, Tier, parse_scheme
from .windows import Certification, certified_on

__all__ = [
    "CSV_COLUMNS", "EXCLUSION_REASONS", "Certification", "Exclusions", "LedgerHeader", "Outlet",
    "OutletSubsidy", "Product", "SaleGroup", "Scheme", "SubsidyInputError", "SubsidyResult", "Tier",
    "bracket", "certified_on", "decode_utf8", "evaluate", "marginal", "money_text", "parse_json",
    "parse_ledger_header", "parse_outlets", "parse_products", "parse_scheme", "result_as_csv_rows",
    "result_as_json", "sale_lines", "simulate",
]


def simulate(scheme_doc: object, ledger_doc: object, *, scheme_source: str = "scheme",
             ledger_source: str = "ledger") -> SubsidyResult:
    """Validate a scheme and a ledger document (parsed JSON) and evaluate the one on the other."""
    scheme = parse_scheme(scheme_doc, scheme_source)
    ledger = parse_ledger_header(ledger_doc, ledger_source)
    return evaluate(scheme, ledger, sale_lines(ledger_doc["sales"], ledger, ledger_source))
