"""Starting an online payment, at checkout or again later: the provider's page the buyer is sent to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from market.models import Order, Payment, User
from market.payments import PaymentPages, ProviderError, get_provider
from market.services.errors import ServiceError
from market.services.ordering import payments

PaymentPagesFor = Callable[[int], PaymentPages]  # a payment id -> where the provider sends the buyer back


class PaymentNotStarted(ServiceError):
    """The provider refused or failed to start the payment; the orders stay payable from their page."""

    def __init__(self, message: str, order_number: str) -> None:
        super().__init__(message)
        self.order_number = order_number


def start_online_payment(payment: Payment, orders: list[Order], pages: PaymentPages, now: datetime) -> str | None:
    """Ask the payment's provider for the page where the buyer pays these orders (None: nothing to do online).

    A provider refusal becomes PaymentNotStarted with a message the buyer can act on; the orders stay payable.
    """
    try:
        return get_provider(payment.provider).start(payment, orders, pages, now)
    except ProviderError as err:
        raise PaymentNotStarted(str(err), orders[0].number) from None


def pay_again(user: User, payment_id: int, pages: PaymentPagesFor, now: datetime) -> tuple[Payment, str | None]:
    """Start a new attempt for the user's own payment whose orders are still payable (LookupError if it is not
    theirs). Returns the payment and the provider's page."""
    payment = payments.owned_payment(user, payment_id)
    if payment is None:
        raise LookupError(payment_id)
    orders = payments.payable_orders(payment, now)
    return payment, start_online_payment(payment, orders, pages(payment.id), now)
