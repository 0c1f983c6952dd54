"""The order desk's forms and the names it shows: shipping, cancelling with a reason, the counter's code."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from market.domain.payment_flow import PaymentStatus
from market.domain.refund_flow import RefundStatus
from market.forms import length, required
from market.services.ordering.desk import DeskTab


class ShipForm(FlaskForm):
    """A delivery order leaves the outlet: with whom, under which tracking number."""

    carrier = StringField(_l("Carrier"), validators=[required(), length(40)])
    tracking_number = StringField(_l("Tracking number"), validators=[required(), length(60)])
    submit = SubmitField(_l("Mark shipped"))


class CancelForm(FlaskForm):
    """The confirmation of a cancel, with the reason the buyer will read."""

    reason = TextAreaField(_l("Reason (the buyer sees it)"), validators=[required(), length(200)])
    submit = SubmitField(_l("Yes, cancel the order"))


def _as_typed(value: str | None) -> str | None:
    """The code as the buyer reads it out: spaces dropped, full-width digits (an IME's) made ASCII."""
    return "".join(unicodedata.normalize("NFKC", value).split()) if value else value


class CounterForm(FlaskForm):
    """The pickup code the buyer shows at the counter."""

    code = StringField(_l("Pickup code"), filters=[_as_typed], validators=[required(), length(6)])
    submit = SubmitField(_l("Hand over"))


DESK_TABS = {
    DeskTab.TO_PREPARE: _l("To prepare"),
    DeskTab.READY: _l("Ready for pickup"),
    DeskTab.SHIPPED: _l("Shipped"),
    DeskTab.COMPLETED: _l("Completed"),
    DeskTab.CANCELLED: _l("Cancelled"),
    DeskTab.REFUNDS: _l("Refund requests"),
    DeskTab.ALL: _l("All"),
}
PAYMENT_STATUSES = {
    PaymentStatus.PENDING: _l("Not paid yet"),
    PaymentStatus.SUCCEEDED: _l("Paid"),
    PaymentStatus.FAILED: _l("Payment failed"),
    PaymentStatus.CANCELLED: _l("Payment cancelled"),
}
REFUND_STATUSES = {
    RefundStatus.REQUESTED: _l("Requested"),
    RefundStatus.ACCEPTED: _l("Accepted, being sent"),
    RefundStatus.REFUSED: _l("Refused"),
    RefundStatus.SUCCEEDED: _l("Refunded"),
    RefundStatus.FAILED: _l("Refund failed"),
}
DESK_NAMES = {"desk_tabs": DESK_TABS, "payment_statuses": PAYMENT_STATUSES, "refund_statuses": REFUND_STATUSES}
