"""The ledger of SUBSIDY.md: outlets and products as typed values, sale records validated one by one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import NamedTuple, NoReturn

from . import values as v
from .errors import SubsidyInputError, identity, show
from .windows import Certification

_FEN_CACHE_SIZE = 1 << 17


@dataclass(frozen=True)
class Outlet:
    """A consumption-assistance outlet (帮扶馆/专柜/专区/网店) and its certifications."""

    code: str
    name: str = ""
    certifications: tuple[Certification, ...] = ()


@dataclass(frozen=True)
class Product:
    """A product, its category, its certifications and whether it is household-linked."""

    sku: str
    category: str
    name: str = ""
    certifications: tuple[Certification, ...] = ()
    household_linked: bool = False


@dataclass(frozen=True)
class LedgerHeader:
    """The outlets and products of a ledger, by code and sku, in ledger order."""

    outlets: Mapping[str, Outlet]
    products: Mapping[str, Product]


class SaleGroup(NamedTuple):
    """Sale lines that every rule treats alike, summed: the engine's input.

    One validated sale line is a group with `lines` 1. A run over a database can feed pre-aggregated
    groups (GROUP BY outlet, sku, channel, date, verified, amount > refunded) with `lines` = count and
    `net_fen` = sum of amount - refunded in fen; lines whose net is 0 must be in groups of their own
    (net_fen 0), since the `refunded` rule looks at each line's net. Plain tuples of the same shape do.
    """

    outlet: str
    sku: str
    channel: str
    day: date
    verified: bool
    lines: int
    net_fen: int


def parse_ledger_header(data: object, source: str = "ledger") -> LedgerHeader:
    """Validate a ledger document's top level, outlets and products (sales: see `sale_lines`)."""
    where = v.Where(source, None)
    obj = v.record(data, where, "a JSON object (a ledger)")
    outlets = v.items(obj, "outlets", where, required=True)
    products = v.items(obj, "products", where, required=True)
    v.items(obj, "sales", where, required=True)
    return LedgerHeader(parse_outlets(outlets, source), parse_products(products, source))


def parse_outlets(items: Iterable[object], source: str = "ledger") -> Mapping[str, Outlet]:
    """Validate outlet records (the ledger's `outlets`) into Outlets by code."""
    outlets: dict[str, Outlet] = {}
    positions: dict[str, int] = {}
    for position, item in enumerate(items):
        where = v.Where(source, f"outlets[{position}]")
        obj = v.record(item, where)
        where = where.identified("code", obj.get("code"))
        code = v.text(obj, "code", where, required=True)
        if code in outlets:
            raise where.error("code", f"{show(code)} is also the code of outlets[{positions[code]}]")
        positions[code] = position
        outlets[code] = Outlet(code=code, name=v.text(obj, "name", where, required=False) or "",
                               certifications=_certifications(obj, where))
    return MappingProxyType(outlets)


def parse_products(items: Iterable[object], source: str = "ledger") -> Mapping[str, Product]:
    """Validate product records (the ledger's `products`) into Products by sku."""
    products: dict[str, Product] = {}
    positions: dict[str, int] = {}
    for position, item in enumerate(items):
        where = v.Where(source, f"products[{position}]")
        obj = v.record(item, where)
        where = where.identified("sku", obj.get("sku"))
        sku = v.text(obj, "sku", where, required=True)
        if sku in products:
            raise where.error("sku", f"{show(sku)} is also the sku of products[{positions[sku]}]")
        positions[sku] = position
        products[sku] = Product(sku=sku, category=v.text(obj, "category", where, required=True),
                                name=v.text(obj, "name", where, required=False) or "",
                                certifications=_certifications(obj, where),
                                household_linked=v.flag(obj, "household_linked", where))
    return MappingProxyType(products)


def _certifications(obj: dict, where: v.Where) -> tuple[Certification, ...]:
    result = []
    for position, item in enumerate(v.items(obj, "certifications", where, required=False)):
        cert_where = where.inner(f"certifications[{position}]")
        cert = v.record(item, cert_where)
        result.append(Certification(number=v.text(cert, "number", cert_where, required=False),
                                    valid_from=v.day(cert, "from", cert_where),
                                    valid_to=v.day(cert, "to", cert_where),
                                    revoked_on=v.day(cert, "revoked_on", cert_where)))
    return tuple(result)


def sale_lines(records: Iterable[object], ledger: LedgerHeader, source: str = "ledger") -> Iterator[SaleGroup]:
    """Validate sale records one by one, yielding each as a one-line group; raises at the first bad record.

    Every record is validated, including those a rule will exclude. Memory beyond the input: the set
    of sale ids seen (to refuse duplicates), a cache of the distinct dates and a bounded cache of
    amounts. Yields plain tuples in the shape of SaleGroup (building a named tuple per line would
    cost more than the rest of the check).
    """
    outlets, products = ledger.outlets, ledger.products
    seen: set[str] = set()
    remember = seen.add
    days: dict[str, date] = {}
    fens: dict[str, int] = {}  # money text -> fen: prices repeat, and a lookup is cheaper than a parse
    is_money, to_fen = v.MONEY, v.fen
    for position, rec in enumerate(records):
        if type(rec) is not dict:
            ident = identity("id", rec.get("id")) if isinstance(rec, dict) else None
            v.record(rec, v.Where(source, f"sales[{position}]", ident))
        sale_id = rec.get("id")
        if type(sale_id) is not str or sale_id in seen:
            _reject_id(records, position, rec, source)
        remember(sale_id)
        outlet = rec.get("outlet")
        if type(outlet) is not str or outlet not in outlets:
            _reject_reference(position, rec, source, "outlet", "the code of an outlet")
        sku = rec.get("sku")
        if type(sku) is not str or sku not in products:
            _reject_reference(position, rec, source, "sku", "the sku of a product")
        channel = rec.get("channel")
        if channel != "online" and channel != "offline":
            _reject(position, rec, source, "channel", f"{show(channel)} is not online or offline")
        text = rec.get("date")
        day = days.get(text) if type(text) is str else None
        if day is None:
            day = v.parse_date(text) if type(text) is str else None
            if day is None:
                _reject(position, rec, source, "date", v.date_problem(text))
            days[text] = day
        amount = rec.get("amount")
        net = fens.get(amount) if type(amount) is str else None
        if net is None:
            if type(amount) is not str or not is_money(amount):
                _reject(position, rec, source, "amount", v.money_problem(amount))
            net = to_fen(amount)
            if len(fens) < _FEN_CACHE_SIZE:
                fens[amount] = net
        refunded = rec.get("refunded")
        if refunded is not None:
            back = fens.get(refunded) if type(refunded) is str else None
            if back is None:
                if type(refunded) is not str or not is_money(refunded):
                    _reject(position, rec, source, "refunded", v.money_problem(refunded))
                back = to_fen(refunded)
                if len(fens) < _FEN_CACHE_SIZE:
                    fens[refunded] = back
            if back > net:
                _reject(position, rec, source, "refunded", f"{show(refunded)} is more than the amount {show(amount)}")
            net -= back
        verified = rec.get("verified")
        if verified is not True and verified is not False:
            if verified is not None:
                _reject(position, rec, source, "verified", v.flag_problem(verified))
            verified = False
        yield (outlet, sku, channel, day, verified, 1, net)  # type: ignore[misc]


def _sale_error(position: int, rec: dict, source: str, field: str, message: str) -> SubsidyInputError:
    return SubsidyInputError(source, message, record=f"sales[{position}]",
                             ident=identity("id", rec.get("id")), field=field)


def _reject(position: int, rec: dict, source: str, field: str, problem: str) -> NoReturn:
    """Raise for a field of a sale: missing, null, or else the problem with its value."""
    if field not in rec:
        raise _sale_error(position, rec, source, field, "missing")
    if rec[field] is None:
        raise _sale_error(position, rec, source, field, "null, but a value is required")
    raise _sale_error(position, rec, source, field, problem)


def _reject_reference(position: int, rec: dict, source: str, field: str, what: str) -> NoReturn:
    value = rec.get(field)
    if type(value) is str:
        _reject(position, rec, source, field, f"{show(value)} is not {what} in the ledger")
    _reject(position, rec, source, field, v.not_a_string(value))


def _reject_id(records: Iterable[object], position: int, rec: dict, source: str) -> NoReturn:
    sale_id = rec.get("id")
    if type(sale_id) is str:
        first = next((i for i, other in enumerate(records) if type(other) is dict and other.get("id") == sale_id),
                     None) if isinstance(records, Sequence) else None
        where = "an earlier sale" if first is None or first >= position else f"sales[{first}]"
        raise _sale_error(position, rec, source, "id", f"{show(sale_id)} is also the id of {where}")
    _reject(position, rec, source, "id", v.not_a_string(sale_id))
