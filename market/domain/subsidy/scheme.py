"""The subsidy scheme (补助方案) of SUBSIDY.md as validated, typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import values as v
from .errors import show

CHANNELS = ("online", "offline")
THRESHOLD_MODES = ("gate", "excess")
TIER_MODES = ("marginal", "bracket")


@dataclass(frozen=True)
class Tier:
    """A band (marginal) or bracket: up to `up_to` yuan (inclusive; None = no upper bound) at `rate`."""

    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Scheme:
    """A validated scheme; the defaults are those of SUBSIDY.md."""

    code: str
    period_from: date
    period_to: date
    tiers: tuple[Tier, ...]
    name: str = ""
    channels: frozenset[str] = frozenset(CHANNELS)
    categories: frozenset[str] | None = None
    min_sales: Decimal = Decimal("0")
    threshold_mode: str = "gate"
    tier_mode: str = "marginal"
    household_weight: Decimal = Decimal("1")
    cap: Decimal | None = None
    budget: Decimal | None = None


def parse_scheme(data: object, source: str = "scheme") -> Scheme:
    """Validate a scheme document (parsed JSON) into a Scheme; raises SubsidyInputError naming the field."""
    where = v.Where(source, None)
    obj = v.record(data, where, "a JSON object (a scheme)")
    code = v.text(obj, "code", where, required=True)
    period_where = where.inner("period")
    period = v.record(v.get(obj, "period", where, required=True), period_where)
    period_from = v.day(period, "from", period_where, required=True)
    period_to = v.day(period, "to", period_where, required=True)
    if period_to < period_from:
        raise period_where.error("to", f"{show(period_to.isoformat())} is before from "
                                       f"{show(period_from.isoformat())}: the period is reversed")
    # Checked in the order of the spec's example, so the first bad field named is the first one a reader meets.
    name = v.text(obj, "name", where, required=False) or ""
    channels = _channels(obj, where)
    categories = _categories(obj, where)
    min_sales = v.money(obj, "min_sales", where)
    threshold_mode = _choice(obj, "threshold_mode", THRESHOLD_MODES, where)
    tiers = _tiers(obj, where)
    tier_mode = _choice(obj, "tier_mode", TIER_MODES, where)
    household_weight = v.ratio(obj, "household_weight", where, places=4)
    if household_weight is not None and household_weight < 1:
        raise where.error("household_weight", f"{show(obj['household_weight'])} is less than 1")
    return Scheme(
        code=code, name=name, period_from=period_from, period_to=period_to, channels=channels,
        categories=categories, min_sales=min_sales if min_sales is not None else Decimal("0"),
        threshold_mode=threshold_mode, tiers=tiers, tier_mode=tier_mode,
        household_weight=household_weight if household_weight is not None else Decimal("1"),
        cap=v.money(obj, "cap", where), budget=v.money(obj, "budget", where),
    )


def _choice(obj: dict, key: str, allowed: tuple[str, ...], where: v.Where) -> str:
    value = v.get(obj, key, where, required=False)
    if value is None:
        return allowed[0]
    if value not in allowed or type(value) is not str:
        raise where.error(key, f"{show(value)} is not one of {', '.join(allowed)}")
    return value


def _channels(obj: dict, where: v.Where) -> frozenset[str]:
    value = v.get(obj, "channels", where, required=False)
    if value is None:
        return frozenset(CHANNELS)
    if type(value) is not list:
        raise where.error("channels", f"{show(value)} is not a JSON list")
    if not value:
        raise where.error("channels", "empty; name online, offline or both")
    for position, channel in enumerate(value):
        if type(channel) is not str or channel not in CHANNELS:
            raise where.error(f"channels[{position}]", f"{show(channel)} is not online or offline")
    return frozenset(value)


def _categories(obj: dict, where: v.Where) -> frozenset[str] | None:
    value = v.get(obj, "categories", where, required=False)
    if value is None:
        return None
    if type(value) is not list:
        raise where.error("categories", f"{show(value)} is neither null nor a JSON list")
    for position, category in enumerate(value):
        if type(category) is not str:
            raise where.error(f"categories[{position}]", v.not_a_string(category))
    return frozenset(value)


def _tiers(obj: dict, where: v.Where) -> tuple[Tier, ...]:
    listed = v.items(obj, "tiers", where, required=True)
    if not listed:
        raise where.error("tiers", "empty; at least one tier is required")
    tiers: list[Tier] = []
    last = len(listed) - 1
    for position, item in enumerate(listed):
        tier_where = where.inner(f"tiers[{position}]")
        tier = v.record(item, tier_where)
        up_to = v.money(tier, "up_to", tier_where)
        if up_to is None and position < last:
            raise tier_where.error("up_to", f"{'null' if 'up_to' in tier else 'missing'}; "
                                            "only the last tier may have no upper bound")
        rate = v.ratio(tier, "rate", tier_where, places=6, required=True)
        if rate > 1:
            raise tier_where.error("rate", f"{show(tier['rate'])} is outside [0, 1]")
        if tiers and up_to is not None and up_to <= tiers[-1].up_to:
            raise tier_where.error("up_to", f"{show(tier['up_to'])} is not above the previous tier's "
                                             f"{show(listed[position - 1]['up_to'])}: tiers must ascend")
        tiers.append(Tier(up_to=up_to, rate=rate))
    return tuple(tiers)
