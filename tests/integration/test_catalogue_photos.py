"""The storefront shows listing photos (the category's drawing otherwise), never a stale one, at no extra
statement per card."""

from __future__ import annotations

import secrets

from market.extensions import db
from market.models import ListingPhoto
from tests.factories import ListingFactory, OutletFactory, ProductFactory
from tests.integration.test_catalogue_queries import build_catalogue, counter, counts_for  # noqa: F401


def add_photo(listing, position: int = 0) -> ListingPhoto:
    """A photo row for the listing, with keys of the storage module's shape (no file needed to render)."""
    photo = ListingPhoto(listing_id=listing.id, key=f"listings/{secrets.token_hex(16)}.jpg",
                         thumb_key=f"listings/{secrets.token_hex(16)}.webp", width=1600, height=1200,
                         position=position)
    db.session.add(photo)
    db.session.commit()
    return photo


def test_cards_show_the_first_photo_of_the_cheapest_listing_with_photos(client, app):
    product = ProductFactory(sku="PIC", name_zh="照片苹果")
    cheap = ListingFactory(product=product, price_fen=5000)
    dear = ListingFactory(product=product, price_fen=9000)
    plain = ListingFactory(product=ProductFactory(sku="NOPIC", name_zh="无图苹果"))
    second = add_photo(dear, position=1)
    first = add_photo(dear, position=0)
    page = client.get("/search?q=苹果").get_data(as_text=True)
    assert f"/media/{first.thumb_key}" in page and f"/media/{second.thumb_key}" not in page
    assert page.count("/static/img/placeholders/apple.svg") == 1  # NOPIC keeps the category's drawing
    cheapest = add_photo(cheap)
    page = client.get("/search?q=苹果").get_data(as_text=True)
    assert f"/media/{cheapest.thumb_key}" in page and f"/media/{first.thumb_key}" not in page
    assert plain.id


def test_photos_of_a_listing_that_cannot_be_sold_are_not_shown(client, app):
    product = ProductFactory(sku="HIDDEN")
    ListingFactory(product=product, price_fen=5000)
    closed = ListingFactory(product=product, outlet=OutletFactory(certified=False), price_fen=1000)
    photo = add_photo(closed)
    assert f"/media/{photo.thumb_key}" not in client.get("/search").get_data(as_text=True)
    assert f"/media/{photo.key}" not in client.get("/product/HIDDEN").get_data(as_text=True)


def test_the_product_page_shows_the_chosen_outlets_photos_full_size_on_tap(client, app):
    product = ProductFactory(sku="GALLERY", name_zh="相册苹果")
    cheap = ListingFactory(product=product, price_fen=5000, outlet=OutletFactory(code="LX-O-301"))
    other = ListingFactory(product=product, price_fen=7000, outlet=OutletFactory(code="LX-O-302"))
    main, extra = add_photo(cheap, 0), add_photo(cheap, 1)
    theirs = add_photo(other, 0)
    page = client.get("/product/GALLERY").get_data(as_text=True)
    assert f'<a href="/media/{main.key}" class="main-photo"><img src="/media/{main.key}" alt="相册苹果"' in page
    assert f'<a href="/media/{extra.key}"><img src="/media/{extra.thumb_key}"' in page
    assert "placeholders" not in page.split('class="gallery"')[1].split("</figure>")[0]
    chosen = client.get("/product/GALLERY?outlet=LX-O-302").get_data(as_text=True)
    assert f"/media/{theirs.key}" in chosen and f"/media/{main.key}" not in chosen


def test_without_photos_the_category_drawing_stays(client, app):
    ListingFactory(product=ProductFactory(sku="DRAWN"))
    page = client.get("/product/DRAWN").get_data(as_text=True)
    assert "/static/img/placeholders/apple.svg" in page and "/media/" not in page


def test_shop_page_cards_show_each_listings_own_photo(client, app):
    shop = OutletFactory(code="LX-O-303")
    with_photo = ListingFactory(outlet=shop, product=ProductFactory(sku="S1"))
    ListingFactory(outlet=shop, product=ProductFactory(sku="S2"))
    photo = add_photo(with_photo)
    page = client.get("/shop/LX-O-303").get_data(as_text=True)
    assert f"/media/{photo.thumb_key}" in page and "/static/img/placeholders/apple.svg" in page


def test_kept_pages_show_a_new_reordered_or_removed_photo_at_once(client, app, cached):
    listing = ListingFactory(product=ProductFactory(sku="FRESHPIC", name_zh="新图苹果"))
    for path in ("/product/FRESHPIC", "/search?q=新图"):
        assert "/media/" not in client.get(path).get_data(as_text=True)
        assert "/media/" not in client.get(path).get_data(as_text=True)  # served from the kept copy
    first = add_photo(listing, 0)
    assert f"/media/{first.key}" in client.get("/product/FRESHPIC").get_data(as_text=True)
    assert f"/media/{first.thumb_key}" in client.get("/search?q=新图").get_data(as_text=True)
    second = add_photo(listing, 1)
    first.position, second.position = 1, 0
    db.session.commit()
    assert f"/media/{second.key}\" class=\"main-photo\"" in client.get("/product/FRESHPIC").get_data(as_text=True)
    assert f"/media/{second.thumb_key}" in client.get("/search?q=新图").get_data(as_text=True)
    db.session.delete(first)
    db.session.delete(second)
    db.session.commit()
    assert "/media/" not in client.get("/product/FRESHPIC").get_data(as_text=True)
    assert "/media/" not in client.get("/search?q=新图").get_data(as_text=True)


def test_photos_add_no_statement_per_card(client, app, counter):  # noqa: F811
    paths = build_catalogue(8)
    without = counts_for(client, counter, paths)
    from market.models import Listing

    for listing in db.session.scalars(db.select(Listing)):
        add_photo(listing, 0)
        add_photo(listing, 1)
    with_photos = counts_for(client, counter, paths)
    assert with_photos == without, (without, with_photos)
    assert "/media/" in client.get("/product/Q000").get_data(as_text=True)
