"""Stripe webhooks, signed as Stripe signs them: each case ends in an exact state of orders, stock and
payments, and nothing is applied twice."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import Listing, PaymentIssue, Refund
from tests.integration.stripe_flow import checkout_by_card, events, orders, send, stale, the_payment


def paid_session(stripe_fake, payment):
    return stripe_fake.complete_session(payment.provider_ref)


def stock(listing) -> int:
    db.session.rollback()
    return db.session.get(Listing, listing.id).stock


def issues() -> list[str]:
    db.session.rollback()
    return [i.kind for i in db.session.scalars(sa.select(PaymentIssue).order_by(PaymentIssue.id))]


def test_a_valid_completed_event_marks_the_orders_paid(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    response = send(client, "checkout.session.completed", session)
    assert response.status_code == 200 and response.get_json()["outcome"] == "paid"
    payment, (order,) = the_payment(), orders()
    assert payment.status == "succeeded" and payment.provider_payment_ref == session["payment_intent"]
    assert order.status == "paid" and order.paid_on is not None
    assert [e.action for e in order.events] == ["place", "pay"]
    assert stock(listing) == 8 and events() == 1


def test_bad_signatures_and_stale_timestamps_get_400_and_write_nothing(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    assert send(client, "checkout.session.completed", session, tamper=True).status_code == 400
    assert send(client, "checkout.session.completed", session, secret="whsec_wrong").status_code == 400
    assert send(client, "checkout.session.completed", session, timestamp=stale()).status_code == 400
    assert client.post("/webhooks/stripe", data=b"{}", content_type="application/json").status_code == 400
    garbage = client.post("/webhooks/stripe", data=b"not json", headers={"Stripe-Signature": "t=1,v1=00"})
    assert garbage.status_code == 400
    assert events() == 0 and the_payment().status == "pending" and orders()[0].status == "placed"


def test_a_replayed_event_changes_nothing(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    outcomes = [send(client, "checkout.session.completed", session, event_id="evt_same").get_json()["outcome"]
                for _ in range(4)]
    assert outcomes == ["paid", "duplicate", "duplicate", "duplicate"]
    (order,) = orders()
    assert [e.action for e in order.events] == ["place", "pay"] and events() == 1 and stock(listing) == 8


def test_the_same_payment_in_a_second_event_is_not_applied_twice(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    send(client, "checkout.session.completed", session)
    assert send(client, "checkout.session.async_payment_succeeded", session).get_json()["outcome"] == "already paid"
    assert [e.action for e in orders()[0].events] == ["place", "pay"] and events() == 2


def test_expired_then_completed_re_reserves_the_stock(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    payment = the_payment()
    send(client, "checkout.session.expired", stripe_fake.expire_session(payment.provider_ref))
    assert orders()[0].status == "cancelled" and stock(listing) == 10
    outcome = send(client, "checkout.session.completed", paid_session(stripe_fake, payment)).get_json()["outcome"]
    assert outcome == "late payment: stock re-reserved"
    (order,) = orders()
    assert order.status == "paid" and order.paid_at is not None and stock(listing) == 8
    assert the_payment().status == "succeeded" and issues() == ["late_payment_reserved"]


def test_a_late_payment_without_stock_is_refunded_automatically(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    payment = the_payment()
    send(client, "checkout.session.expired", stripe_fake.expire_session(payment.provider_ref))
    db.session.execute(sa.update(Listing).values(stock=1))  # sold to someone else meanwhile
    db.session.commit()
    session = paid_session(stripe_fake, payment)
    assert send(client, "checkout.session.completed", session).get_json()["outcome"] == "late payment refunded"
    (order,) = orders()
    assert order.status == "cancelled" and order.paid_at is None and stock(listing) == 1
    (refund,) = db.session.scalars(sa.select(Refund)).all()
    assert (refund.status, refund.amount_fen) == ("succeeded", 13600)
    assert stripe_fake.refunds[-1]["amount"] == 13600
    assert stripe_fake.refunds[-1]["payment_intent"] == session["payment_intent"]
    (request,) = [r for r in stripe_fake.requests if r.path == "/v1/refunds"]
    assert request.idempotency_key == f"market-late-{refund.payment_id}-{order.id}"  # the same on a retry
    assert issues() == ["late_payment_refunded"]
    assert "付款过晚" in client.get(f"/account/orders/{order.number}").get_data(as_text=True)
    from email import message_from_bytes
    from pathlib import Path

    mails = sorted(Path(app.config["MARKET_OUTBOX"]).glob("*.eml"), key=lambda p: p.stat().st_mtime)
    told = message_from_bytes(mails[-1].read_bytes())
    assert told["To"] == "buyer@example.com" and "¥136.00" in told.get_payload(decode=True).decode()


def test_an_async_payment_that_fails_cancels_the_orders(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    payment = the_payment()
    pending = dict(stripe_fake.sessions[payment.provider_ref], status="complete", payment_status="unpaid")
    assert send(client, "checkout.session.completed", pending).get_json()["outcome"] == "awaiting asynchronous payment"
    assert orders()[0].status == "placed"
    send(client, "checkout.session.async_payment_failed", pending)
    assert the_payment().status == "failed" and orders()[0].status == "cancelled" and stock(listing) == 10
    # Money that still arrives is never lost: the order is revived if its stock is still there.
    late = paid_session(stripe_fake, payment)
    outcome = send(client, "checkout.session.async_payment_succeeded", late).get_json()["outcome"]
    assert outcome == "late payment: stock re-reserved" and orders()[0].status == "paid" and stock(listing) == 8


def test_an_amount_or_currency_mismatch_is_flagged_and_not_paid(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    session = dict(paid_session(stripe_fake, the_payment()), amount_total=100)
    assert send(client, "checkout.session.completed", session).get_json()["outcome"] == "amount mismatch flagged"
    assert the_payment().status == "pending" and orders()[0].paid_at is None
    wrong_currency = dict(paid_session(stripe_fake, the_payment()), currency="usd")
    send(client, "checkout.session.completed", wrong_currency)
    assert issues() == ["amount_mismatch", "amount_mismatch"] and orders()[0].status == "placed"


def test_an_earlier_attempts_expiry_does_not_cancel_the_current_attempt(client, auth, app, stripe_fake):
    from tests.conftest import csrf_token

    checkout_by_card(client, auth)
    first = the_payment().provider_ref
    client.post(f"/account/payments/{the_payment().id}/pay", data={"csrf_token": csrf_token(client, "/account/")})
    assert the_payment().provider_ref != first
    send(client, "checkout.session.expired", stripe_fake.expire_session(first))
    assert orders()[0].status == "placed"


def test_refund_events_match_our_refunds_and_flag_unknown_ones(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    send(client, "checkout.session.completed", session)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"], "amount": 13600,
              "amount_refunded": 5000, "refunds": {"object": "list", "data": [
                  {"id": "re_dashboard", "object": "refund", "amount": 5000}]}}
    assert send(client, "charge.refunded", charge).get_json()["outcome"] == "1 unknown refund(s) flagged"
    (issue,) = db.session.scalars(sa.select(PaymentIssue)).all()
    assert issue.kind == "unknown_refund"
    assert issue.detail["refunds"] == [{"refund": "re_dashboard", "amount_fen": 5000}]
    assert all(line.refunded_fen == 0 for line in orders()[0].lines)  # staff decide; nothing booked blindly


def test_a_late_payment_whose_refund_fails_is_flagged_for_staff(client, auth, app, stripe_fake):
    _, listing = checkout_by_card(client, auth)
    payment = the_payment()
    send(client, "checkout.session.expired", stripe_fake.expire_session(payment.provider_ref))
    db.session.execute(sa.update(Listing).values(stock=0))
    db.session.commit()
    session = paid_session(stripe_fake, payment)
    stripe_fake.fail_next(500, "api_error", "boom", times=3)
    assert send(client, "checkout.session.completed", session).get_json()["outcome"] == "late payment refunded"
    assert issues() == ["late_payment_refunded", "refund_failed"]
    assert db.session.scalar(sa.select(Refund.status)) == "failed"


def test_a_late_refund_stands_when_the_mail_cannot_be_sent(client, auth, app, stripe_fake, monkeypatch):
    from market.services.accounts import mail
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    _, listing = checkout_by_card(client, auth)
    payment = the_payment()
    send(client, "checkout.session.expired", stripe_fake.expire_session(payment.provider_ref))
    db.session.execute(sa.update(Listing).values(stock=0))
    db.session.commit()
    monkeypatch.setattr(mail, "send", broken)
    response = send(client, "checkout.session.completed", paid_session(stripe_fake, payment))
    assert response.status_code == 200 and response.get_json()["outcome"] == "late payment refunded"
    assert db.session.scalar(sa.select(Refund.status)) == "succeeded" and events() == 2


def test_a_second_paid_session_for_the_same_orders_is_flagged(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    payment = the_payment()
    send(client, "checkout.session.completed", paid_session(stripe_fake, payment))
    second = dict(stripe_fake.sessions[payment.provider_ref], id="cs_test_other", payment_intent="pi_other")
    assert send(client, "checkout.session.completed", second).get_json()["outcome"] == "second payment flagged"
    assert issues() == ["duplicate_payment"] and [e.action for e in orders()[0].events] == ["place", "pay"]


def test_a_refund_event_racing_our_own_refund_is_not_flagged(client, auth, app, stripe_fake):
    checkout_by_card(client, auth)
    session = paid_session(stripe_fake, the_payment())
    send(client, "checkout.session.completed", session)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"], "amount": 13600,
              "amount_refunded": 6800, "refunds": {"object": "list", "data": [
                  {"id": "re_ours", "object": "refund", "amount": 6800, "metadata": {"refund_id": "41"}}]}}
    assert send(client, "charge.refunded", charge).get_json()["outcome"] == "refunds matched"
    assert issues() == []
