"""Loopback fake of the Stripe endpoints the market uses, for tests that go through the real `stripe` library.

stripe-python 16.1 call style (checked in its source; `client.checkout`, `client.refunds`, ... without `.v1`
still work but raise DeprecationWarning, an error under our pytest config)::

    with StripeFake() as fake:
        http = stripe.RequestsClient()  # StripeClient has no close(): own the HTTP client and close it
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": fake.base_url},
                                     max_network_retries=2, http_client=http)
        session = client.v1.checkout.sessions.create(params={...}, options={"idempotency_key": "pay-1-1"})
        client.v1.checkout.sessions.retrieve(session.id)
        client.v1.refunds.create(params={"payment_intent": "pi_...", "amount": 500},
                                 options={"idempotency_key": "refund-7"})
        body = event_payload("checkout.session.completed", fake.complete_session(session.id))
        stripe.Webhook.construct_event(body, signature_header(body, "whsec_x"), "whsec_x")
        http.close()

Library behaviour the fake mirrors: every POST carries an Idempotency-Key (the library generates one when
none is given, and reuses it across its retries); with `max_network_retries` it retries 409 and >= 500, and
any status whose response says `Stripe-Should-Retry: true` -- a plain 429 is NOT retried. Errors map to
400/404 InvalidRequestError (IdempotencyError for type idempotency_error), 401 AuthenticationError,
402 CardError, 429 RateLimitError, other 5xx APIError.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

import stripe

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SESSION_PATH = re.compile(r"^/v1/checkout/sessions/([A-Za-z0-9_]+)$")
_EXPIRE_PATH = re.compile(r"^/v1/checkout/sessions/([A-Za-z0-9_]+)/expire$")
Json = dict[str, Any]


def decode_form(body: str) -> Json:
    """Decode Stripe's form encoding (`a[b][0][c]=v`) into nested dicts and lists (strings at the leaves).

    A dict whose keys are exactly 0..n-1 becomes a list, except under `metadata` (free-form keys)."""
    root: Json = {}
    for key, value in parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body)):
        match = _KEY.match(key)
        if not match:
            raise ValueError(f"malformed parameter name {key!r}")
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"parameter {key!r} conflicts with a scalar")
        if "" in parts or parts[-1] in node:
            raise ValueError(f"duplicate or empty parameter {key!r}")
        node[parts[-1]] = value
    return _listify(root, None)


def _listify(value: Any, key: str | None) -> Any:
    if not isinstance(value, dict):
        return value
    out = {k: _listify(v, k) for k, v in value.items()}
    if key != "metadata" and out and all(k.isdigit() for k in out) and sorted(map(int, out)) == list(range(len(out))):
        return [out[str(i)] for i in range(len(out))]
    return out


class StripeApiError(Exception):
    """A Stripe-shaped error response: `{"error": {"type", "message", "param"?, "code"?}}`."""

    def __init__(self, status: int, error_type: str, message: str, param: str | None = None,
                 code: str | None = None, should_retry: bool | None = None) -> None:
        super().__init__(message)
        self.status, self.should_retry = status, should_retry
        self.body: Json = {"error": {"type": error_type, "message": message}}
        self.body["error"].update({k: v for k, v in (("param", param), ("code", code)) if v is not None})


def _invalid(message: str, param: str | None = None, code: str | None = None) -> StripeApiError:
    return StripeApiError(400, "invalid_request_error", message, param, code)


def _check(ok: bool, message: str, param: str | None, code: str | None = None) -> None:
    if not ok:
        raise _invalid(message, param, code)


def _dict(params: Any, name: str) -> Json:
    """`params[name]` if both are dicts, else {} (missing or malformed nested params)."""
    value = params.get(name) if isinstance(params, dict) else None
    return value if isinstance(value, dict) else {}


def _int(value: Any, param: str) -> int:
    """A positive integer parameter (the form sends "1990"; "19.9" or "-1" are refused)."""
    ok = isinstance(value, str) and value.isascii() and value.isdigit() and int(value) > 0
    _check(ok, f"Invalid positive integer: {value!r}", param)
    return int(value)


def _absolute(params: Json, name: str) -> str:
    url = params.get(name)
    parts = urlsplit(url if isinstance(url, str) else "")
    _check(parts.scheme in ("http", "https") and bool(parts.netloc), "Not a valid absolute URL", name, "url_invalid")
    return str(url)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it (header names lower-cased; params decoded by `decode_form`)."""

    method: str
    path: str
    headers: dict[str, str]
    params: Json
    idempotency_key: str | None


class StripeFake:
    """Threaded loopback server for POST/GET checkout sessions and POST refunds, with failure injection.

    State (`sessions`, `refunds`, `payment_intents`, `requests`) is guarded by `lock`; read it after the
    client call returns. `now` replaces the clock used for `created` and the `expires_at` bounds."""

    SLACK_SECONDS = 5

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        self.sessions: dict[str, Json] = {}
        self.refunds: list[Json] = []
        self.payment_intents: dict[str, Json] = {}
        self._intent_metadata: dict[str, Json] = {}
        self._failures: list[StripeApiError] = []
        self._idempotent: dict[str, tuple[str, Json, Json]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Self:
        """Listen on 127.0.0.1 (a free port) in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                fake._handle(self)

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (silence stderr)
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="stripe-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and close its socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, for `base_addresses={"api": fake.base_url}`."""
        assert self._server is not None, "StripeFake not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- test hooks ------------------------------------------------------------------------------
    def fail_next(self, status: int, error_type: str, message: str, code: str | None = None, *, times: int = 1,
                  param: str | None = None, should_retry: bool | None = None) -> None:
        """Answer the next `times` requests (any endpoint) with this error, before any validation.

        Each HTTP attempt consumes one: with `max_network_retries=2` a queued 500 (or 409) is retried, so
        `times=3` exhausts the retries and the call raises. A 429 is retried only with `should_retry=True`
        (sent as `Stripe-Should-Retry: true`, as Stripe does for lock timeouts). Failures are not stored
        under the idempotency key, so a retry with the same key is processed afresh."""
        with self.lock:
            self._failures.extend(StripeApiError(status, error_type, message, param, code, should_retry)
                                  for _ in range(times))

    def complete_session(self, session_id: str, payment_intent_id: str | None = None) -> Json:
        """Mark a session paid (as after checkout.session.completed) and return a copy of it."""
        with self.lock:
            session = self.sessions[session_id]
            pi = payment_intent_id or "pi_test_" + secrets.token_hex(12)
            session.update(status="complete", payment_status="paid", payment_intent=pi)
            self.payment_intents[pi] = {"id": pi, "amount": session["amount_total"], "currency": "cny",
                                        "latest_charge": "ch_test_" + secrets.token_hex(12),
                                        "metadata": self._intent_metadata.get(session_id, {})}
            return copy.deepcopy(session)

    def expire_session(self, session_id: str) -> Json:
        """Mark a session expired (as after checkout.session.expired) and return a copy of it."""
        with self.lock:
            self.sessions[session_id].update(status="expired")
            return copy.deepcopy(self.sessions[session_id])

    def _expire(self, session_id: str) -> Json:
        """POST /v1/checkout/sessions/{id}/expire: only an open session can be expired (as Stripe says)."""
        session = self.sessions.get(session_id)
        if session is None:
            raise StripeApiError(404, "invalid_request_error", f"No such checkout.session: '{session_id}'",
                                 "id", "resource_missing")
        if session["status"] != "open":
            raise _invalid(f"Only Checkout Sessions with a status in [\"open\"] can be expired. This one is "
                           f"\"{session['status']}\".", "session")
        session.update(status="expired")
        return copy.deepcopy(session)

    # -- request handling ------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        raw = handler.rfile.read(int(headers.get("content-length") or 0)).decode()
        key = headers.get("idempotency-key")
        status, body, extra = 200, {}, {}
        with self.lock:
            try:
                params = decode_form(raw if handler.command == "POST" else url.query)
            except ValueError as error:
                params, status, body = {}, 400, _invalid(str(error)).body
            self.requests.append(RecordedRequest(handler.command, url.path, headers, params, key))
            try:
                if self._failures:
                    raise self._failures.pop(0)
                if status == 200:
                    status, body, replayed = self._route(handler.command, url.path, headers, params, key)
                    extra = {"Idempotent-Replayed": "true"} if replayed else {}
            except StripeApiError as error:
                status, body = error.status, error.body
                if error.should_retry is not None:
                    extra = {"Stripe-Should-Retry": str(error.should_retry).lower()}
        data = json.dumps(body).encode()
        handler.send_response(status)
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)),
                            "Request-Id": "req_" + secrets.token_hex(7), "Connection": "close", **extra}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, headers: dict[str, str], params: Json,
               key: str | None) -> tuple[int, Json, bool]:
        if not headers.get("authorization", "").startswith("Bearer sk_"):
            raise StripeApiError(401, "invalid_request_error", "Invalid API Key provided.")
        if method == "GET" and (match := _SESSION_PATH.match(path)):
            if match.group(1) not in self.sessions:
                raise StripeApiError(404, "invalid_request_error", f"No such checkout.session: '{match.group(1)}'",
                                     "id", "resource_missing")
            return 200, copy.deepcopy(self.sessions[match.group(1)]), False
        if method == "POST" and (match := _EXPIRE_PATH.match(path)):
            return 200, self._expire(match.group(1)), False
        handlers = {"/v1/checkout/sessions": self._create_session, "/v1/refunds": self._create_refund}
        if method != "POST" or path not in handlers:
            raise StripeApiError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")
        if not key:
            raise _invalid("This fake requires an Idempotency-Key header on every POST.")
        if key in self._idempotent:
            stored_path, stored_params, stored_body = self._idempotent[key]
            if (stored_path, stored_params) != (path, params):
                raise StripeApiError(400, "idempotency_error", "Keys for idempotent requests can only be used "
                                     "with the same parameters they were first used with.")
            return 200, copy.deepcopy(stored_body), True
        body = handlers[path](params)
        self._idempotent[key] = (path, params, copy.deepcopy(body))
        return 200, body, False

    def _create_session(self, p: Json) -> Json:
        _check("payment_method_types" not in p, "Received unknown parameter: payment_method_types. "
               "Did you mean allowed_payment_method_types?", "payment_method_types")
        _check(p.get("mode") == "payment", "mode must be 'payment'", "mode")
        _check(p.get("currency", "cny") == "cny", "currency must be 'cny'", "currency")
        items = p.get("line_items")
        _check(isinstance(items, list) and bool(items), "line_items must be a non-empty list", "line_items")
        total = 0
        for i, item in enumerate(items):
            price = _dict(item, "price_data")
            _check(price.get("currency") == "cny", "must be 'cny'", f"line_items[{i}][price_data][currency]")
            _check(bool(_dict(price, "product_data").get("name")), "Missing required param.",
                   f"line_items[{i}][price_data][product_data][name]")
            total += _int(price.get("unit_amount"), f"line_items[{i}][price_data][unit_amount]") * \
                _int((item if isinstance(item, dict) else {}).get("quantity"), f"line_items[{i}][quantity]")
        success_url, cancel_url = _absolute(p, "success_url"), _absolute(p, "cancel_url")
        now, expires_at = int(self.now()), _int(p.get("expires_at"), "expires_at")
        _check(now + 1800 - self.SLACK_SECONDS <= expires_at <= now + 86400 + self.SLACK_SECONDS,
               "expires_at must be between 30 minutes and 24 hours from now", "expires_at")
        types = p.get("allowed_payment_method_types")
        _check(isinstance(types, list) and bool(types), "must be a non-empty list", "allowed_payment_method_types")
        _check("wechat_pay" not in types or _dict(_dict(p, "payment_method_options"), "wechat_pay").get("client")
               in ("web", "ios", "android"), "required for wechat_pay", "payment_method_options[wechat_pay][client]")
        metadata = _dict(p, "metadata")
        _check(all(len(k) <= 40 and len(v) <= 500 for k, v in metadata.items()),
               "metadata keys are limited to 40 characters and values to 500", "metadata")
        _check(len(p.get("client_reference_id", "")) <= 200, "limited to 200 characters", "client_reference_id")
        sid = "cs_test_" + secrets.token_hex(16)
        self._intent_metadata[sid] = _dict(_dict(p, "payment_intent_data"), "metadata")
        self.sessions[sid] = {
            "id": sid, "object": "checkout.session", "url": f"https://checkout.stripe.com/c/pay/{sid}",
            "mode": "payment", "amount_subtotal": total, "amount_total": total, "currency": "cny", "status": "open",
            "payment_status": "unpaid", "client_reference_id": p.get("client_reference_id"), "metadata": metadata,
            "expires_at": expires_at, "created": now, "livemode": False, "locale": p.get("locale"),
            "allowed_payment_method_types": types, "payment_method_types": types, "success_url": success_url,
            "cancel_url": cancel_url, "payment_intent": None}
        return copy.deepcopy(self.sessions[sid])

    def _create_refund(self, p: Json) -> Json:
        _check(("payment_intent" in p) != ("charge" in p), "Pass exactly one of payment_intent or charge.",
               "payment_intent")
        param = "charge" if "charge" in p else "payment_intent"
        intent = next((i for i in self.payment_intents.values() if p[param] in (i["id"], i["latest_charge"])), None)
        if intent is None:
            raise _invalid(f"No such {param}: '{p[param]}'", param, "resource_missing")
        remaining = intent["amount"] - sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent["id"])
        _check(remaining > 0, f"Charge {intent['latest_charge']} has already been refunded.", None,
               "charge_already_refunded")
        amount = _int(p["amount"], "amount") if "amount" in p else remaining
        _check(amount <= remaining, f"Refund amount ({amount}) is greater than unrefunded amount on charge "
               f"({remaining})", "amount", "amount_too_large")
        refund = {"id": "re_test_" + secrets.token_hex(12), "object": "refund", "amount": amount, "currency": "cny",
                  "payment_intent": intent["id"], "charge": intent["latest_charge"], "status": "succeeded",
                  "reason": p.get("reason"), "metadata": _dict(p, "metadata"), "created": int(self.now())}
        self.refunds.append(refund)
        return copy.deepcopy(refund)


def event_payload(event_type: str, data_object: Json, event_id: str | None = None, created: int | None = None) -> bytes:
    """A webhook body as Stripe sends it (pretty-printed UTF-8 JSON): verify these exact bytes, never re-serialise."""
    event = {"id": event_id or "evt_test_" + secrets.token_hex(12), "object": "event", "type": event_type,
             "api_version": stripe.api_version, "created": created if created is not None else int(time.time()),
             "livemode": False, "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
             "data": {"object": data_object}}
    return json.dumps(event, indent=2, ensure_ascii=False).encode("utf-8")


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header for `payload`.

    `stripe.WebhookSignature.generate_signature_header` is typed `payload: str` and formats it with an
    f-string, so bytes would sign "b'...'": decode first."""
    return stripe.WebhookSignature.generate_signature_header(payload.decode("utf-8"), secret, timestamp=timestamp)
