"""Checkout form: pickup or delivery, contact, address, payment method."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Regexp, ValidationError

from market.forms import MOBILE, length, required
from market.payments import get_provider
from market.services.ordering import checkout as checkouts
from market.web_input import coerce_id

PAYMENT_LABELS = {"pickup": _l("Pay at the outlet when collecting"), "stripe": _l("Pay online now")}


class CheckoutForm(FlaskForm):
    """Where the orders go and how they are paid."""

    fulfilment = RadioField(
        _l("Delivery"), choices=[("pickup", _l("Pick up at the outlet")), ("delivery", _l("Deliver to an address"))],
        default="pickup", validators=[required()],
    )
    recipient = StringField(_l("Recipient"), validators=[required(), length(40)])
    phone = StringField(
        _l("Mobile number"),
        validators=[required(), Regexp(MOBILE, message=_l("Enter an 11-digit mainland mobile number."))],
    )
    saved_address = SelectField(_l("Saved address"), choices=[], coerce=coerce_id, validate_choice=True, default=0)
    province = StringField(_l("Province"), validators=[length(20)])
    city = StringField(_l("City"), validators=[length(20)])
    county = StringField(_l("County / district"), validators=[length(20)])
    detail = StringField(_l("Street and house number"), validators=[length(120)])
    save_address = BooleanField(_l("Save this address"))
    payment = RadioField(_l("Payment"), choices=[], validators=[required()])
    submit = SubmitField(_l("Place order"))

    def validate_detail(self, field: StringField) -> None:
        """A delivery needs the whole address unless a saved one is chosen (no Optional() on these
        fields: it would stop the chain before this check)."""
        if self.fulfilment.data != "delivery" or self.saved_address.data:
            return
        missing = [p for p in (self.province, self.city, self.county, field) if not (p.data or "").strip()]
        for part in missing:
            if part is not field:
                part.errors = [*part.errors, str(_l("Required for delivery."))]
        if missing:
            raise ValidationError(_l("Required for delivery.") if field in missing
                                  else _l("Complete the address for delivery."))

    def validate_payment(self, field: RadioField) -> None:
        """Said at once with the other fields' errors; the rule itself is the checkout service's."""
        if field.data in PAYMENT_LABELS and self.fulfilment.data == "delivery" \
                and not checkouts.delivery_allowed(get_provider(field.data)):
            raise ValidationError(_l("Paying at the outlet is only possible for pickup orders."))
