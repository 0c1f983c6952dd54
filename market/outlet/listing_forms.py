"""Forms of the outlet's listing pages: amounts in yuan through the one money parser, counts as ASCII digits."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from market.domain.money import AmountError, format_yuan, parse_yuan
from market.domain.stock import MANUAL_REASONS, StockReason
from market.forms import length, required
from market.web_input import coerce_id

MAX_PRICE_FEN = 200_000  # ¥2,000.00 a pack: above any pack of produce, and a line of 9,999 packs fits a 32-bit column
MAX_STOCK = 1_000_000
MAX_MIN_QUANTITY = 9999
MONTHS = [("", _l("All year"))] + [(str(m), str(m)) for m in range(1, 13)]
_WHOLE = re.compile(r"[0-9]{1,7}")
_SIGNED = re.compile(r"[+-]?[0-9]{1,7}")


def amount_message(err: AmountError, max_fen: int) -> str:
    """The form's wording of why parse_yuan refused an amount."""
    return {
        "empty": _l("Enter a price in yuan, such as 12.50."),
        "negative": _l("A price cannot be negative."),
        "decimals": _l("At most two decimals (fen)."),
        "decimal_comma": _l("Use a point for the decimals: 12.50, not 12,50."),
        "too_large": _l("At most %(max)s.", max=format_yuan(max_fen)),
    }.get(err.problem, _l("Write the price in yuan, like 1,234.50."))


class YuanField(StringField):
    """An amount typed in yuan, read into fen by parse_yuan (data: int fen, or None when refused)."""

    def __init__(self, label: Any = None, validators: Any = None, max_fen: int = MAX_PRICE_FEN, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.max_fen = max_fen
        self.fen: int | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Keep the text as typed (shown again on errors) and parse it into fen."""
        super().process_formdata(valuelist)
        self.fen = None
        try:
            self.fen = parse_yuan(self.data or "", max_fen=self.max_fen)
        except AmountError as err:
            raise ValueError(str(amount_message(err, self.max_fen))) from None


class CountField(StringField):
    """A whole number of units in ASCII digits (WTForms' IntegerField takes other scripts' digits and signs)."""

    def __init__(self, label: Any = None, validators: Any = None, signed: bool = False, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.signed = signed
        self.number: int | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the digits; a refused text is shown again with the message."""
        super().process_formdata(valuelist)
        self.number = None
        text = (self.data or "").strip()
        if not (_SIGNED if self.signed else _WHOLE).fullmatch(text):
            raise ValueError(str(_l("Enter a whole number, such as 20.") if not self.signed
                                 else _l("Enter a whole number of units, such as 5 or -3.")))
        self.number = int(text)


def _count_between(low: int, high: int) -> Any:
    """A validator: the parsed count lies in [low, high]."""
    def check(form: FlaskForm, field: CountField) -> None:
        if field.number is not None and not low <= field.number <= high:
            raise ValidationError(str(_l("Enter a number from %(low)d to %(high)d.", low=low, high=high)))
    return check


class ListingTermsForm(FlaskForm):
    """Price, pack unit, minimum order, season and active flag of a listing."""

    price = YuanField(_l("Price per pack (¥)"), validators=[required()])
    unit = StringField(_l("Pack unit (e.g. 箱, 袋, 瓶)"), validators=[required(), length(20)])
    min_quantity = CountField(_l("Minimum order quantity"), default="1",
                              validators=[required(), _count_between(1, MAX_MIN_QUANTITY)])
    season_start = SelectField(_l("Season from month"), choices=MONTHS, default="")
    season_end = SelectField(_l("Season to month"), choices=MONTHS, default="")
    active = BooleanField(_l("Offered to buyers"), default=True)
    submit = SubmitField(_l("Save"))

    def season(self) -> tuple[int | None, int | None]:
        """The season window's months (None: all year)."""
        return (int(self.season_start.data) if self.season_start.data else None,
                int(self.season_end.data) if self.season_end.data else None)


class NewListingForm(ListingTermsForm):
    """A new listing: the product and its opening stock too."""

    product_id = SelectField(_l("Certified product"), coerce=coerce_id, choices=[], validate_choice=False,
                             validators=[InputRequired(message=_l("This field is required."))])
    stock = CountField(_l("Opening stock (units)"), validators=[required(), _count_between(0, MAX_STOCK)],
                       default="0")
    submit = SubmitField(_l("Create the listing"))


class StockChangeForm(FlaskForm):
    """A restock, a damage write-off or a correction, in units."""

    reason = SelectField(_l("Reason"), choices=[], validators=[required()])
    quantity = CountField(_l("Units"), signed=True, validators=[required(), _count_between(-MAX_STOCK, MAX_STOCK)])
    submit = SubmitField(_l("Record the change"))

    def change(self) -> tuple[StockReason, int]:
        """The reason and the signed change: units written off count down, a correction as typed."""
        reason = StockReason(self.reason.data)
        number = self.quantity.number or 0
        return reason, -number if reason is StockReason.DAMAGE and number > 0 else number


def stock_reason_choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """The reasons staff may choose, labelled."""
    return [(r.value, labels[r.value]) for r in MANUAL_REASONS]


class PriceTierForm(FlaskForm):
    """A quantity tier: from N units on, a lower unit price."""

    min_quantity = CountField(_l("From quantity"), validators=[required(), _count_between(2, MAX_MIN_QUANTITY)])
    price = YuanField(_l("Unit price (¥)"), validators=[required()])
    submit = SubmitField(_l("Add the tier"))
