"""Browsing the catalogue: home, categories, towns and villages, outlets, search with filters, sorting and paging."""

from __future__ import annotations

import re
from datetime import date

import pytest

from market.domain.dates import business_date
from market.models import Category
from tests.catalog_factories import ProducerFactory
from tests.factories import (
    CategoryFactory,
    ListingFactory,
    OutletFactory,
    ProductFactory,
    TownFactory,
    VillageFactory,
)


def skus(page: str) -> list[str]:
    """The SKUs of the product cards on a page, in order."""
    return re.findall(r'class="card product-card">.*?href="/product/([^"?]+)', page, re.S)


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def honey() -> Category:
    return CategoryFactory(code="honey", name_zh="蜂蜜", name_en="Honey")


def test_home_shows_produce_in_season_and_featured_produce(client, app):
    month = business_date().month
    ListingFactory(product=ProductFactory(sku="SEASONAL", name_zh="当季苹果"), season_start=month, season_end=month)
    ListingFactory(product=ProductFactory(sku="OFFSEASON", name_zh="反季苹果"),
                   season_start=month % 12 + 1, season_end=month % 12 + 1, featured=True)
    page = text(client, "/")
    season, featured = page.split('id="featured-heading"')
    assert "当季苹果" in season and "反季苹果" not in season
    assert "反季苹果" in featured and "当季苹果" not in featured  # each product shows once


def test_home_offers_every_way_into_the_catalogue(client, app):
    town = TownFactory(code="LX-T99", name_zh="测试镇")
    outlet = OutletFactory(code="LX-O-900", name="测试帮扶馆", kind="hall")
    OutletFactory(code="LX-O-901", name="已过期专柜", certified=False)
    ListingFactory(outlet=outlet)
    page = text(client, "/")
    assert 'href="/category/apple"' in page
    assert f'href="/town/{town.code}"' in page
    assert 'href="/shop/LX-O-900"' in page and "测试帮扶馆" in page
    assert "已过期专柜" not in page
    assert 'href="/shops"' in page


def test_category_page_lists_only_that_category(client, app):
    ListingFactory(product=ProductFactory(name_zh="陇州苹果"))
    ListingFactory(product=ProductFactory(name_zh="中蜂蜂蜜", category=honey()))
    page = text(client, "/category/honey")
    assert "中蜂蜂蜜" in page and "陇州苹果" not in page
    assert "<h1>蜂蜜</h1>" in page


@pytest.mark.parametrize("path", ["/category/nope", "/town/nope", "/shop/nope", "/product/nope",
                                  "/category/%00", "/product/%E2%80%AE", "/shop/..%2f..%2fetc"])
def test_unknown_codes_are_not_found(client, app, path):
    assert client.get(path).status_code == 404


def test_town_page_lists_produce_of_its_producers_and_filters_by_village(client, app):
    town = TownFactory(code="LX-T77", name_zh="东风镇")
    duyang = VillageFactory(code="LX-T77-V01", town=town, name_zh="杜阳村")
    jingfu = VillageFactory(code="LX-T77-V02", town=town, name_zh="景福村")
    ListingFactory(product=ProductFactory(name_zh="杜阳苹果", producers=[ProducerFactory(village=duyang)]))
    ListingFactory(product=ProductFactory(name_zh="景福苹果", producers=[ProducerFactory(village=jingfu)]))
    ListingFactory(product=ProductFactory(name_zh="别处苹果", producers=[ProducerFactory()]))
    page = text(client, "/town/LX-T77")
    assert "杜阳苹果" in page and "景福苹果" in page and "别处苹果" not in page
    page = text(client, "/town/LX-T77?village=LX-T77-V01")
    assert "杜阳苹果" in page and "景福苹果" not in page
    # A village of another town, or no village at all, is ignored: the whole town is shown.
    for village in ("LX-T01-V01", "bogus", "%00"):
        page = text(client, f"/town/LX-T77?village={village}")
        assert "杜阳苹果" in page and "景福苹果" in page


def test_shops_lists_certified_outlets_and_filters_by_kind(client, app):
    OutletFactory(name="城关帮扶专柜", kind="counter")
    OutletFactory(name="陇州网店", kind="online")
    OutletFactory(name="吊销的专柜", certified=False)
    page = text(client, "/shops")
    assert "城关帮扶专柜" in page and "陇州网店" in page and "吊销的专柜" not in page
    page = text(client, "/shops?kind=online")
    assert "陇州网店" in page and "城关帮扶专柜" not in page
    assert "城关帮扶专柜" in text(client, "/shops?kind=bogus&page=-3")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("果", {"APPLE"}),  # one Chinese character, in the name
        ("苹果", {"APPLE"}),
        ("百花", {"HONEY"}),  # in the description
        ("蜂蜜", {"HONEY"}),  # the category's name
        ("honey", {"HONEY"}),  # English name, any case
        ("HONEY", {"HONEY"}),
        ("杜阳村", {"APPLE"}),  # the producer's village
        ("东风", {"APPLE"}),  # the producer's town
        ("杜阳合作社", {"APPLE"}),  # a cooperative's name
        ("王建军", set()),  # a household producer's name is never searched: it may be a person's
        ("蜜 百花", {"HONEY"}),  # every word must match somewhere
        ("苹果 百花", set()),
        ("%", set()),  # LIKE wildcards are taken literally
        ("_", set()),
        ("核桃", set()),
    ],
)
def test_search_matches_name_description_category_place_and_producer(client, app, query, found):
    town = TownFactory(name_zh="东风镇")
    village = VillageFactory(town=town, name_zh="杜阳村")
    coop = ProducerFactory(name="杜阳合作社", village=village)
    family = ProducerFactory(kind="household", name="王建军", village=VillageFactory())
    ListingFactory(product=ProductFactory(sku="APPLE", name_zh="陇州苹果", name_en="Apples", description="脆甜",
                                          producers=[coop]))
    ListingFactory(product=ProductFactory(sku="HONEY", name_zh="中蜂土蜜", name_en="Wild Honey", description="百花",
                                          category=honey(), producers=[family]))
    assert set(skus(text(client, "/search?q=" + query.replace("%", "%25")))) == found


def test_search_results_are_paged(client, app):
    outlet = OutletFactory()
    for n in range(25):
        ListingFactory(outlet=outlet, product=ProductFactory(sku=f"P{n:02d}"), price_fen=1000 + n)
    first = skus(text(client, "/search?q=苹果&sort=price_asc"))
    second = skus(text(client, "/search?q=苹果&sort=price_asc&page=2"))
    assert first == [f"P{n:02d}" for n in range(20)]
    assert second == [f"P{n:02d}" for n in range(20, 25)]
    assert skus(text(client, "/search?q=苹果&sort=price_asc&page=99")) == second  # clamped to the last page
    page = text(client, "/search?q=苹果&sort=price_asc")
    assert 'href="/search?q=%E8%8B%B9%E6%9E%9C&amp;sort=price_asc&amp;page=2" rel="next"' in page


def test_search_sorts_by_price_and_newest(client, app):
    cheap = ListingFactory(product=ProductFactory(sku="CHEAP"), price_fen=3000)
    ListingFactory(product=ProductFactory(sku="DEAR"), price_fen=9000)
    ListingFactory(product=ProductFactory(sku="MID"), price_fen=6000)
    assert skus(text(client, "/search?sort=price_asc")) == ["CHEAP", "MID", "DEAR"]
    assert skus(text(client, "/search?sort=price_desc")) == ["DEAR", "MID", "CHEAP"]
    assert skus(text(client, "/search?sort=newest")) == ["MID", "DEAR", "CHEAP"]
    # A product is priced by its cheapest offer: a second, cheaper outlet moves it.
    ListingFactory(product=cheap.product, price_fen=1000)
    ListingFactory(product=ProductFactory(sku="DEAR2"), price_fen=100_00)
    assert skus(text(client, "/search?sort=price_asc"))[0] == "CHEAP"


def test_search_filters_by_category_outlet_kind_and_household_link(client, app):
    hall = OutletFactory(kind="hall")
    ListingFactory(product=ProductFactory(sku="LINKED"), outlet=hall)
    ListingFactory(product=ProductFactory(sku="PLAIN", household_linked=False))
    ListingFactory(product=ProductFactory(sku="HONEY", name_zh="中蜂蜜", category=honey()), price_fen=5000)
    assert set(skus(text(client, "/search?category=honey"))) == {"HONEY"}
    assert set(skus(text(client, "/search?kind=hall"))) == {"LINKED"}
    assert set(skus(text(client, "/search?linked=1"))) == {"LINKED", "HONEY"}
    assert set(skus(text(client, "/search?q=苹果&linked=1&kind=counter"))) == set()


def test_outlet_kind_filter_prices_a_product_by_that_kind_of_outlet_only(client, app):
    product = ProductFactory(sku="BOTH")
    ListingFactory(product=product, outlet=OutletFactory(kind="counter"), price_fen=5000)
    ListingFactory(product=product, outlet=OutletFactory(kind="online"), price_fen=7000)
    assert "¥70.00" in text(client, "/search?kind=online")
    assert "¥50.00" in text(client, "/search")


@pytest.mark.parametrize(
    "query_string",
    ["page=abc", "page=-1", "page=0", "page=1e9", "sort=bogus", "category=unknown", "kind=castle", "linked=yes",
     "category=%00", "q=%00", "q=%ED%A0%80", "page=" + "9" * 50, "q=a&q=b", "sort=", "kind=&category="],
)
def test_bad_query_parameters_are_ignored_or_clamped(client, app, query_string):
    ListingFactory(product=ProductFactory(sku="ONE", name_zh="陇州苹果"))
    for path in ("/search", "/category/apple", "/shops", "/shop/LX-O-000", "/product/ONE"):
        response = client.get(f"{path}?{query_string}")
        assert response.status_code in (200, 404), (path, query_string)
        assert response.status_code == 200 or path == "/shop/LX-O-000"


def test_one_character_and_empty_and_huge_queries(client, app):
    ListingFactory(product=ProductFactory(sku="A", name_zh="陇州苹果"))
    assert skus(text(client, "/search?q=果")) == ["A"]
    assert skus(text(client, "/search?q=")) == ["A"]  # an empty search lists everything
    assert skus(text(client, "/search?q=%20%20")) == ["A"]
    page = text(client, "/search?q=" + "果" * 10_000)
    assert "100" in page  # told that the search was shortened to 100 characters
    assert skus(page) == []  # "果" x 100 is in no product


def test_the_search_is_escaped_wherever_it_is_shown(client, app):
    page = text(client, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_uncertified_products_and_outlets_are_not_listed(client, app):
    ListingFactory(product=ProductFactory(sku="NOCERT", certified=False))
    ListingFactory(outlet=OutletFactory(certified=False), product=ProductFactory(sku="BADOUTLET"))
    ListingFactory(product=ProductFactory(sku="INACTIVE"), active=False)
    ListingFactory(product=ProductFactory(sku="OK"))
    for path in ("/", "/search", "/category/apple", "/search?q=苹果"):
        assert skus(text(client, path)) == ["OK"], path


def test_an_expired_or_revoked_certificate_counts_as_none(client, app):
    from market.models import ProductCertification

    today = business_date()
    expired = ProductFactory(sku="EXPIRED", certified=False)
    expired.certifications.append(ProductCertification(number="X-1", valid_from=date(2020, 1, 1),
                                                       valid_to=date(2021, 1, 1)))
    revoked = ProductFactory(sku="REVOKED", certified=False)
    revoked.certifications.append(ProductCertification(number="X-2", valid_from=date(2020, 1, 1), revoked_on=today))
    ListingFactory(product=expired)
    ListingFactory(product=revoked)
    assert skus(text(client, "/search")) == []


@pytest.mark.parametrize(("start", "end"), [(None, None), (1, 12), (9, 2), (3, 5), (11, 1), (6, 6)])
def test_the_in_season_tag_follows_the_domain_rule(client, app, start, end):
    from market.domain.availability import in_season

    month = business_date().month
    ListingFactory(season_start=start, season_end=end)
    seasonal = start is not None and in_season(month, start, end)
    assert ('class="tag season"' in text(client, "/search")) is seasonal


def test_pages_work_in_english_with_english_names(client, app):
    ListingFactory(product=ProductFactory(name_zh="陇州苹果", name_en="Longzhou apples"), price_fen=6800)
    client.get("/lang/en")
    page = text(client, "/category/apple")
    assert "Longzhou apples" in page and "陇州苹果" not in page
    assert "¥6.80/500 g" in page and "¥13.60/kg" in page


def test_the_sql_form_of_purchasable_agrees_with_the_models(app):
    import sqlalchemy as sa

    from market.extensions import db
    from market.models import Listing, OutletCertification, ProductCertification
    from market.services.catalog.search import purchasable

    today = business_date()
    windows = [dict(valid_from=date(2020, 1, 1)), dict(valid_from=today), dict(valid_from=date(2020, 1, 1),
               valid_to=today), dict(valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1)),
               dict(valid_from=date(2020, 1, 1), revoked_on=today), dict(valid_from=date(2099, 1, 1))]
    for n, window in enumerate(windows):
        for m, other in enumerate(windows):
            product = ProductFactory(certified=False)
            product.certifications.append(ProductCertification(number=f"P{n}-{m}", **window))
            outlet = OutletFactory(certified=False)
            outlet.certifications.append(OutletCertification(number=f"O{n}-{m}", **other))
            ListingFactory(product=product, outlet=outlet, active=(n + m) % 5 != 0)
    listings = db.session.scalars(sa.select(Listing)).all()
    expected = {x.id for x in listings if x.active and x.product.certified_on(today) and x.outlet.certified_on(today)}
    assert expected and len(expected) < len(listings)
    assert set(db.session.scalars(sa.select(Listing.id).where(*purchasable(today)))) == expected
