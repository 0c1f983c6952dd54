"""The result of evaluating a scheme on a ledger: per outlet and for the run, exact Decimals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Rule 1's checks, in the order they are applied; the first failure is a line's exclusion reason.
EXCLUSION_REASONS = ("channel", "period", "outlet_not_certified", "product_not_certified",
                     "category", "unverified", "refunded")


@dataclass(frozen=True)
class Exclusions:
    """How many of an outlet's sale lines each reason excluded."""

    channel: int = 0
    period: int = 0
    outlet_not_certified: int = 0
    product_not_certified: int = 0
    category: int = 0
    unverified: int = 0
    refunded: int = 0

    def as_dict(self) -> dict[str, int]:
        """Counts by reason, in rule order."""
        return {reason: getattr(self, reason) for reason in EXCLUSION_REASONS}

    def total(self) -> int:
        """Lines excluded for any reason."""
        return sum(getattr(self, reason) for reason in EXCLUSION_REASONS)


@dataclass(frozen=True)
class OutletSubsidy:
    """One outlet's figures. Sales, `base` and `gross` are exact (base and gross may have more than two
    places); `amount` (rule 4: capped gross rounded half-up to the fen) and `subsidy` (rule 5) are in fen.
    """

    outlet: str
    online_sales: Decimal
    offline_sales: Decimal
    eligible_sales: Decimal
    household_sales: Decimal
    base: Decimal
    gross: Decimal
    amount: Decimal
    subsidy: Decimal
    capped: bool
    below_threshold: bool
    prorated: bool
    qualifying_lines: int
    excluded: Exclusions


@dataclass(frozen=True)
class SubsidyResult:
    """A run: every outlet of the ledger in code-point order of its code, and the total paid."""

    scheme: str
    period_from: date
    period_to: date
    prorated: bool
    total: Decimal
    outlets: tuple[OutletSubsidy, ...]
