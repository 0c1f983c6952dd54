"""The result as the JSON document of SUBSIDY.md and as CSV rows, money shown half-up with two places."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .engine import CENT
from .result import EXCLUSION_REASONS, OutletSubsidy, SubsidyResult
from .values import EXACT

CSV_COLUMNS = ("outlet", "online_sales", "offline_sales", "eligible_sales", "household_sales", "base", "gross",
               "subsidy", "capped", "below_threshold", "prorated", "qualifying_lines",
               *(f"excluded_{reason}" for reason in EXCLUSION_REASONS))


def money_text(value: Decimal) -> str:
    """An exact amount for display: half-up to two places, no exponent: Decimal('4200.125') -> '4200.13'."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT):f}"


def outlet_as_json(outlet: OutletSubsidy) -> dict:
    """One outlet's entry of the result document, keys in the order of SUBSIDY.md."""
    return {
        "outlet": outlet.outlet,
        "online_sales": money_text(outlet.online_sales),
        "offline_sales": money_text(outlet.offline_sales),
        "eligible_sales": money_text(outlet.eligible_sales),
        "household_sales": money_text(outlet.household_sales),
        "base": money_text(outlet.base),
        "gross": money_text(outlet.gross),
        "subsidy": money_text(outlet.subsidy),
        "capped": outlet.capped,
        "below_threshold": outlet.below_threshold,
        "prorated": outlet.prorated,
        "qualifying_lines": outlet.qualifying_lines,
        "excluded": outlet.excluded.as_dict(),
    }


def result_as_json(result: SubsidyResult) -> dict:
    """The result document of SUBSIDY.md (ready for json.dumps)."""
    return {
        "scheme": result.scheme,
        "period": {"from": result.period_from.isoformat(), "to": result.period_to.isoformat()},
        "prorated": result.prorated,
        "total": money_text(result.total),
        "outlets": [outlet_as_json(outlet) for outlet in result.outlets],
    }


def result_as_csv_rows(result: SubsidyResult) -> list[list[str]]:
    """A header row (CSV_COLUMNS) and one row per outlet: the JSON fields, exclusions flattened."""
    rows = [list(CSV_COLUMNS)]
    for outlet in result.outlets:
        entry = outlet_as_json(outlet)
        excluded = entry.pop("excluded")
        row = [_cell(value) for value in entry.values()]
        row.extend(str(excluded[reason]) for reason in EXCLUSION_REASONS)
        rows.append(row)
    return rows


def _cell(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)
