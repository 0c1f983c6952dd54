"""Outlet staff add, reorder and remove their listings' photos through the real pages; nobody else can."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import ListingPhoto, OutletMembership
from tests import images
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, ProductFactory, UserFactory


@pytest.fixture
def upload_root(app, tmp_path, monkeypatch) -> Path:
    """An empty upload folder for this test."""
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "MARKET_UPLOADS", str(root))
    return root


@pytest.fixture
def shops(app):
    """Two outlets, each with a listing and a staff member (clerk1@ at LX-O-201, clerk2@ at LX-O-202)."""
    made = {}
    for n in (1, 2):
        outlet = OutletFactory(code=f"LX-O-20{n}")
        listing = ListingFactory(outlet=outlet, product=ProductFactory(sku=f"PHOTO-{n}"))
        user = UserFactory(email=f"clerk{n}@example.com", roles_given=("outlet_staff",))
        db.session.add(OutletMembership(outlet=outlet, user=user, is_owner=False))
        made[n] = (outlet.code, listing.id)
    db.session.commit()
    return made


def login(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


def page_of(shops, n: int) -> str:
    code, listing_id = shops[n]
    return f"/outlet/{code}/listings/{listing_id}/photos"


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def photos(listing_id: int) -> list[ListingPhoto]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ListingPhoto).where(ListingPhoto.listing_id == listing_id)
                                   .order_by(ListingPhoto.position)))


def upload(client, path: str, *files: tuple[bytes, str], camera: tuple[bytes, str] | None = None):
    """Post the files as the page's form does: the gallery input (several) and the camera input (one)."""
    parts = [(io.BytesIO(data), name) for data, name in files]
    camera_part = [(io.BytesIO(camera[0]), camera[1])] if camera else [(io.BytesIO(b""), "")]
    return client.post(path, data={"csrf_token": csrf_token(client, path), "photos": parts + camera_part},
                       content_type="multipart/form-data")


def test_staff_add_photos_from_the_gallery_and_the_camera(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    page = clerk.get(page_of(shops, 1)).get_data(as_text=True)
    assert 'accept="image/*"' in page and 'capture="environment"' in page and "multiple" in page
    response = upload(clerk, page_of(shops, 1), (images.photo(), "a.jpg"), camera=(images.photo(fmt="PNG"), "b.png"))
    assert response.status_code == 302
    added = photos(shops[1][1])
    assert [p.position for p in added] == [0, 1]
    assert len(files_in(upload_root)) == 4  # two pictures, two thumbnails
    page = clerk.get(page_of(shops, 1)).get_data(as_text=True)
    assert f"/media/{added[0].thumb_key}" in page and f"/media/{added[1].thumb_key}" in page
    with clerk.get(f"/media/{added[0].key}") as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/jpeg"


def test_one_refused_file_stores_none_of_the_batch_and_names_the_file(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    response = upload(clerk, page_of(shops, 1), (images.photo(), "good.jpg"), (images.renamed_pdf(), "发票.jpg"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="photos-error"' in text and "发票.jpg" in text
    assert photos(shops[1][1]) == [] and files_in(upload_root) == []


def test_a_decompression_bomb_is_refused_and_nothing_is_stored(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    response = upload(clerk, page_of(shops, 1), (images.png_bomb(20000, 20000), "bomb.png"))
    assert response.status_code == 422
    assert photos(shops[1][1]) == [] and files_in(upload_root) == []


def test_an_empty_form_asks_for_a_photo(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    response = upload(clerk, page_of(shops, 1))
    assert response.status_code == 422 and 'id="photos-error"' in response.get_data(as_text=True)


def test_a_listing_has_at_most_six_photos(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    small = images.photo((60, 40))
    assert upload(clerk, page_of(shops, 1), *[(small, f"{i}.jpg") for i in range(5)]).status_code == 302
    response = upload(clerk, page_of(shops, 1), (small, "6.jpg"), (small, "7.jpg"))
    assert response.status_code == 422 and len(photos(shops[1][1])) == 5
    assert upload(clerk, page_of(shops, 1), (small, "6.jpg")).status_code == 302
    page = clerk.get(page_of(shops, 1)).get_data(as_text=True)
    assert 'type="file"' not in page  # full: the form gives way to a note
    assert len(files_in(upload_root)) == 12


def test_photos_are_reordered_and_removed_with_their_files(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    small = images.photo((60, 40))
    upload(clerk, page_of(shops, 1), (small, "a.jpg"), (small, "b.jpg"), (small, "c.jpg"))
    first, second, third = photos(shops[1][1])
    first_files = {first.key.rsplit("/", 1)[1], first.thumb_key.rsplit("/", 1)[1]}
    token = csrf_token(clerk, page_of(shops, 1))
    assert clerk.post(f"{page_of(shops, 1)}/{third.id}/move",
                      data={"csrf_token": token, "direction": "earlier"}).status_code == 302
    first_id, second_id, third_id = first.id, second.id, third.id
    assert [p.id for p in photos(shops[1][1])] == [first_id, third_id, second_id]
    assert clerk.post(f"{page_of(shops, 1)}/{first_id}/move",
                      data={"csrf_token": token, "direction": "sideways"}).status_code == 400
    assert clerk.post(f"{page_of(shops, 1)}/{first_id}/remove", data={"csrf_token": token}).status_code == 302
    remaining = photos(shops[1][1])
    assert [(p.id, p.position) for p in remaining] == [(third_id, 0), (second_id, 1)]
    names = {p.name for p in files_in(upload_root)}
    assert not first_files & names and len(names) == 4


def test_no_one_reaches_another_outlets_listing_or_photos(app, shops, upload_root):
    owner_of_1 = login(app, "clerk1@example.com")
    upload(owner_of_1, page_of(shops, 1), (images.photo((60, 40)), "a.jpg"))
    (photo,) = photos(shops[1][1])
    other = login(app, "clerk2@example.com")
    code2, listing2 = shops[2]
    code1, listing1 = shops[1]
    token = csrf_token(other, page_of(shops, 2))
    for path in (page_of(shops, 1), f"/outlet/{code2}/listings/{listing1}/photos",
                 f"/outlet/{code1}/listings/{listing2}/photos"):
        assert other.get(path).status_code == 404, path
    for path in (f"{page_of(shops, 1)}/{photo.id}/remove",
                 f"/outlet/{code2}/listings/{listing1}/photos/{photo.id}/remove",
                 f"/outlet/{code2}/listings/{listing2}/photos/{photo.id}/remove"):
        assert other.post(path, data={"csrf_token": token}).status_code == 404, path
        assert other.post(path.replace("/remove", "/move"),
                          data={"csrf_token": token, "direction": "later"}).status_code == 404, path
    response = upload(other, page_of(shops, 2), (images.photo((60, 40)), "b.jpg"))
    assert response.status_code == 302  # their own listing works
    assert len(photos(listing1)) == 1 and len(photos(listing2)) == 1


def test_forms_without_a_csrf_token_are_refused(app, shops, upload_root):
    clerk = login(app, "clerk1@example.com")
    response = clerk.post(page_of(shops, 1), data={"photos": [(io.BytesIO(images.photo()), "a.jpg")]},
                          content_type="multipart/form-data")
    assert response.status_code == 400 and files_in(upload_root) == []
