"""How offline sale lines read to people: the names of states and payment methods, and the outlet's export
table (the same lines as the list, as spreadsheet cells)."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l

from market.domain.offline_sale import PaymentMethod, SaleState
from market.models import Outlet
from market.services.sales.lines import SaleFilter, export_lines
from market.services.spreadsheets.export import Cell, Yuan

STATE_LABELS = {
    SaleState.UNVERIFIED: _l("Waiting for the county"),
    SaleState.VERIFIED: _l("Verified"),
    SaleState.REJECTED: _l("Rejected"),
    SaleState.WITHDRAWN: _l("Withdrawn"),
}
PAYMENT_LABELS = {
    PaymentMethod.CASH: _l("Cash"),
    PaymentMethod.WECHAT: _l("WeChat Pay"),
    PaymentMethod.ALIPAY: _l("Alipay"),
    PaymentMethod.BANK_CARD: _l("Bank card"),
    PaymentMethod.BANK_TRANSFER: _l("Bank transfer"),
    PaymentMethod.OTHER: _l("Other"),
}
EXPORT_HEADER = (_l("Line"), _l("Sale date"), _l("Receipt number"), _l("Product code"), _l("Product"),
                 _l("Quantity"), _l("Amount (yuan)"), _l("Payment method"), _l("State"), _l("Reason"),
                 _l("Batch"), _l("Note"))


def export_table(outlet: Outlet, criteria: SaleFilter, english: bool = False) -> tuple[list[str], Iterator[list[Cell]]]:
    """The header and the rows of the outlet's lines under the filter, in the reader's language."""
    header = [str(h) for h in EXPORT_HEADER]
    states = {k: str(v) for k, v in STATE_LABELS.items()}
    methods = {k: str(v) for k, v in PAYMENT_LABELS.items()}

    def rows() -> Iterator[list[Cell]]:
        for r in export_lines(outlet, criteria):
            yield [f"OFF-{r.id}", r.sale_date, r.receipt_no, r.sku, r.name_en if english else r.name_zh,
                   r.quantity, Yuan(r.amount_fen), methods.get(r.payment_method, r.payment_method),
                   states.get(r.state, r.state), r.reason or "", r.batch_id, r.note]

    return header, rows()
