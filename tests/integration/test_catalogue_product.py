"""The product page (offers, buy form, provenance, certificate) and an outlet's shop page."""

from __future__ import annotations

import re
from datetime import date

from market.models import OutletCertification, ProductCertification
from tests.catalog_factories import ProducerFactory
from tests.factories import ListingFactory, OutletFactory, ProductFactory, TownFactory, VillageFactory


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def buy_form(page: str) -> str:
    match = re.search(r'<form method="post" action="/cart/add" class="buy-form">.*?</form>', page, re.S)
    assert match, "no buy form"
    return match.group(0)


def radios(form: str) -> list[str]:
    return re.findall(r'<input type="radio" name="listing_id"[^>]*>', form)


def test_product_page_shows_price_unit_price_offers_and_certificate(client, app):
    product = ProductFactory(sku="LX-P-A01", name_zh="陇州红富士苹果", unit="5kg/箱", net_grams=5000)
    ListingFactory(product=product, outlet=OutletFactory(name="城关专柜"), price_fen=7800)
    ListingFactory(product=product, outlet=OutletFactory(name="帮扶馆"), price_fen=6800)
    page = text(client, "/product/LX-P-A01")
    assert "<h1>陇州红富士苹果</h1>" in page
    assert '<p class="price">¥68.00</p>' in page  # the cheapest offer
    assert "¥6.80/斤" in page and "¥13.60/公斤" in page  # 明码标价: per 斤 and per kg
    assert page.index("帮扶馆") < page.index("城关专柜")  # cheapest first
    assert "LXCP-LX-P-A01" in page and "2020-01-01" in page  # certificate number and validity
    assert "带贫益贫" in page  # household-linked badge
    assert 'src="/static/img/placeholders/apple.svg"' in page and 'alt="' in page


def test_buy_form_posts_to_the_cart_with_one_radio_per_purchasable_listing(client, app):
    product = ProductFactory(sku="SKU-1")
    dear = ListingFactory(product=product, price_fen=9000, stock=50, min_quantity=2)
    cheap = ListingFactory(product=product, price_fen=5000, stock=50, min_quantity=3)
    sold_out = ListingFactory(product=product, price_fen=4000, stock=0)
    ListingFactory(product=product, price_fen=1000, active=False)
    ListingFactory(product=product, price_fen=1000, outlet=OutletFactory(certified=False))
    form = buy_form(text(client, "/product/SKU-1"))
    found = radios(form)
    assert [re.search(r'value="(\d+)"', r).group(1) for r in found] == [str(sold_out.id), str(cheap.id), str(dear.id)]
    assert "disabled" in found[0] and "checked" not in found[0]  # sold out: shown, cannot be chosen
    assert "checked" in found[1]  # the cheapest that can be bought is preselected
    assert 'name="quantity"' in form and 'type="number"' in form and 'min="3"' in form and 'value="3"' in form
    assert re.search(r'name="csrf_token" value="[^"]{20,}"', form)
    assert '<input type="hidden" name="next" value="/product/SKU-1">' in form
    assert '<button type="submit">' in form


def test_the_shop_page_link_preselects_that_outlets_offer(client, app):
    product = ProductFactory(sku="SKU-2")
    ListingFactory(product=product, price_fen=5000)
    mine = ListingFactory(product=product, price_fen=6000, outlet=OutletFactory(code="LX-O-555"))
    form = buy_form(text(client, "/product/SKU-2?outlet=LX-O-555"))
    assert "checked" in next(r for r in radios(form) if f'value="{mine.id}"' in r)
    assert "checked" not in next(r for r in radios(form) if f'value="{mine.id}"' not in r)


def test_each_visitor_gets_their_own_csrf_token_in_the_buy_form(client, app, migrated_app):
    ListingFactory(product=ProductFactory(sku="SKU-3"))
    other = migrated_app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(client, "/product/SKU-3")).group(1)
    other_token = re.search(r'name="csrf_token" value="([^"]+)"', text(other, "/product/SKU-3")).group(1)
    assert token != other_token


def test_sold_out_everywhere_has_no_submit_button(client, app):
    ListingFactory(product=ProductFactory(sku="GONE"), stock=0)
    form = buy_form(text(client, "/product/GONE"))
    assert "<button" not in form and "disabled" in radios(form)[0]


def test_uncertified_product_is_marked_and_cannot_be_bought(client, app):
    product = ProductFactory(sku="LAPSED", certified=False, name_en="Lapsed honey")
    product.certifications.append(ProductCertification(number="OLD-1", valid_from=date(2020, 1, 1),
                                                       valid_to=date(2021, 1, 1)))
    ListingFactory(product=product)
    client.get("/lang/en")
    page = text(client, "/product/LAPSED")
    assert "<h1>Lapsed honey</h1>" in page
    assert "not certified today and cannot be bought" in page
    assert "/cart/add" not in page and "OLD-1" not in page


def test_product_offered_only_by_uncertified_outlets_cannot_be_bought(client, app):
    ListingFactory(product=ProductFactory(sku="ORPHAN"), outlet=OutletFactory(certified=False))
    client.get("/lang/en")
    page = text(client, "/product/ORPHAN")
    assert "/cart/add" not in page and "No certified outlet sells this product today" in page


def test_provenance_shows_places_and_firm_names_but_never_a_household_producers_name(client, app):
    town = TownFactory(code="LX-T50", name_zh="八渡镇")
    village = VillageFactory(code="LX-T50-V02", town=town, name_zh="李家河村")
    coop = ProducerFactory(name="八渡镇中蜂养殖专业合作社", village=village)
    family = ProducerFactory(kind="household", name="王秀兰", village=village)
    ListingFactory(product=ProductFactory(sku="HONEY", producers=[coop, family]))
    page = text(client, "/product/HONEY")
    assert "八渡镇中蜂养殖专业合作社" in page and "李家河村" in page and "八渡镇" in page
    assert "王秀兰" not in page
    assert 'href="/town/LX-T50?village=LX-T50-V02"' in page
    assert "合作社</span>" in page or "Cooperative</span>" in page  # the producer kind


def test_unit_price_is_left_out_when_the_pack_weight_is_unknown(client, app):
    ListingFactory(product=ProductFactory(sku="MILK", unit="200ml×10袋", net_grams=None))
    assert 'class="unit-price"' not in text(client, "/product/MILK")


def test_shop_page_shows_kind_address_certificate_and_listings(client, app):
    outlet = OutletFactory(code="LX-O-001", name="陇县消费帮扶馆", kind="hall", address="陇县城关镇陇州大道东段88号",
                           contact_name="张秀芳", contact_phone="13900001001", bank_account_number="270712345")
    ListingFactory(outlet=outlet, product=ProductFactory(sku="A", name_zh="陇州苹果"), price_fen=6800, stock=3)
    ListingFactory(outlet=outlet, product=ProductFactory(sku="B", name_zh="未认定苹果", certified=False))
    ListingFactory(product=ProductFactory(sku="C", name_zh="别家苹果"))
    page = text(client, "/shop/LX-O-001")
    assert "<h1>陇县消费帮扶馆</h1>" in page and "消费帮扶馆" in page  # name and kind
    assert "陇县城关镇陇州大道东段88号" in page
    assert "LXXF-LX-O-001" in page and "2020-01-01" in page
    assert "陇州苹果" in page and "¥68.00" in page
    assert 'href="/product/A?outlet=LX-O-001"' in page
    assert "未认定苹果" not in page and "别家苹果" not in page
    for private in ("张秀芳", "13900001001", "270712345"):  # contact person and bank details stay private
        assert private not in page


def test_shop_of_an_outlet_not_certified_today_still_opens_but_sells_nothing(client, app):
    outlet = OutletFactory(code="LX-O-007", name="八渡镇供销社帮扶专柜", certified=False)
    outlet.certifications.append(OutletCertification(number="REVOKED-1", valid_from=date(2020, 1, 1),
                                                     revoked_on=date(2021, 6, 1)))
    ListingFactory(outlet=outlet, product=ProductFactory(name_zh="陇州苹果"))
    client.get("/lang/en")
    page = text(client, "/shop/LX-O-007")
    assert "八渡镇供销社帮扶专柜" in page
    assert "The county revoked this outlet's certification on 2021-06-01" in page
    assert "陇州苹果" not in page and "REVOKED-1" not in page


def test_an_outlet_that_was_never_certified_has_no_shop_page(client, app):
    """An applicant's outlet exists from its application on, but is no shop: its name and address stay private."""
    OutletFactory(code="LX-O-042", name="申请中的帮扶专柜", certified=False)
    assert client.get("/shop/LX-O-042").status_code == 404


def test_shop_listings_are_paged(client, app):
    outlet = OutletFactory(code="LX-O-100")
    for n in range(30):
        ListingFactory(outlet=outlet, product=ProductFactory(sku=f"S{n:02d}"))
    first = re.findall(r'href="/product/(S\d\d)\?', text(client, "/shop/LX-O-100"))
    second = re.findall(r'href="/product/(S\d\d)\?', text(client, "/shop/LX-O-100?page=2"))
    assert len(first) == 24 and len(second) == 6 and not set(first) & set(second)
