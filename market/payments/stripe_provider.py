"""Stripe Checkout (card, Alipay, WeChat Pay) in CNY; the only module that imports `stripe`.

Orders turn paid only through a verified webhook (market.services.ordering.webhooks), never from a redirect.
Stripe does not onboard mainland-China businesses: a direct WeChat Pay / Alipay provider can sit beside
this one behind the same interface.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import stripe
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from market.payments.base import PaymentPages, ProviderError

if TYPE_CHECKING:
    from market.models import Order, Payment, Refund

stripe.enable_telemetry = False  # no usage reports to Stripe and no telemetry file in the home folder

PAYMENT_METHOD_TYPES = ["card", "alipay", "wechat_pay"]
MIN_EXPIRY = timedelta(minutes=30)  # Stripe's bounds for expires_at
MAX_EXPIRY = timedelta(hours=24)
WEBHOOK_TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE


class WebhookRejected(Exception):
    """The webhook's signature, secret or timestamp did not verify."""


def _client(app: Flask) -> stripe.StripeClient:
    """One client per process and configuration (it keeps its HTTP connections); retries 409 and 5xx."""
    key, base = app.config["MARKET_STRIPE_SECRET_KEY"], app.config.get("MARKET_STRIPE_API_BASE")
    cached = app.extensions.get("market.stripe")
    if cached is None or cached[0] != (key, base):
        client = stripe.StripeClient(api_key=key, base_addresses={"api": base} if base else None,
                                     max_network_retries=2)
        cached = app.extensions["market.stripe"] = ((key, base), client)
    return cached[1]


def _friendly(error: stripe.StripeError) -> ProviderError:
    current_app.logger.warning("stripe error: %s (%s)", error.user_message or error, type(error).__name__)
    if isinstance(error, stripe.CardError):
        return ProviderError(str(_l("The payment was declined: %(reason)s Try another card or method.",
                                    reason=error.user_message or "")))
    if isinstance(error, stripe.RateLimitError):
        return ProviderError(str(_l("The payment service is busy. Wait a moment and pay again.")))
    return ProviderError(str(_l("The payment service is not available right now. Your order is kept; "
                                "try paying again in a few minutes.")))


class StripeProvider:
    """One Checkout Session per payment attempt for all orders of a checkout."""

    name = "stripe"
    per_order = False
    pay_at_pickup = False

    def is_configured(self, app: Flask) -> bool:
        """Offered when the secret key and the webhook secret are both set."""
        return bool(app.config.get("MARKET_STRIPE_SECRET_KEY") and app.config.get("MARKET_STRIPE_WEBHOOK_SECRET"))

    def hold_minutes(self, app: Flask) -> int:
        """MARKET_ORDER_HOLD_MINUTES, kept inside Stripe's 30 min to 24 h session lifetime."""
        minutes = int(app.config["MARKET_ORDER_HOLD_MINUTES"])
        return max(30, min(minutes, 24 * 60))

    def session_params(self, payment: Payment, orders: list[Order], pages: PaymentPages,
                       now: datetime) -> dict[str, Any]:
        """The Checkout Session to create (pure data, so tests can read it)."""
        hold_until = min(o.hold_until for o in orders if o.hold_until) if orders else now + MIN_EXPIRY
        expires = min(max(hold_until, now + MIN_EXPIRY), now + MAX_EXPIRY)
        english = str(get_locale() or "zh") == "en"
        return {
            "mode": "payment",
            "currency": "cny",
            "locale": "en" if english else "zh",
            "allowed_payment_method_types": PAYMENT_METHOD_TYPES,
            "payment_method_options": {"wechat_pay": {"client": "web"}},
            "line_items": [
                {
                    "quantity": line.quantity,
                    "price_data": {
                        "currency": "cny",
                        "unit_amount": line.unit_price_fen,
                        "product_data": {"name": f"{line.name_en if english else line.name_zh} ({line.unit})"},
                    },
                }
                for order in orders
                for line in order.lines
            ],
            "client_reference_id": str(payment.id),
            "metadata": {"payment_id": str(payment.id), "order_ids": ",".join(str(o.id) for o in orders),
                         "order_numbers": ",".join(o.number for o in orders)},
            "payment_intent_data": {"metadata": {"payment_id": str(payment.id)}},
            "expires_at": int(expires.timestamp()),
            "success_url": pages.success_url,
            "cancel_url": pages.cancel_url,
        }

    def start(self, payment: Payment, orders: list[Order], pages: PaymentPages, now: datetime) -> str | None:
        """Create a Checkout Session (idempotent per attempt) and return its URL."""
        client = _client(current_app)
        if payment.provider_ref:  # close the earlier attempt first, so the buyer cannot pay twice
            try:
                client.v1.checkout.sessions.expire(payment.provider_ref)
            except stripe.InvalidRequestError:  # not open any more: maybe just paid; wait for its webhook
                try:
                    current = client.v1.checkout.sessions.retrieve(payment.provider_ref)
                except stripe.StripeError as error:
                    raise _friendly(error) from None
                if current.status == "complete":
                    raise ProviderError(str(_l("This order has just been paid; the confirmation is on its way. "
                                               "Reload the order page in a minute."))) from None
            except stripe.StripeError as error:
                raise _friendly(error) from None
        payment.attempts += 1
        params = self.session_params(payment, orders, pages, now)
        try:
            session = client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": f"market-payment-{payment.id}-attempt-{payment.attempts}"},
            )
        except stripe.StripeError as error:
            raise _friendly(error) from None
        payment.provider_ref = session.id
        return session.url

    def refund(self, refund: Refund, key: str | None = None) -> str | None:
        """Refund through Stripe (idempotent per `key`, or per refund); returns the Stripe refund id."""
        payment = refund.payment
        if payment is None or not payment.provider_payment_ref:
            raise ProviderError(str(_l("This payment cannot be refunded online: it has no Stripe payment.")))
        try:
            created = _client(current_app).v1.refunds.create(
                params={"payment_intent": payment.provider_payment_ref, "amount": refund.amount_fen,
                        "metadata": {"refund_id": str(refund.id), "order_id": str(refund.order_id)}},
                options={"idempotency_key": key or f"market-refund-{refund.id}"},
            )
        except stripe.StripeError as error:
            raise _friendly(error) from None
        return created.id


def verify_webhook(payload: bytes, signature: str | None, secret: str | None) -> dict[str, Any]:
    """The event as a dict if the signature over the raw body verifies within the tolerance."""
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as error:
        raise WebhookRejected(str(error)) from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise WebhookRejected("not an event")
    return event
