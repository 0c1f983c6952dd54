"""Applying for outlet certification through the pages, as a new user would; and nobody else sees the application."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from PIL import Image

from market.extensions import db
from market.models import Outlet, OutletApplication, User
from tests.conftest import csrf_token
from tests.factories import PASSWORD, TownFactory, UserFactory
from tests.outlet_application_setup import ENTERPRISE, WRONG_CHECK_DIGIT

NEW = "/account/applications/new"


def png_bytes(colour: str = "green") -> io.BytesIO:
    """A small real PNG file."""
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def form(client, town_id: int, *, submit: bool = True, photos: int = 2, **changes: object) -> dict[str, object]:
    """The posted application form, with a fresh CSRF token."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, NEW), "kind": "counter", "name_zh": "城关镇帮扶专柜", "name_en": "",
        "town_id": str(town_id), "address": "东大街1号", "floor_area_m2": "36", "operator": "陇县东街商贸有限公司",
        "credit_code": ENTERPRISE, "legal_representative": "李明", "contact_phone": "13800001234",
        "opening_hours": "08:00-20:00", "bank_name": "陇县农村商业银行", "bank_account_name": "陇县东街商贸有限公司",
        "bank_account_number": "2707123456789012",
        "photos": [(png_bytes(c), f"{c}.png") for c in ("green", "red", "blue")[:photos]],
    }
    data["submit" if submit else "save"] = "1"
    if submit:
        data["pledge"] = "y"
    data.update(changes)
    return data


def fetch(client, path: str) -> tuple[int, dict[str, str]]:
    """GET a file and close the response (a sent file holds an open handle): its status and headers."""
    with client.get(path) as reply:
        reply.get_data()
        return reply.status_code, dict(reply.headers)


def register(client, email: str = "new.applicant@example.com") -> None:
    """Register a new consumer through the real form (and stay logged in)."""
    token = csrf_token(client, "/account/register")
    reply = client.post("/account/register", data={
        "csrf_token": token, "name": "新申请人", "email": email, "password": "longxian-apply-1",
        "confirm": "longxian-apply-1", "accept_privacy": "y"})
    assert reply.status_code == 302


def applications() -> list[OutletApplication]:
    """Every application in the database."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutletApplication)))


def test_a_new_user_applies_with_two_photos_and_sees_it_submitted_with_its_code(client):
    town = TownFactory()
    register(client)
    assert 'href="/account/applications/new"' in client.get("/account/").get_data(as_text=True)
    reply = client.post(NEW, data=form(client, town.id), content_type="multipart/form-data")
    assert reply.status_code == 302
    (application,) = applications()
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert application.status == "submitted" and len(application.photos) == 2
    assert application.outlet.code in page and re.search(r"LX-O-\d{3}", page)
    listing = client.get("/account/applications").get_data(as_text=True)
    assert application.outlet.code in listing
    for photo in application.photos:
        status, headers = fetch(client, f"/account/applications/{application.id}/photos/{photo.id}/thumb")
        assert status == 200 and headers["Cache-Control"] == "private, no-store"
        assert fetch(client, f"/media/{photo.key}")[0] == 404  # never through the public media route
    user = db.session.scalar(sa.select(User).where(User.email == "new.applicant@example.com"))
    assert "outlet_staff" not in user.role_names
    assert client.get("/outlet/").status_code == 403  # still no outlet area


def test_a_wrong_check_digit_is_refused_at_the_field_and_nothing_is_made(client):
    town = TownFactory()
    register(client)
    reply = client.post(NEW, data=form(client, town.id, credit_code=WRONG_CHECK_DIGIT),
                        content_type="multipart/form-data")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert 'aria-describedby="credit_code-error"' in page
    assert 'id="credit_code-error"' in page and 'id="name_zh-error"' not in page
    assert applications() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Outlet)) == 0


def test_a_draft_is_saved_without_the_pledge_and_submitting_asks_for_it(client):
    town = TownFactory()
    register(client)
    saved = client.post(NEW, data=form(client, town.id, submit=False, photos=1), content_type="multipart/form-data")
    (application,) = applications()
    assert saved.status_code == 302 and application.status == "draft"
    edit = f"/account/applications/{application.id}/edit"
    data = form(client, town.id, photos=0)
    del data["pledge"]
    refused = client.post(edit, data=data, content_type="multipart/form-data")
    assert refused.status_code == 422 and 'id="pledge-error"' in refused.get_data(as_text=True)
    assert applications()[0].status == "draft"
    submitted = client.post(edit, data=form(client, town.id, photos=0), content_type="multipart/form-data")
    assert submitted.status_code == 302 and applications()[0].status == "submitted"


def test_the_applicant_withdraws_a_submitted_application_and_its_code_stays_taken(client):
    town = TownFactory()
    register(client)
    client.post(NEW, data=form(client, town.id), content_type="multipart/form-data")
    (application,) = applications()
    page = f"/account/applications/{application.id}"
    client.post(f"{page}/withdraw", data={"csrf_token": csrf_token(client, page)})
    client.post(NEW, data=form(client, town.id), content_type="multipart/form-data")
    first, second = sorted(applications(), key=lambda a: a.id)
    assert first.status == "withdrawn" and second.outlet.code != first.outlet.code


def test_another_user_can_neither_see_nor_change_the_application_or_its_photos(client, auth):
    town = TownFactory()
    register(client)
    client.post(NEW, data=form(client, town.id), content_type="multipart/form-data")
    (application,) = applications()
    photo = application.photos[0]
    base = f"/account/applications/{application.id}"
    client.post("/account/logout", data={"csrf_token": csrf_token(client, "/account/")})
    other = UserFactory()
    auth.login(other.email, PASSWORD)
    token = csrf_token(client, "/account/")
    for path in (base, f"{base}/edit", f"{base}/photos/{photo.id}", f"{base}/photos/{photo.id}/thumb"):
        assert fetch(client, path)[0] == 404, path
    for path in (f"{base}/withdraw", f"{base}/edit", f"{base}/photos/{photo.id}/remove"):
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path
    assert application.outlet.code not in client.get("/account/applications").get_data(as_text=True)
    assert applications()[0].status == "submitted" and len(applications()[0].photos) == 2


def test_county_staff_see_the_premises_photos(client, auth):
    town = TownFactory()
    register(client)
    client.post(NEW, data=form(client, town.id), content_type="multipart/form-data")
    (application,) = applications()
    client.post("/account/logout", data={"csrf_token": csrf_token(client, "/account/")})
    county = UserFactory(roles_given=("county_staff",))
    auth.login(county.email, PASSWORD)
    status, headers = fetch(client, f"/account/applications/{application.id}/photos/{application.photos[0].id}")
    assert status == 200 and headers["Content-Type"].startswith("image/")
