"""The rules of SUBSIDY.md: sale groups folded per outlet in one pass, then threshold, tiers, cap, budget."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .ledger import LedgerHeader, Product
from .result import EXCLUSION_REASONS, Exclusions, OutletSubsidy, SubsidyResult
from .scheme import Scheme, Tier
from .values import EXACT
from .windows import Certification, certified_on

CENT = Decimal("0.01")
_ZERO = Decimal(0)


class _OutletTally:
    """One outlet's running sums (integer fen) and counts, and the exclusion its day gives a line, by day."""

    __slots__ = ("certifications", "reasons", "online", "offline", "household", "qualifying", "excluded")

    def __init__(self, certifications: tuple[Certification, ...]) -> None:
        self.certifications = certifications
        self.reasons: dict[date, int] = {}
        self.online = self.offline = self.household = self.qualifying = 0
        self.excluded = [0] * len(EXCLUSION_REASONS)


class _ProductFacts:
    """What the rules need of a product under this scheme, and the exclusion its day gives a line, by day."""

    __slots__ = ("certifications", "reasons", "in_categories", "household")

    def __init__(self, product: Product, scheme: Scheme) -> None:
        self.certifications = product.certifications
        self.reasons: dict[date, int] = {}
        self.in_categories = scheme.categories is None or product.category in scheme.categories
        self.household = product.household_linked


# Positions in EXCLUSION_REASONS; 0 (channel) doubles as "no exclusion" in the day caches, which are
# consulted only after the channel check.
_PERIOD, _OUTLET, _PRODUCT, _CATEGORY, _UNVERIFIED, _REFUNDED = range(1, 7)


def evaluate(scheme: Scheme, ledger: LedgerHeader, sales: Iterable[tuple]) -> SubsidyResult:
    """Evaluate the scheme on the ledger's sales, given as SaleGroup-shaped tuples, in one pass.

    Memory is O(outlets + products + distinct days), whatever the number of sales. A group naming an
    outlet or sku missing from the ledger raises KeyError (`sale_lines` refuses such records first).
    """
    tallies = {code: _OutletTally(outlet.certifications) for code, outlet in ledger.outlets.items()}
    products = {sku: _ProductFacts(product, scheme) for sku, product in ledger.products.items()}
    channels, first, last = scheme.channels, scheme.period_from, scheme.period_to
    for outlet, sku, channel, day, verified, lines, net_fen in sales:
        tally = tallies[outlet]
        product = products[sku]
        if channel not in channels:
            tally.excluded[0] += lines
            continue
        reason = tally.reasons.get(day)
        if reason is None:
            reason = tally.reasons[day] = (
                _PERIOD if day < first or day > last
                else 0 if certified_on(tally.certifications, day) else _OUTLET)
        if not reason:
            reason = product.reasons.get(day)
            if reason is None:
                reason = product.reasons[day] = (
                    _PRODUCT if not certified_on(product.certifications, day)
                    else 0 if product.in_categories else _CATEGORY)
            if not reason:
                if channel == "offline" and not verified:
                    reason = _UNVERIFIED
                elif net_fen <= 0:
                    reason = _REFUNDED
        if reason:
            tally.excluded[reason] += lines
            continue
        tally.qualifying += lines
        if channel == "online":
            tally.online += net_fen
        else:
            tally.offline += net_fen
        if product.household:
            tally.household += net_fen
    return _settle(scheme, tallies)


def _settle(scheme: Scheme, tallies: dict[str, _OutletTally]) -> SubsidyResult:
    """Rules 2 to 6 on the per-outlet sums."""
    with localcontext(EXACT):
        figures = [(code, *_outlet_amount(scheme, tallies[code])) for code in sorted(tallies)]
        amounts = sum(amount_fen for *_, amount_fen in figures)
        budget_fen = None if scheme.budget is None else int(scheme.budget.scaleb(2))
        prorated = budget_fen is not None and amounts > budget_fen
        outlets = []
        for code, tally, base, gross, capped, below, amount_fen in figures:
            # Rule 5: floor of the exact quotient, so the sum never exceeds the budget.
            subsidy_fen = amount_fen * budget_fen // amounts if prorated else amount_fen
            outlets.append(OutletSubsidy(
                outlet=code,
                online_sales=_yuan(tally.online),
                offline_sales=_yuan(tally.offline),
                eligible_sales=_yuan(tally.online + tally.offline),
                household_sales=_yuan(tally.household),
                base=base,
                gross=gross,
                amount=_yuan(amount_fen),
                subsidy=_yuan(subsidy_fen),
                capped=capped,
                below_threshold=below,
                prorated=prorated and amount_fen > 0,
                qualifying_lines=tally.qualifying,
                excluded=Exclusions(*tally.excluded),
            ))
        total = _yuan(sum(int(outlet.subsidy.scaleb(2)) for outlet in outlets))
    return SubsidyResult(scheme=scheme.code, period_from=scheme.period_from, period_to=scheme.period_to,
                         prorated=prorated, total=total, outlets=tuple(outlets))


def _outlet_amount(scheme: Scheme, tally: _OutletTally) -> tuple[_OutletTally, Decimal, Decimal, bool, bool, int]:
    """Rules 2-4 for one outlet: base, gross, capped, below_threshold and the amount in fen."""
    eligible = _yuan(tally.online + tally.offline)
    base = eligible + (scheme.household_weight - 1) * _yuan(tally.household)
    below = eligible < scheme.min_sales
    if below:
        gross = _ZERO
    else:
        taxed = base - scheme.min_sales if scheme.threshold_mode == "excess" else base
        gross = (_marginal if scheme.tier_mode == "marginal" else _bracket)(taxed, scheme.tiers)
    capped = scheme.cap is not None and gross > scheme.cap
    amount = (scheme.cap if capped else gross).quantize(CENT, rounding=ROUND_HALF_UP)
    return tally, base, gross, capped, below, int(amount.scaleb(2))


def marginal(base: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    """Each rate on the part of the base inside its band; above a bounded last tier nothing is earned."""
    with localcontext(EXACT):
        return _marginal(base, tiers)


def bracket(base: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    """The whole base at the rate of its bracket (a base equal to `up_to` is in it), 0 above the last."""
    with localcontext(EXACT):
        return _bracket(base, tiers)


def _marginal(base: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    gross, lower = _ZERO, _ZERO
    for tier in tiers:
        if base <= lower:
            break
        upper = base if tier.up_to is None else min(base, tier.up_to)
        gross += (upper - lower) * tier.rate
        if tier.up_to is None:
            break
        lower = tier.up_to
    return gross


def _bracket(base: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    for tier in tiers:
        if tier.up_to is None or base <= tier.up_to:
            return base * tier.rate
    return _ZERO


def _yuan(fen: int) -> Decimal:
    """Fen as exact yuan: 12850 -> Decimal('128.50')."""
    return Decimal(fen).scaleb(-2, EXACT)
