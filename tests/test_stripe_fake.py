"""The Stripe fake, exercised through the real stripe-python client (no network beyond 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
import stripe
from stripe._encode import _api_encode

from tests.stripe_fake import StripeFake, decode_form, event_payload, signature_header

SECRET = "whsec_test_secret"


def session_params(**overrides: Any) -> dict[str, Any]:
    """The full parameter set the market sends for one checkout."""
    params: dict[str, Any] = {
        "mode": "payment",
        "currency": "cny",
        "locale": "zh",
        "allowed_payment_method_types": ["card", "alipay", "wechat_pay"],
        "payment_method_options": {"wechat_pay": {"client": "web"}},
        "line_items": [
            {"quantity": 2, "price_data": {"currency": "cny", "unit_amount": 1990,
                                           "product_data": {"name": "陇县苹果 (5 kg)"}}},
            {"quantity": 1, "price_data": {"currency": "cny", "unit_amount": 3500,
                                           "product_data": {"name": "核桃 (1 kg)"}}},
        ],
        "client_reference_id": "17",
        "metadata": {"payment_id": "17", "order_ids": "3,4", "order_numbers": "LX-1,LX-2"},
        "payment_intent_data": {"metadata": {"payment_id": "17"}},
        "expires_at": int(time.time()) + 3600,
        "success_url": "http://market.example.com/account/payments/17?result=success",
        "cancel_url": "http://market.example.com/account/payments/17?result=cancel",
    }
    params.update(overrides)
    return params


@pytest.fixture
def fake() -> Iterator[StripeFake]:
    with StripeFake() as running:
        yield running


@pytest.fixture
def client(fake: StripeFake, monkeypatch: pytest.MonkeyPatch) -> Iterator[stripe.StripeClient]:
    """A real StripeClient aimed at the fake, with an HTTP session we close (StripeClient has no close())."""
    monkeypatch.setattr(stripe, "enable_telemetry", False)  # else it writes ~/.config/stripe/telemetry_id
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0.0)  # no 0.5 s back-off between retries
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment for 127.0.0.1
    http = stripe.RequestsClient(session=session)
    yield stripe.StripeClient(api_key="sk_test_fake", base_addresses={"api": fake.base_url},
                              max_network_retries=2, http_client=http)
    http.close()


def create(client: stripe.StripeClient, key: str = "k1", params: dict[str, Any] | None = None,
           **overrides: Any) -> stripe.checkout.Session:
    """Create a session the way the market does (params dict plus our own idempotency key)."""
    return client.v1.checkout.sessions.create(params=params or session_params(**overrides),  # type: ignore[arg-type]
                                              options={"idempotency_key": key})


# -- form decoding -------------------------------------------------------------------------------
def test_decode_form_nested_keys_and_lists() -> None:
    body = ("line_items[0][price_data][unit_amount]=1990&line_items[0][quantity]=2&metadata[order_ids]=3%2C4"
            "&allowed_payment_method_types[0]=card&allowed_payment_method_types[1]=wechat_pay"
            "&payment_method_options[wechat_pay][client]=web&metadata[0]=zero&mode=payment&empty=")
    assert decode_form(body) == {
        "line_items": [{"price_data": {"unit_amount": "1990"}, "quantity": "2"}],
        "metadata": {"order_ids": "3,4", "0": "zero"},  # metadata keys stay keys, even digits
        "allowed_payment_method_types": ["card", "wechat_pay"],
        "payment_method_options": {"wechat_pay": {"client": "web"}},
        "mode": "payment",
        "empty": "",
    }
    assert decode_form("") == {}


def test_decode_form_round_trips_the_library_encoder() -> None:
    params = session_params()
    encoded = urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")  # as the requestor does
    decoded = decode_form(encoded)
    assert decoded["line_items"][0]["price_data"]["product_data"]["name"] == "陇县苹果 (5 kg)"
    assert decoded["expires_at"] == str(params["expires_at"])
    assert decoded["allowed_payment_method_types"] == ["card", "alipay", "wechat_pay"]


@pytest.mark.parametrize("body", ["a=1&a[b]=2", "a[b]=2&a=1", "a[]=1", "a=1&a=2", "]x=1"])
def test_decode_form_rejects_conflicts(body: str) -> None:
    with pytest.raises(ValueError):
        decode_form(body)


# -- checkout sessions ---------------------------------------------------------------------------
def test_create_session_with_the_full_parameter_set(client: stripe.StripeClient, fake: StripeFake) -> None:
    session = create(client)
    assert session.id.startswith("cs_test_") and session.object == "checkout.session"
    assert session.url == f"https://checkout.stripe.com/c/pay/{session.id}"
    assert (session.amount_total, session.currency, session.status, session.payment_status) == (
        2 * 1990 + 3500, "cny", "open", "unpaid")
    assert session.client_reference_id == "17" and session.metadata["order_ids"] == "3,4"
    assert session.payment_intent is None and isinstance(session.expires_at, int)
    (request,) = fake.requests
    assert (request.method, request.path, request.idempotency_key) == ("POST", "/v1/checkout/sessions", "k1")
    assert request.headers["authorization"] == "Bearer sk_test_fake"
    assert request.headers["stripe-version"] == stripe.api_version
    assert request.params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert request.params["line_items"][1]["price_data"]["unit_amount"] == "3500"


def test_same_key_replays_and_different_params_conflict(client: stripe.StripeClient, fake: StripeFake) -> None:
    params = session_params()  # computed once: expires_at moves with the clock
    first, again = create(client, params=params), create(client, params=params)
    assert again.id == first.id and len(fake.sessions) == 1
    with pytest.raises(stripe.IdempotencyError):
        create(client, params={**params, "client_reference_id": "18"})
    assert create(client, key="k2").id != first.id


def test_library_sends_its_own_idempotency_key_and_reuses_it_on_retry(
        client: stripe.StripeClient, fake: StripeFake) -> None:
    fake.fail_next(500, "api_error", "Something went wrong.")
    client.v1.checkout.sessions.create(params=session_params())  # type: ignore[arg-type]
    keys = [r.idempotency_key for r in fake.requests]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]


def test_old_payment_method_types_parameter_is_rejected(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        create(client, payment_method_types=["card"])
    assert caught.value.http_status == 400 and caught.value.param == "payment_method_types"
    assert caught.value.json_body["error"]["type"] == "invalid_request_error"  # type: ignore[index]


@pytest.mark.parametrize(("overrides", "param"), [
    ({"payment_method_options": {}}, "payment_method_options[wechat_pay][client]"),
    ({"allowed_payment_method_types": None}, "allowed_payment_method_types"),
    ({"mode": "subscription"}, "mode"),
    ({"line_items": []}, "line_items"),
    ({"currency": "usd"}, "currency"),
    ({"success_url": "/account/payments/17"}, "success_url"),
    ({"expires_at": int(time.time()) + 600}, "expires_at"),
    ({"expires_at": int(time.time()) + 25 * 3600}, "expires_at"),
])
def test_invalid_sessions_are_rejected(client: stripe.StripeClient, overrides: dict[str, Any], param: str) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        create(client, **overrides)
    assert caught.value.param == param


def test_line_item_amounts_must_be_positive_integers(client: stripe.StripeClient) -> None:
    items = session_params()["line_items"]
    items[0]["price_data"]["unit_amount"] = 19.9
    with pytest.raises(stripe.InvalidRequestError) as caught:
        create(client, line_items=items)
    assert caught.value.param == "line_items[0][price_data][unit_amount]"


def test_wrong_api_key_is_an_authentication_error(fake: StripeFake, client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.AuthenticationError):
        client.v1.checkout.sessions.retrieve("cs_x", options={"api_key": "pk_test_public"})


def test_retrieve_session(client: stripe.StripeClient, fake: StripeFake) -> None:
    created = create(client)
    assert client.v1.checkout.sessions.retrieve(created.id).status == "open"
    fake.complete_session(created.id, payment_intent_id="pi_test_1")
    again = client.v1.checkout.sessions.retrieve(created.id)
    assert (again.status, again.payment_status, again.payment_intent) == ("complete", "paid", "pi_test_1")
    assert fake.requests[-1].method == "GET" and fake.requests[-1].idempotency_key is None
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.retrieve("cs_test_unknown")
    assert caught.value.http_status == 404 and caught.value.code == "resource_missing"
    assert fake.expire_session(create(client, key="k2").id)["status"] == "expired"


def test_concurrent_creates_are_all_recorded(client: stripe.StripeClient, fake: StripeFake) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(lambda n: create(client, key=f"c{n}").id, range(16)))
    assert len(ids) == 16 == len(fake.sessions) == len(fake.requests)


# -- injected failures ---------------------------------------------------------------------------
def test_card_decline_is_a_card_error(client: stripe.StripeClient, fake: StripeFake) -> None:
    fake.fail_next(402, "card_error", "Your card was declined.", code="card_declined")
    with pytest.raises(stripe.CardError) as caught:
        create(client)
    assert caught.value.code == "card_declined" and caught.value.user_message == "Your card was declined."
    assert len(fake.requests) == 1 and not fake.sessions


def test_429_is_not_retried_unless_stripe_says_so(client: stripe.StripeClient, fake: StripeFake) -> None:
    fake.fail_next(429, "rate_limit_error", "Too many requests.", code="rate_limit")
    with pytest.raises(stripe.RateLimitError):
        create(client)
    assert len(fake.requests) == 1
    fake.fail_next(429, "invalid_request_error", "Lock timeout.", code="lock_timeout", should_retry=True)
    assert create(client).status == "open"
    assert len(fake.requests) == 3 and {r.idempotency_key for r in fake.requests} == {"k1"}


def test_500_is_retried_and_gives_up_after_max_network_retries(client: stripe.StripeClient,
                                                              fake: StripeFake) -> None:
    fake.fail_next(500, "api_error", "Something went wrong.", times=2)
    assert create(client).status == "open" and len(fake.requests) == 3
    fake.fail_next(500, "api_error", "Something went wrong.", times=3)
    with pytest.raises(stripe.APIError) as caught:
        create(client, key="k2")
    assert caught.value.http_status == 500 and len(fake.requests) == 6


# -- refunds -------------------------------------------------------------------------------------
def test_refunds_and_over_refunds(client: stripe.StripeClient, fake: StripeFake) -> None:
    paid = fake.complete_session(create(client).id)
    total, intent = paid["amount_total"], paid["payment_intent"]
    refund = client.v1.refunds.create(params={"payment_intent": intent, "amount": 1000, "metadata": {"refund_id": "5"}},
                                      options={"idempotency_key": "market-refund-5"})
    assert (refund.object, refund.amount, refund.currency, refund.status) == ("refund", 1000, "cny", "succeeded")
    assert refund.id.startswith("re_") and refund.payment_intent == intent and refund.metadata["refund_id"] == "5"
    assert fake.requests[-1].idempotency_key == "market-refund-5"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent, "amount": total})
    assert caught.value.code == "amount_too_large" and caught.value.param == "amount"
    rest = client.v1.refunds.create(params={"charge": fake.payment_intents[intent]["latest_charge"]})
    assert rest.amount == total - 1000 and sum(r["amount"] for r in fake.refunds) == total
    with pytest.raises(stripe.InvalidRequestError, match="already been refunded"):
        client.v1.refunds.create(params={"payment_intent": intent, "amount": 1})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"payment_intent": "pi_unknown", "amount": 1})


# -- webhooks ------------------------------------------------------------------------------------
def test_signed_webhook_verifies_and_tampering_is_rejected(client: stripe.StripeClient, fake: StripeFake) -> None:
    paid = fake.complete_session(create(client).id)
    payload = event_payload("checkout.session.completed", paid, event_id="evt_test_1")
    header = signature_header(payload, SECRET)
    event = stripe.Webhook.construct_event(payload, header, SECRET)
    assert (event.id, event.type, event.api_version) == ("evt_test_1", "checkout.session.completed", stripe.api_version)
    assert event.data.object["payment_intent"] == paid["payment_intent"]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload.replace(b'"paid"', b'"unpaid"'), header, SECRET)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature_header(payload, "whsec_other"), SECRET)
    stale = signature_header(payload, SECRET, timestamp=int(time.time()) - 3600)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(payload, stale, SECRET)


def test_library_signer_needs_str_not_bytes() -> None:
    payload = event_payload("charge.refunded", {"id": "ch_1", "object": "charge"})
    wrong = stripe.WebhookSignature.generate_signature_header(payload, SECRET)  # type: ignore[arg-type]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload, wrong, SECRET)
    assert stripe.WebhookSignature.verify_header(payload, signature_header(payload, SECRET), SECRET)
