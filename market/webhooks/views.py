"""POST /webhooks/stripe: verify the signature over the raw body, store and apply the event once."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError

from market import clock
from market.extensions import csrf, db
from market.models import WebhookEvent
from market.payments.stripe_provider import WebhookRejected, verify_webhook
from market.services.ordering.webhooks import handle_stripe_event
from market.webhooks import bp


@bp.route("/stripe", methods=["POST"])
@csrf.exempt
def stripe_webhook() -> ResponseReturnValue:
    """Answer 400 (writing nothing) unless Stripe signed exactly these bytes recently; else apply once."""
    secret = current_app.config.get("MARKET_STRIPE_WEBHOOK_SECRET")
    if not secret:
        abort(404)
    try:
        event = verify_webhook(request.get_data(), request.headers.get("Stripe-Signature"), secret)
    except WebhookRejected as rejected:
        current_app.logger.warning("stripe webhook rejected: %s", rejected)
        return jsonify(error="invalid signature"), 400
    try:
        outcome = handle_stripe_event(event, clock.now())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if db.session.get(WebhookEvent, event["id"]) is None:
            raise  # not a duplicate delivery: fail (500) so Stripe delivers it again
        outcome = "duplicate"  # the same event delivered twice at once: the other delivery applied it
    current_app.logger.info("stripe event %s %s: %s", event["id"], event["type"], outcome)
    return jsonify(received=True, outcome=outcome)
