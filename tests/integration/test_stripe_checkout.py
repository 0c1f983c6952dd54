"""Paying online through the real `stripe` library against a loopback fake: the Checkout Session we ask
for, what the buyer sees, and provider errors that leave the order payable."""

from __future__ import annotations

import time

from market.extensions import db
from market.models import Listing
from tests.conftest import csrf_token
from tests.integration.stripe_flow import checkout_by_card, orders, the_payment


def test_stripe_is_offered_only_when_configured(client, auth, app):
    from tests.factories import ListingFactory, UserFactory

    UserFactory(email="b@example.com")
    auth.login("b@example.com", "correct-horse-9")
    listing = ListingFactory(stock=3)
    token = csrf_token(client, "/account/")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token})
    assert 'value="stripe"' not in client.get("/cart/checkout").get_data(as_text=True)


def test_checkout_creates_a_cny_session_for_card_alipay_and_wechat(client, auth, app, stripe_fake):
    response, listing = checkout_by_card(client, auth)
    (request,) = [r for r in stripe_fake.requests if r.path == "/v1/checkout/sessions"]
    p = request.params
    payment = the_payment()
    assert response.status_code == 302 and response.headers["Location"].startswith("https://checkout.stripe.com/")
    assert p["mode"] == "payment" and p["currency"] == "cny" and p["locale"] == "zh"
    assert p["allowed_payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert "payment_method_types" not in p
    assert p["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert p["line_items"] == [{"quantity": "2", "price_data": {
        "currency": "cny", "unit_amount": "6800", "product_data": {"name": f"{listing.product.name_zh} (箱)"}}}]
    (order,) = orders()
    assert p["client_reference_id"] == str(payment.id)
    assert p["metadata"] == {"payment_id": str(payment.id), "order_ids": str(order.id), "order_numbers": order.number}
    assert request.idempotency_key == f"market-payment-{payment.id}-attempt-1"
    assert abs(int(p["expires_at"]) - order.hold_until.timestamp()) <= 1
    assert 29 * 60 < int(p["expires_at"]) - time.time() <= 30 * 60
    assert p["success_url"] == f"http://market.example.com/account/payments/{payment.id}/return?result=success"
    assert p["cancel_url"].endswith("?result=cancel")
    assert payment.provider == "stripe" and payment.status == "pending" and payment.amount_fen == 13600
    assert payment.provider_ref == stripe_fake.sessions[payment.provider_ref]["id"]
    assert order.status == "placed" and order.fulfilment == "delivery" and order.city == "南京市"
    assert db.session.get(Listing, listing.id).stock == 8


def test_the_return_page_waits_for_the_webhook_and_marks_nothing_paid(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    payment = the_payment()
    page = client.get(f"/account/payments/{payment.id}/return?result=success").get_data(as_text=True)
    assert "正在确认付款" in page and 'http-equiv="refresh"' in page
    assert the_payment().status == "pending" and orders()[0].paid_at is None
    assert "您已离开支付页面" in client.get(f"/account/payments/{payment.id}/return?result=cancel").get_data(
        as_text=True)


def test_english_buyers_get_an_english_checkout_page(client, auth, app, stripe_fake):
    client.get("/lang/en")
    checkout_by_card(client, auth)
    assert stripe_fake.requests[-1].params["locale"] == "en"


def test_a_declined_card_is_explained_and_the_order_stays_payable(client, auth, app, stripe_fake):
    stripe_fake.fail_next(402, "card_error", "Your card was declined.", code="card_declined")
    response, listing = checkout_by_card(client, auth)
    (order,) = orders()
    assert response.headers["Location"] == f"/account/orders/{order.number}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "支付被拒绝" in page and "Your card was declined." in page and "立即付款" in page
    assert order.status == "placed" and db.session.get(Listing, listing.id).stock == 8
    payment = the_payment()
    again = client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": csrf_token(client, "/account/")})
    assert again.headers["Location"].startswith("https://checkout.stripe.com/")
    keys = [r.idempotency_key for r in stripe_fake.requests if r.path == "/v1/checkout/sessions"]
    # The declined attempt was counted with the order: the new one has a key of its own, so Stripe cannot
    # answer it with the saved result of the declined one.
    assert keys == [f"market-payment-{payment.id}-attempt-1", f"market-payment-{payment.id}-attempt-2"]


def test_rate_limits_and_server_errors_reach_the_buyer_as_a_clear_message(client, auth, app, stripe_fake):
    stripe_fake.fail_next(429, "rate_limit_error", "Too many requests")
    response, _ = checkout_by_card(client, auth)
    assert "支付服务繁忙" in client.get(response.headers["Location"]).get_data(as_text=True)
    payment = the_payment()
    stripe_fake.fail_next(500, "api_error", "boom", times=3)  # the client retries twice
    client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": csrf_token(client, "/account/")})
    page = client.get(f"/account/orders/{orders()[0].number}").get_data(as_text=True)
    assert "支付服务暂时不可用" in page
    assert the_payment().status == "pending" and orders()[0].status == "placed"
    ok = client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": csrf_token(client, "/account/")})
    assert ok.headers["Location"].startswith("https://checkout.stripe.com/")


def test_only_the_buyer_can_pay_or_see_a_payment(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    payment = the_payment()
    auth.logout()
    from tests.factories import UserFactory

    UserFactory(email="other@example.com")
    auth.login("other@example.com", "correct-horse-9")
    assert client.get(f"/account/payments/{payment.id}/return").status_code == 404
    token = csrf_token(client, "/account/")
    assert client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": token}).status_code == 404


def test_paying_again_closes_the_earlier_session_first(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    payment = the_payment()
    first = payment.provider_ref
    client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": csrf_token(client, "/account/")})
    assert stripe_fake.sessions[first]["status"] == "expired"
    assert the_payment().provider_ref != first and the_payment().attempts == 2


def test_paying_again_after_the_earlier_session_was_paid_waits_for_its_webhook(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    payment = the_payment()
    stripe_fake.complete_session(payment.provider_ref)
    response = client.post(f"/account/payments/{payment.id}/pay", data={"csrf_token": csrf_token(client, "/account/")},
                           follow_redirects=True)
    assert "刚刚付款" in response.get_data(as_text=True)
    assert len(stripe_fake.sessions) == 1 and the_payment().attempts == 1
