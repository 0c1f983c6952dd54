"""Demo listing photos: drawn the same way every time, stored through the upload path, shown on the storefront."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from market import storage
from market.demo import load_demo
from market.demo.photos import demo_picture
from market.extensions import db
from market.models import Listing, ListingPhoto, Outlet

TODAY = date(2026, 12, 2)


@pytest.fixture
def demo_with_photos(app, tmp_path, monkeypatch) -> int:
    monkeypatch.setitem(app.config, "MARKET_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "MARKET_TODAY", TODAY)
    result = load_demo(TODAY)  # its photos come with it
    db.session.commit()
    assert result is not None
    return result.counts["listing_photos"]


def test_the_same_product_is_always_drawn_the_same_way_and_categories_differ():
    assert demo_picture("LX-P-001", "apple") == demo_picture("LX-P-001", "apple")
    drawings = {demo_picture("LX-P-001", c) for c in ("apple", "goat_milk", "honey", "walnut", "pepper", "other")}
    assert len(drawings) == 6
    assert demo_picture("LX-P-001", "apple", close_up=True) != demo_picture("LX-P-001", "apple")


def test_every_product_on_sale_shows_a_photo_and_every_photo_has_its_files(client, demo_with_photos):
    photos = list(db.session.scalars(sa.select(ListingPhoto)))
    assert len(photos) == demo_with_photos > 0
    assert all(storage.exists(p.key) and storage.exists(p.thumb_key) for p in photos)
    page = client.get("/search").get_data(as_text=True)
    assert "/media/listings/" in page and "/static/img/placeholders/" not in page


def test_featured_listings_of_lx_o_001_have_a_gallery(client, demo_with_photos):
    featured = db.session.scalars(
        sa.select(Listing).join(Outlet).where(Outlet.code == "LX-O-001", Listing.featured.is_(True))).first()
    positions = db.session.scalars(sa.select(ListingPhoto.position).where(ListingPhoto.listing_id == featured.id)
                                   .order_by(ListingPhoto.position)).all()
    assert positions == [0, 1]
    page = client.get(f"/product/{featured.product.sku}?outlet=LX-O-001").get_data(as_text=True)
    assert 'class="main-photo"' in page and 'class="gallery-thumbs"' in page
