"""Forms of the outlet's offline sales: one line typed by hand (phone first), the list's filters and the
buttons that withdraw or delete a line."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from market.domain.money import MAX_FEN, AmountError, format_yuan, parse_yuan
from market.domain.offline_sale import NOTE_MAX, RECEIPT_MAX, PaymentMethod, SaleState
from market.forms import length, required
from market.models import Product
from market.outlet.listing_forms import CountField
from market.services.sales.recording import MAX_QUANTITY, SaleInput
from market.services.sales.wording import PAYMENT_LABELS, STATE_LABELS
from market.web_input import coerce_id


class AmountField(StringField):
    """The amount received, typed in yuan and read into fen by the portal's one money parser."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.fen: int | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Keep the text as typed (shown again on errors) and parse it into fen."""
        super().process_formdata(valuelist)
        self.fen = None
        try:
            self.fen = parse_yuan(self.data or "", max_fen=MAX_FEN)
        except AmountError as err:
            raise ValueError(str({
                "empty": _l("Enter the amount received in yuan, such as 136.50."),
                "negative": _l("An amount cannot be negative."),
                "decimals": _l("At most two decimals (fen)."),
                "decimal_comma": _l("Use a point for the decimals: 12.50, not 12,50."),
                "too_large": _l("At most %(max)s.", max=format_yuan(MAX_FEN)),
            }.get(err.problem, _l("Write the amount in yuan, like 1,234.50.")))) from None


class QuantityField(CountField):
    """The quantity sold: any whole number is read, so a negative or very long one gets the range message of
    `_quantity_in_range` rather than "whole numbers only"; other text gets the count field's message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read a signed run of ASCII digits (a huge one as a number past the range); else as CountField."""
        text = (valuelist[0] if valuelist and isinstance(valuelist[0], str) else "").strip()
        found = _SIGNED_DIGITS.fullmatch(text)
        if found is None:
            super().process_formdata(valuelist)
            return
        self.data = text
        digits = found.group(2).lstrip("0") or "0"
        size = int(digits) if len(digits) <= 12 else 10 ** 12  # far past the range; never a giant int
        self.number = -size if found.group(1) == "-" else size


_SIGNED_DIGITS = re.compile(r"([+-]?)([0-9]+)")


def _quantity_in_range(form: FlaskForm, field: CountField) -> None:
    if field.number is not None and not 1 <= field.number <= MAX_QUANTITY:
        raise ValidationError(str(_l("Enter a number from %(low)d to %(high)d.", low=1, high=MAX_QUANTITY)))


class SaleForm(FlaskForm):
    """One counter sale: date, product, quantity, amount, payment, receipt number, photo and note."""

    sale_date = DateField(_l("Sale date"), validators=[InputRequired(message=_l("Enter the date of the sale."))])
    product_id = SelectField(_l("Product"), coerce=coerce_id, choices=[], validate_choice=False,
                             validators=[InputRequired(message=_l("Choose the product sold."))])
    quantity = QuantityField(_l("Quantity (packs)"), default="1", validators=[required(), _quantity_in_range],
                             render_kw={"inputmode": "numeric"})
    amount = AmountField(_l("Amount received (¥)"), validators=[required()], render_kw={"inputmode": "decimal"})
    payment_method = SelectField(_l("Payment method"), default=PaymentMethod.CASH.value,
                                 choices=[(m.value, PAYMENT_LABELS[m]) for m in PaymentMethod])
    receipt_no = StringField(_l("Receipt or invoice number"), validators=[required(), length(RECEIPT_MAX)])
    photo = FileField(_l("Photo of the receipt (optional)"))
    remove_photo = BooleanField(_l("Remove the photo kept with this line"))
    note = StringField(_l("Note (optional)"), validators=[length(NOTE_MAX)])
    submit = SubmitField(_l("Record the sale"))

    def offer(self, listed: list[Product], others: list[Product], english: bool) -> None:
        """The product choices: the outlet's listed products first, then the register's other certified ones.
        Each option begins with the product code, so typing the code's first characters reaches it (a select's
        own type-ahead; no script), and the name follows."""
        def named(p: Product) -> tuple[int, str]:
            return p.id, f"{p.sku} · {p.name_en if english else p.name_zh}"
        groups: dict[str, list[tuple[int, str]]] = {}
        if listed:
            groups[str(_l("Listed by this outlet"))] = [named(p) for p in listed]
        if others:
            groups[str(_l("Other certified products"))] = [named(p) for p in others]
        self.product_id.choices = groups  # type: ignore[assignment]

    def sale_input(self) -> SaleInput:
        """The typed line, for the recording service to check."""
        return SaleInput(sale_date=self.sale_date.data or date.min, product_id=self.product_id.data or 0,
                         quantity=self.quantity.number or 0, amount_fen=self.amount.fen or 0,
                         payment_method=self.payment_method.data or "", receipt_no=self.receipt_no.data or "",
                         note=self.note.data or "")


SERVICE_FIELDS = {"amount_fen": "amount"}  # the recording service's field names that differ from the form's


class LineActionForm(FlaskForm):
    """Withdrawing or deleting a line: a button and the CSRF token."""


STATE_CHOICES = [("", _l("Any state"))] + [(s.value, STATE_LABELS[s]) for s in SaleState]
