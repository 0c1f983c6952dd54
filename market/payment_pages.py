"""Where an online payment provider sends the buyer back: the absolute URLs of the payment return page."""

from __future__ import annotations

from flask import current_app, url_for

from market.payments import PaymentPages


def payment_pages(payment_id: int) -> PaymentPages:
    """The return page of this payment, after paying and after giving up (MARKET_PUBLIC_URL based)."""
    back = current_app.config["MARKET_PUBLIC_URL"] + url_for("account.payment_return", payment_id=payment_id)
    return PaymentPages(success_url=back + "?result=success", cancel_url=back + "?result=cancel")
