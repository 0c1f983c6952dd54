"""Hostile input (issue 9, items 1 and 2), on SQLite and PostgreSQL, never a 500: out-of-range ids are 404s (in a
URL) or 400s (in a form), huge page numbers a capped page, control characters stripped from query parameters and
form fields and a 404 in a path; a route and a form added later are covered with no extra code."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import request

from market import create_app
from market.extensions import db
from market.models import CartLine, Order, OutletMembership, PaymentIssue, User
from tests.conftest import csrf_token, market_env
from tests.factories import PASSWORD, ListingFactory, UserFactory

OUT_OF_RANGE = [2**31, 10**20, int("9" * 40)]  # just past INTEGER, past BIGINT, far past both
CONTROL = ["\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85"]  # NUL, C0, vertical tab, DEL, a C1 control


def token(client) -> str:
    """A CSRF token of this client's session (every page's header has the logout or language form)."""
    return csrf_token(client, "/account/register")


def log_in(client, auth, *roles: str) -> User:
    """A fresh user with these roles, logged in through the form."""
    user = UserFactory(email=f"{'-'.join(roles)}@example.com", roles_given=roles)
    auth.login(user.email, PASSWORD)
    return user


def clean(text: str) -> bool:
    """True when the text holds no control character but tab, line feed and carriage return."""
    return not any(ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F for c in text)


# --- out-of-range integers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("listing_id", [*OUT_OF_RANGE, 0, "-1", "+5", "1e3", "١٢", ""])
def test_adding_a_listing_whose_id_is_out_of_range_or_malformed_is_a_bad_request(client, app, listing_id):
    ListingFactory()
    response = client.post("/cart/add", data={"listing_id": listing_id, "quantity": 1, "csrf_token": token(client)})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(CartLine.id))) == 0


def test_the_largest_id_still_reaches_the_cart_which_says_the_listing_is_gone(client, app):
    response = client.post("/cart/add", data={"listing_id": 2**31 - 1, "quantity": 1, "csrf_token": token(client)})
    assert response.status_code == 302


@pytest.mark.parametrize("payment_id", OUT_OF_RANGE)
def test_payment_pages_of_an_out_of_range_payment_are_not_found(client, auth, app, payment_id):
    log_in(client, auth, "consumer")
    assert client.get(f"/account/payments/{payment_id}/return").status_code == 404
    assert client.post(f"/account/payments/{payment_id}/pay", data={"csrf_token": token(client)}).status_code == 404


@pytest.mark.parametrize("user_id", OUT_OF_RANGE)
def test_changing_roles_of_an_out_of_range_user_is_not_found(client, auth, app, user_id):
    log_in(client, auth, "admin")
    data = {"role": "county_staff", "action": "grant", "csrf_token": token(client)}
    assert client.post(f"/admin/users/{user_id}/roles", data=data).status_code == 404


@pytest.mark.parametrize("issue_id", OUT_OF_RANGE)
def test_resolving_an_out_of_range_payment_issue_is_not_found(client, auth, app, issue_id):
    log_in(client, auth, "county_staff")
    data = {"note": "checked", "csrf_token": token(client)}
    assert client.post(f"/county/payments/{issue_id}/resolve", data=data).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(PaymentIssue.id))) == 0


@pytest.mark.parametrize("line_id", OUT_OF_RANGE)
def test_changing_an_out_of_range_cart_line_is_not_found(client, app, line_id):
    assert client.post(f"/cart/lines/{line_id}", data={"quantity": 1, "csrf_token": token(client)}).status_code == 404


@pytest.mark.parametrize("page", [10**20, 2**31, "9" * 5000])
def test_outlet_orders_far_past_the_last_page_answer_a_capped_page(client, auth, app, page):
    staff = log_in(client, auth, "outlet_staff")
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=ListingFactory().outlet_id))
    db.session.commit()
    response = client.get(f"/outlet/orders?tab=all&page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", [10**20, 2**31, "9" * 5000])
def test_the_admin_user_list_far_past_the_last_page_answers_a_capped_page(client, auth, app, page):
    log_in(client, auth, "admin")
    assert client.get(f"/admin/?page={page}").status_code == 200


def test_checkout_with_an_out_of_range_saved_address_is_a_validation_error(client, auth, app):
    log_in(client, auth, "consumer")
    listing = ListingFactory()
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token(client)})
    data = {"fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234", "payment": "pickup",
            "saved_address": 10**20, "csrf_token": token(client)}
    assert client.post("/cart/checkout", data=data).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
    assert client.post("/cart/checkout", data={**data, "saved_address": "0"}).status_code == 302  # only that field


def test_no_form_field_coerces_a_record_id_with_plain_int(app):
    """A select naming a record must coerce with web_input.coerce_id (bounded), or 10**20 reaches a query."""
    import wtforms
    from flask_wtf import FlaskForm

    import market.account.application_forms
    import market.cart.forms
    import market.outlet.listing_forms
    import market.outlet.sales_forms  # noqa: F401 - the form modules register their classes

    def subclasses(cls: type) -> list[type]:
        return [cls] + [s for sub in cls.__subclasses__() for s in subclasses(sub)]

    unbounded = [f"{form.__module__}.{form.__name__}.{name}" for form in subclasses(FlaskForm)
                 for name, field in vars(form).items()
                 if isinstance(field, wtforms.fields.core.UnboundField)
                 and issubclass(field.field_class, wtforms.SelectField) and field.kwargs.get("coerce") is int]
    assert unbounded == []


@pytest.mark.parametrize("value", [10**20, "%00", "a%00b", "LX%1F", "%C2%9F"])
def test_string_routes_answer_not_found_for_huge_numbers_and_control_characters(client, auth, app, value):
    log_in(client, auth, "consumer")
    for path in (f"/account/orders/{value}", f"/shop/{value}", f"/product/{value}", f"/category/{value}"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/account/orders/{value}/cancel", data={"csrf_token": token(client)}).status_code == 404
    reset = client.get(f"/account/reset/{value}")  # a bad reset link is said on the form that asks for a new one
    assert reset.status_code == (302 if str(value).isdigit() else 404)


# --- a route added later -----------------------------------------------------------------------------------

@pytest.fixture
def fresh_app(app, database_url, instance_path):
    """A second app on the same (migrated) database, still open for new routes, as a later wave's would be."""
    later = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}, env=market_env(database_url, instance_path))

    @later.route("/later/<int:user_id>")
    def later_user(user_id: int) -> str:
        """A route written later with no thought of hostile ids: it looks the id up directly."""
        return "absent" if db.session.get(User, user_id) is None else "present"

    @later.route("/later/echo", methods=["POST"])
    def later_echo() -> str:
        """A form written later: echoes a text field and the size of an uploaded file."""
        upload = request.files.get("file")
        return f"{len(request.form.get('text', ''))}:{len(upload.read()) if upload else -1}"

    yield later
    with later.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("user_id", "status"), [
    (2**31 - 1, 200), (2**31, 404), (10**20, 404), ("9" * 5000, 404), (0, 404), ("١", 404), ("-1", 404)])
def test_a_route_added_later_with_an_int_argument_is_bounded_with_no_extra_code(fresh_app, user_id, status):
    response = fresh_app.test_client().get(f"/later/{user_id}")
    assert response.status_code == status
    if status == 200:
        assert response.get_data(as_text=True) == "absent"


def test_a_form_added_later_loses_control_characters_but_keeps_tabs_newlines_and_uploads(fresh_app):
    client = fresh_app.test_client()
    kept = client.post("/later/echo", data={"text": "甲\t乙\r\n丙\n", "file": (io.BytesIO(b"\x00\x01NUL"), "r.bin")})
    assert (kept.status_code, kept.get_data(as_text=True)) == (200, "7:5")
    assert client.post("/later/echo", data={"text": "甲\x00乙\x85"}).get_data(as_text=True) == "2:-1"
    assert client.post("/later/echo", data={"te\x00xt": "甲乙丙"}).get_data(as_text=True) == "3:-1"
    assert client.post("/later/echo?text=%00", data={}).get_data(as_text=True) == "0:-1"
    assert client.get("/later/%00").status_code == 404


# --- control characters in text ------------------------------------------------------------------------

@pytest.mark.parametrize("char", CONTROL)
def test_registering_with_a_control_character_in_the_name_stores_the_name_without_it(client, app, char):
    response = client.post("/account/register", data={
        "name": f"王{char}小明", "email": "new@example.com", "password": f"s3cret{char}-pass",
        "confirm": f"s3cret{char}-pass", "accept_privacy": "y", "csrf_token": token(client)})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.name == "王小明" and user.check_password("s3cret-pass")


def test_a_name_of_control_characters_only_is_a_missing_name(client, app):
    response = client.post("/account/register", data={
        "name": "\x00\x01", "email": "new@example.com", "password": "s3cret-pass", "confirm": "s3cret-pass",
        "accept_privacy": "y", "csrf_token": token(client)})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_saving_a_profile_name_with_a_nul_byte_saves_it_without(client, auth, app):
    user = log_in(client, auth, "consumer")
    response = client.post("/account/", data={
        "profile-csrf_token": csrf_token(client, "/account/"), "profile-name": "李\x00华", "profile-phone": "",
        "profile-locale": "zh", "profile-submit": "y"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(User, user.id).name == "李华"


def test_checking_out_with_a_nul_byte_in_the_recipient_places_the_order_without_it(client, auth, app):
    log_in(client, auth, "consumer")
    listing = ListingFactory()
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token(client)})
    response = client.post("/cart/checkout", data={
        "fulfilment": "pickup", "recipient": "王\x00小明\x1f", "phone": "13800001234\x00", "payment": "pickup",
        "saved_address": "0", "csrf_token": token(client)})
    assert response.status_code == 302
    order = db.session.scalar(sa.select(Order))
    assert (order.recipient, order.phone) == ("王小明", "13800001234")


@pytest.mark.parametrize(("query", "searched"), [
    ("q=%00", ""), ("q=some%00one", "someone"), ("page=%00", ""), ("%00=1", ""), ("q=%C2%85", ""),
    ("q%00=some", "some")])
def test_query_parameters_lose_their_control_characters(client, auth, app, query, searched):
    log_in(client, auth, "admin")
    UserFactory(email="someone@example.com")
    page = client.get(f"/admin/?{query}")
    assert page.status_code == 200 and clean(page.get_data(as_text=True))
    assert f'name="q" value="{searched}"' in page.get_data(as_text=True)
    assert "someone@example.com" in page.get_data(as_text=True)
    assert client.get(f"/search?{query}").status_code == 200


def test_a_path_with_a_control_character_is_not_found_even_before_login(client, app):
    assert client.get("/admin/%00").status_code == 404
    assert client.get("/account/orders/%01").status_code == 404
    assert client.get("/admin/?q=%00").status_code == 302  # the query is cleaned; the login page is next
