"""Offline sales imported from a spreadsheet: the column set, the preview (every row with its errors), the import
of all rows as one batch in one transaction (or nothing), and withdrawing a whole batch while it is unverified.

The rows are read by the shared machinery (`services/spreadsheets`), products found by their code (商品编码), and
every line checked by `recording.check_lines`, the same checks as hand entry. Nothing is imported unless every
row is valid; the view or command commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.domain.dates import business_date
from market.domain.offline_sale import NOTE_MAX, RECEIPT_MAX, PaymentMethod, SaleAction, SaleActor, next_state
from market.domain.transitions import TransitionRefused
from market.extensions import db
from market.models import OfflineSale, OfflineSaleBatch, Outlet, Product, User
from market.services.accounts import audit
from market.services.errors import ServiceError
from market.services.sales.recording import (
    MAX_QUANTITY,
    PROBLEM_FIELD,
    LineProblem,
    LinesRefused,
    SaleInput,
    check_lines,
    message,
    record_lines,
)
from market.services.sales.risk import neighbours, refresh_risks
from market.services.spreadsheets.columns import (
    CellError,
    Column,
    ColumnSet,
    Preview,
    calendar_date,
    choice,
    inspect,
    money_fen,
    text,
    whole_number,
)
from market.services.spreadsheets.export import Cell
from market.services.spreadsheets.reading import Table, column_letter, read_table
from market.services.uploads import delete_after_commit

# Chinese labels and English codes of the payment methods (付款方式), as outlets write them.
PAYMENT_NAMES = {"现金": "cash", "微信": "wechat", "微信支付": "wechat", "支付宝": "alipay", "银行卡": "bank_card",
                 "刷卡": "bank_card", "银行转账": "bank_transfer", "转账": "bank_transfer", "其他": "other",
                 **{m.value: m.value for m in PaymentMethod}}  # matched without case, spaces or underscores

COLUMNS = ColumnSet((
    Column("sale_date", ("日期", "date", "sale_date"), calendar_date),
    Column("sku", ("商品编码", "sku", "product_code"), text(40)),
    Column("quantity", ("数量", "quantity"), whole_number(1, MAX_QUANTITY)),
    Column("amount_fen", ("金额", "amount"), money_fen),
    Column("receipt_no", ("小票号", "receipt_no", "receipt"), text(RECEIPT_MAX)),
    Column("payment_method", ("付款方式", "payment_method"),
           choice(PAYMENT_NAMES, "现金, 微信, 支付宝, 银行卡, 银行转账, 其他 (cash, wechat, alipay, bank_card, "
                                 "bank_transfer, other)"), required=False, default="cash"),
    Column("note", ("备注", "note"), text(NOTE_MAX), required=False, default=""),
))
# What each column holds, shown beside its name on the import page (the template has no example row).
COLUMN_FORMATS = {
    "sale_date": _l("The sale date as YYYY-MM-DD (2026-11-03), or a date cell."),
    "sku": _l("The product code (商品编码) of a product certified for your outlet, such as LX-P-001."),
    "quantity": _l("A whole number from 1 to %(max)s.", max=f"{MAX_QUANTITY:,}"),
    "amount_fen": _l("The amount received in yuan, with at most two decimals (45.50); no ¥ sign needed."),
    "receipt_no": _l("The receipt or invoice number, at most %(max)d characters; unique at your outlet.",
                     max=RECEIPT_MAX),
    "payment_method": _l("One of 现金, 微信, 支付宝, 银行卡, 银行转账, 其他 (or cash, wechat, alipay, bank_card, "
                         "bank_transfer, other). Empty means cash."),
    "note": _l("Anything worth knowing, at most %(max)d characters.", max=NOTE_MAX),
}
# check_lines names the SaleInput field a problem is about; the preview names the spreadsheet column.
_FIELD_COLUMN = {"product_id": "sku", "sale_date": "sale_date", "quantity": "quantity", "amount_fen": "amount_fen",
                 "payment_method": "payment_method", "receipt_no": "receipt_no", "note": "note"}


@dataclass
class SalesPreview:
    """An upload checked row by row: the preview, and the lines to record when every row is valid."""

    preview: Preview
    inputs: list[SaleInput]

    @property
    def ok(self) -> bool:
        """Whether every row is valid (and there is at least one)."""
        return self.preview.ok

    @property
    def total_fen(self) -> int:
        """The sum of the valid rows' amounts."""
        return sum(line.amount_fen for line in self.inputs)


class ImportRefused(ServiceError):
    """The upload has rows with errors: nothing was imported; `preview` says which and why."""

    def __init__(self, preview: SalesPreview) -> None:
        bad = preview.preview.bad_rows
        super().__init__(str(_l("%(count)d rows have errors: nothing was imported.", count=len(bad))), "file")
        self.preview = preview


def _products_by_code() -> dict[str, int]:
    """Product id by code (upper case) for the whole county register: one query, a few hundred rows."""
    return {sku.upper(): pid for sku, pid in db.session.execute(sa.select(Product.sku, Product.id))}


def preview_upload(outlet: Outlet, data: bytes, today: date, *,
                   progress: Callable[[int], None] | None = None) -> SalesPreview:
    """Every row of the upload with its errors, in a constant number of queries; SpreadsheetRefused when the
    file cannot be read at all or a required column is missing. `progress` is told of rows read."""
    return preview_table(outlet, read_table(data, progress=progress), today)


def preview_table(outlet: Outlet, table: Table, today: date, *, progress: Callable[[int], None] | None = None,
                  check: bool = True) -> SalesPreview:
    """Every row of a table read from an upload with its errors; `progress` is told of rows checked. Without
    `check`, only what the cells themselves say (no check_lines: the import leaves that to record_lines)."""
    positions = COLUMNS.locate(table.header)
    preview = inspect(table.rows, COLUMNS, positions)
    if progress is not None:
        progress(len(table.rows))
    products = _products_by_code()
    lines: list[SaleInput] = []
    stand_ins: list[set[str]] = []
    for row in preview.rows:
        sku = row.values.get("sku")
        product_id = products.get(sku.upper()) if sku else None
        if sku and product_id is None:
            row.errors.append(_error(positions, row.number, "sku", message(LineProblem.UNKNOWN_PRODUCT)))
        line, stand_in = _line(row.values, product_id, today)
        lines.append(line)
        stand_ins.append(stand_in)
    if not check:
        return SalesPreview(preview, lines if preview.ok else [])
    order = {column.label: positions.get(column.key, len(positions)) for column in COLUMNS.columns}
    # Every row goes through check_lines, so that a bad row's receipt number still counts among the file's; the
    # problems of a cell that could not be read (checked with a stand-in value) are not reported.
    for row, found, stand_in in zip(preview.rows, check_lines(outlet, lines, today), stand_ins, strict=True):
        for problem in found:
            key = _FIELD_COLUMN[PROBLEM_FIELD[problem]]
            if key not in stand_in:
                row.errors.append(_error(positions, row.number, key, message(problem)))
        if found or len(row.errors) > 1:
            row.errors.sort(key=lambda error: order[error.column])  # left to right, as the spreadsheet shows them
    return SalesPreview(preview, lines if preview.ok else [])


def _line(values: dict[str, Any], product_id: int | None, today: date) -> tuple[SaleInput, set[str]]:
    """The line to check for a row, and the keys of the values that stand in for cells that could not be read
    (a product's certification is not judged without its product or date)."""
    stand_in = {key for key, value in values.items() if value is None}
    if product_id is None or "sale_date" in stand_in:
        stand_in.add("sku")
    line = SaleInput(values["sale_date"] or today, product_id or 0,
                     1 if values["quantity"] is None else values["quantity"],
                     1 if values["amount_fen"] is None else values["amount_fen"],
                     values["payment_method"] or PaymentMethod.CASH.value, values["receipt_no"] or "",
                     values["note"] or "")
    return line, stand_in


def _error(positions: dict[str, int], number: int, key: str, text: object) -> CellError:
    """An error in the row's cell of column `key` (the row as a whole when the file has no such column)."""
    column = next(c for c in COLUMNS.columns if c.key == key)
    index = positions.get(key)
    return CellError("" if index is None else f"{column_letter(index)}{number}", column.label, text)


def import_upload(outlet: Outlet, data: bytes, file_name: str, user: User, now: datetime) -> OfflineSaleBatch:
    """Read and check the upload again and record all its rows as one batch entered by `user` at `now`;
    ImportRefused (nothing written) if any row has an error. Flushes, never commits: the caller commits once."""
    return import_table(outlet, read_table(data), file_name, user, now)


def import_table(outlet: Outlet, table: Table, file_name: str, user: User, now: datetime, *,
                 progress: Callable[[int], None] | None = None) -> OfflineSaleBatch:
    """Check a table read from an upload and record all its rows as one batch (see import_upload); `progress`
    is told of rows checked, then of rows written."""
    today = business_date(now)
    parsed = preview_table(outlet, table, today, progress=progress, check=False)
    if not parsed.ok:
        raise ImportRefused(preview_table(outlet, table, today))
    batch = OfflineSaleBatch(outlet_id=outlet.id, file_name=(file_name or "upload")[:200], entered_by_id=user.id,
                             created_at=now, row_count=len(parsed.inputs), total_fen=parsed.total_fen)
    try:
        record_lines(outlet, parsed.inputs, user, now, batch=batch)  # checks every line first, as the preview did
    except LinesRefused:
        raise ImportRefused(preview_table(outlet, table, today)) from None
    audit.record(user, "offline_sale_batch.import", batch,
                 after={"outlet_id": outlet.id, "file_name": batch.file_name, "rows": batch.row_count,
                        "total_fen": batch.total_fen})
    if progress is not None:
        progress(batch.row_count)
    return batch


def outlet_batch(outlet: Outlet, batch_id: int) -> OfflineSaleBatch | None:
    """The outlet's batch with this id; None for another outlet's (answered like a missing one)."""
    return db.session.scalar(sa.select(OfflineSaleBatch).where(
        OfflineSaleBatch.id == batch_id, OfflineSaleBatch.outlet_id == outlet.id))


@dataclass(frozen=True)
class BatchRow:
    """A batch in the outlet's list, with how many of its lines are in each state now."""

    batch: OfflineSaleBatch
    states: dict[str, int]

    @property
    def withdrawable(self) -> bool:
        """Whether the outlet may withdraw it: not withdrawn, and every remaining line unverified."""
        return self.batch.withdrawn_at is None and set(self.states) <= {"unverified"}


def outlet_batches(outlet: Outlet, limit: int = 50) -> list[BatchRow]:
    """The outlet's latest batches, newest first, with their lines counted by state (two queries)."""
    batches = list(db.session.scalars(sa.select(OfflineSaleBatch).where(OfflineSaleBatch.outlet_id == outlet.id)
                                      .order_by(OfflineSaleBatch.id.desc()).limit(limit)))
    counts: dict[int, dict[str, int]] = {b.id: {} for b in batches}
    if batches:
        rows = db.session.execute(sa.select(OfflineSale.batch_id, OfflineSale.state, sa.func.count())
                                  .where(OfflineSale.batch_id.in_(list(counts)))
                                  .group_by(OfflineSale.batch_id, OfflineSale.state))
        for batch_id, state, count in rows:
            counts[batch_id][state] = count
    return [BatchRow(b, counts[b.id]) for b in batches]


def withdraw_batch(batch: OfflineSaleBatch, user: User, now: datetime) -> OfflineSaleBatch:
    """Delete the batch's lines, all of which must be unverified (the line's state machine decides), judge the
    risk signals of the lines they were grouped with again, and mark the batch withdrawn; ServiceError otherwise.
    A line verified meanwhile makes the delete come up short, and the whole withdrawal is refused. Audited.
    Flushes, never commits."""
    taken = db.session.execute(  # a compare-and-set: of two withdrawals at once, one goes on
        sa.update(OfflineSaleBatch).where(OfflineSaleBatch.id == batch.id, OfflineSaleBatch.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by_id=user.id).execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise ServiceError(str(_l("This batch has already been withdrawn.")))
    lines = db.session.execute(sa.select(OfflineSale.id, OfflineSale.state, OfflineSale.photo_key,
                                         OfflineSale.photo_thumb_key).where(OfflineSale.batch_id == batch.id)).all()
    states = [line.state for line in lines]
    try:
        for state in set(states):
            next_state(state, SaleAction.DELETE, SaleActor.OUTLET)
    except TransitionRefused:
        raise ServiceError(str(_l("Only a batch whose lines are all unverified can be withdrawn: the county has "
                                  "already checked some of its lines."))) from None
    around = neighbours([line.id for line in lines])  # lines whose risk signals these lines take part in
    deleted = db.session.execute(sa.delete(OfflineSale).where(
        OfflineSale.batch_id == batch.id, OfflineSale.state == "unverified")).rowcount
    if deleted != len(states):
        raise ServiceError(str(_l("The county checked some lines of this batch just now: it cannot be withdrawn.")))
    refresh_risks(sorted(around))
    delete_after_commit(db.session, [key for line in lines for key in (line.photo_key, line.photo_thumb_key) if key])
    db.session.refresh(batch)
    audit.record(user, "offline_sale_batch.withdraw", batch, before={"lines": len(states)},
                 after={"lines": 0, "withdrawn_at": now.isoformat()})
    return batch


def template() -> tuple[list[str], list[list[Cell]]]:
    """The import template for `export.csv_bytes`/`xlsx_bytes`: the header only (the Chinese names; the import
    also reads the English ones). No example row: a template uploaded unchanged must not create a sale; the
    import page explains each column's format (`COLUMN_FORMATS`)."""
    return [column.label for column in COLUMNS.columns], []
