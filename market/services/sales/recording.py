"""The one place where offline sale lines are checked and written, by hand entry and by spreadsheet import.

A line is accepted only for a product of the county register certified on its sale date, at an outlet
certified on that date, dated no later than today, with a whole positive quantity, an amount in fen, a known
payment method and a receipt number not yet used at the outlet (nor twice among the lines given together).
`check_lines` reports every problem of every line in a constant number of queries however many lines come
in; `record_lines` writes them all with bulk inserts, or nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.db_setup import statement_savepoint
from market.domain.certification import Window
from market.domain.dates import business_date
from market.domain.money import MAX_FEN, format_yuan
from market.domain.offline_sale import NOTE_MAX, RECEIPT_MAX, PaymentMethod, SaleState
from market.extensions import db
from market.models import (
    OfflineSale,
    OfflineSaleBatch,
    Outlet,
    OutletCertification,
    Product,
    ProductCertification,
    User,
)
from market.services.errors import ServiceError
from market.services.sales.risk import refresh_risks

MAX_QUANTITY = 1_000_000
MAX_QUANTITY_TEXT = "1,000,000"
_SALES = OfflineSale.__table__  # inserted as a table: rows come back as (receipt_no, id), not as objects
SMALL_RECEIPT_LOOKUP = 500  # up to this many receipt numbers: look them up; more: load the outlet's numbers


@dataclass(frozen=True)
class SaleInput:
    """One line as typed or read from a spreadsheet row, before it is checked."""

    sale_date: date
    product_id: int
    quantity: int
    amount_fen: int
    payment_method: str = "cash"
    receipt_no: str = ""
    note: str = ""


class LineProblem(StrEnum):
    """Why a line cannot be recorded. The order is the order problems are reported in."""

    UNKNOWN_PRODUCT = "unknown_product"
    PRODUCT_NOT_CERTIFIED = "product_not_certified"
    OUTLET_NOT_CERTIFIED = "outlet_not_certified"
    DATE_IN_FUTURE = "date_in_future"
    BAD_QUANTITY = "bad_quantity"
    BAD_AMOUNT = "bad_amount"
    BAD_PAYMENT_METHOD = "bad_payment_method"
    MISSING_RECEIPT = "missing_receipt"
    RECEIPT_TOO_LONG = "receipt_too_long"
    RECEIPT_REPEATED_IN_FILE = "receipt_repeated_in_file"
    RECEIPT_ALREADY_RECORDED = "receipt_already_recorded"
    NOTE_TOO_LONG = "note_too_long"


# The SaleInput field each problem is about (a form shows the message next to it; an import names its column).
PROBLEM_FIELD: dict[LineProblem, str] = {
    LineProblem.UNKNOWN_PRODUCT: "product_id",
    LineProblem.PRODUCT_NOT_CERTIFIED: "product_id",
    LineProblem.OUTLET_NOT_CERTIFIED: "sale_date",
    LineProblem.DATE_IN_FUTURE: "sale_date",
    LineProblem.BAD_QUANTITY: "quantity",
    LineProblem.BAD_AMOUNT: "amount_fen",
    LineProblem.BAD_PAYMENT_METHOD: "payment_method",
    LineProblem.MISSING_RECEIPT: "receipt_no",
    LineProblem.RECEIPT_TOO_LONG: "receipt_no",
    LineProblem.RECEIPT_REPEATED_IN_FILE: "receipt_no",
    LineProblem.RECEIPT_ALREADY_RECORDED: "receipt_no",
    LineProblem.NOTE_TOO_LONG: "note",
}


def message(problem: LineProblem) -> str:
    """The user-facing sentence for a problem (a lazy string, translated when shown)."""
    return {
        LineProblem.UNKNOWN_PRODUCT: _l("No product of the county register has this code."),
        LineProblem.PRODUCT_NOT_CERTIFIED: _l("The product is not certified on the sale date."),
        LineProblem.OUTLET_NOT_CERTIFIED: _l("The outlet is not certified on the sale date."),
        LineProblem.DATE_IN_FUTURE: _l("The sale date is in the future."),
        LineProblem.BAD_QUANTITY: _l("The quantity must be a whole number from 1 to %(max)s.", max=MAX_QUANTITY_TEXT),
        LineProblem.BAD_AMOUNT: _l("The amount must be more than ¥0.00 and at most %(max)s.",
                                   max=format_yuan(MAX_FEN)),
        LineProblem.BAD_PAYMENT_METHOD: _l("Unknown payment method: use cash, WeChat, Alipay, bank card, "
                                           "bank transfer or other."),
        LineProblem.MISSING_RECEIPT: _l("Enter the receipt or invoice number."),
        LineProblem.RECEIPT_TOO_LONG: _l("The receipt number is longer than %(max)d characters.", max=RECEIPT_MAX),
        LineProblem.RECEIPT_REPEATED_IN_FILE: _l("The receipt number appears more than once in this file."),
        LineProblem.RECEIPT_ALREADY_RECORDED: _l("A line with this receipt number is already recorded at this "
                                                 "outlet."),
        LineProblem.NOTE_TOO_LONG: _l("The note is longer than %(max)d characters.", max=NOTE_MAX),
    }[problem]


class LinesRefused(ServiceError):
    """record_lines refused: `problems` holds one list per input (empty for the good ones)."""

    def __init__(self, problems: list[list[LineProblem]]) -> None:
        bad = [(n, p) for n, p in enumerate(problems, start=1) if p]
        first_line, first = bad[0]
        if len(problems) == 1:
            super().__init__(str(message(first[0])), PROBLEM_FIELD[first[0]])
        else:
            super().__init__(str(_l("%(count)d of %(total)d lines cannot be recorded; line %(line)d: %(problem)s",
                                    count=len(bad), total=len(problems), line=first_line,
                                    problem=message(first[0]))))
        self.problems = problems


def _windows(model: type[OutletCertification] | type[ProductCertification], owner: sa.ColumnElement[int],
             ids: Sequence[int]) -> dict[int, list[Window]]:
    """The certification windows of the outlets or products with these ids, by id (one query)."""
    found: dict[int, list[Window]] = defaultdict(list)
    if ids:
        rows = db.session.execute(sa.select(owner, model.valid_from, model.valid_to, model.revoked_on)
                                  .where(owner.in_(ids)))
        for owner_id, start, end, revoked in rows:
            found[owner_id].append(Window(start, end, revoked))
    return found


def _recorded_receipts(outlet: Outlet, receipts: set[str], replacing: OfflineSale | None) -> set[str]:
    """Which of the receipt numbers the outlet has already used (one query): looked up when few, else the
    outlet's numbers are loaded (one indexed scan, cheaper than a huge IN list)."""
    query = sa.select(OfflineSale.receipt_no).where(OfflineSale.outlet_id == outlet.id)
    if replacing is not None and replacing.id is not None:
        query = query.where(OfflineSale.id != replacing.id)
    if not receipts:
        return set()
    if len(receipts) <= SMALL_RECEIPT_LOOKUP:
        query = query.where(OfflineSale.receipt_no.in_(sorted(receipts)))
    return set(db.session.scalars(query)) & receipts


def check_lines(outlet: Outlet, inputs: Sequence[SaleInput], today: date, *,
                replacing: OfflineSale | None = None) -> list[list[LineProblem]]:
    """Every problem of every line, one list per input (empty when the line may be recorded), in a constant
    number of queries. `replacing` is the line being edited or corrected: its own receipt number is free."""
    product_ids = sorted({i.product_id for i in inputs if isinstance(i.product_id, int)})
    known = set(db.session.scalars(sa.select(Product.id).where(Product.id.in_(product_ids)))) if product_ids else set()
    product_windows = _windows(ProductCertification, ProductCertification.product_id, sorted(known))
    outlet_windows = _windows(OutletCertification, OutletCertification.outlet_id, [outlet.id])[outlet.id]
    receipts = [i.receipt_no.strip() for i in inputs]
    repeated = {r for r, n in Counter(receipts).items() if n > 1 and r}
    recorded = _recorded_receipts(outlet, {r for r in receipts if r and len(r) <= RECEIPT_MAX}, replacing)
    methods = {m.value for m in PaymentMethod}
    outlet_on: dict[date, bool] = {}
    result = []
    for line, receipt in zip(inputs, receipts, strict=True):
        problems = []
        day = line.sale_date
        if line.product_id not in known:
            problems.append(LineProblem.UNKNOWN_PRODUCT)
        elif not any(w.holds_on(day) for w in product_windows.get(line.product_id, ())):
            problems.append(LineProblem.PRODUCT_NOT_CERTIFIED)
        if day not in outlet_on:
            outlet_on[day] = any(w.holds_on(day) for w in outlet_windows)
        if not outlet_on[day]:
            problems.append(LineProblem.OUTLET_NOT_CERTIFIED)
        if day > today:
            problems.append(LineProblem.DATE_IN_FUTURE)
        if type(line.quantity) is not int or not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(LineProblem.BAD_QUANTITY)
        if type(line.amount_fen) is not int or not 0 < line.amount_fen <= MAX_FEN:
            problems.append(LineProblem.BAD_AMOUNT)
        if line.payment_method not in methods:
            problems.append(LineProblem.BAD_PAYMENT_METHOD)
        if not receipt:
            problems.append(LineProblem.MISSING_RECEIPT)
        elif len(receipt) > RECEIPT_MAX:
            problems.append(LineProblem.RECEIPT_TOO_LONG)
        else:
            if receipt in repeated:
                problems.append(LineProblem.RECEIPT_REPEATED_IN_FILE)
            if receipt in recorded:
                problems.append(LineProblem.RECEIPT_ALREADY_RECORDED)
        if len(line.note.strip()) > NOTE_MAX:
            problems.append(LineProblem.NOTE_TOO_LONG)
        result.append(problems)
    return result


def sale_values(line: SaleInput) -> dict[str, object]:
    """The columns a checked line writes (receipt number and note trimmed)."""
    return {"sale_date": line.sale_date, "product_id": line.product_id, "quantity": line.quantity,
            "amount_fen": line.amount_fen, "payment_method": line.payment_method,
            "receipt_no": line.receipt_no.strip(), "note": line.note.strip()}


def record_lines(outlet: Outlet, inputs: Sequence[SaleInput], user: User | None, now: datetime, *,
                 batch: OfflineSaleBatch | None = None) -> list[int]:
    """Check and write the lines as unverified, entered by `user` at `now` (in `batch`, if given); their ids,
    in input order. LinesRefused (a ServiceError) and nothing written if any line has a problem. Flushes, never
    commits. No line is loaded as an object (10,000 of them cost seconds): a caller that needs one loads it."""
    problems = check_lines(outlet, inputs, business_date(now))
    if any(problems):
        raise LinesRefused(problems)
    if not inputs:
        return []
    if batch is not None:
        db.session.add(batch)
    db.session.flush()  # the batch needs its id
    if batch is not None and batch.outlet_id != outlet.id:
        raise ValueError("the batch belongs to another outlet")
    common = {"outlet_id": outlet.id, "state": SaleState.UNVERIFIED.value, "entered_at": now,
              "entered_by_id": user.id if user is not None else None,
              "batch_id": batch.id if batch is not None else None}
    rows = [sale_values(line) for line in inputs]
    # The rows come back in no promised order (asking for the parameters' order makes SQLite insert row by
    # row), so the ids are put back in order by their receipt numbers, which are unique at the outlet.
    try:
        with statement_savepoint():  # a receipt number taken meanwhile (another clerk, another import)
            inserted = _insert(common, rows)
    except sa.exc.IntegrityError:
        raise ServiceError(_l("A receipt number was recorded at this outlet a moment ago: check the lines again."),
                           "receipt_no") from None
    ids = [inserted[row["receipt_no"]] for row in rows]
    refresh_risks(ids)
    return ids


_VARYING = (("sale_date", sa.Date()), ("product_id", sa.Integer()), ("quantity", sa.Integer()),
            ("amount_fen", sa.Integer()), ("payment_method", sa.String()), ("receipt_no", sa.String()),
            ("note", sa.String()))


def _insert(common: dict[str, object], rows: list[dict[str, object]]) -> dict[str, int]:
    """Insert the rows (each with the `common` columns); their ids by receipt number, in one or a few statements.

    SQLite: batched multi-row INSERT ... VALUES ... RETURNING. PostgreSQL: one INSERT ... SELECT FROM
    unnest(one array per column) RETURNING, because psycopg parses the text of a multi-row VALUES for its
    placeholders (120,000 of them for 10,000 lines: seconds), while seven arrays are seven parameters."""
    returning = (_SALES.c.receipt_no, _SALES.c.id)
    if db.session.get_bind().dialect.name != "postgresql":
        result = db.session.execute(sa.insert(_SALES).returning(*returning), [{**common, **row} for row in rows])
    else:
        names = [name for name, _kind in _VARYING]
        arrays = sa.func.unnest(*(
            sa.cast(sa.bindparam(f"{name}_list", [row[name] for row in rows]), sa.ARRAY(kind))
            for name, kind in _VARYING
        )).table_valued(*(sa.column(name, kind) for name, kind in _VARYING)).render_derived()
        source = sa.select(*(sa.cast(value, _SALES.c[key].type) for key, value in common.items()),
                           *(arrays.c[name] for name in names))
        result = db.session.execute(sa.insert(_SALES).from_select([*common, *names], source).returning(*returning))
    return {receipt: sale_id for receipt, sale_id in result}
