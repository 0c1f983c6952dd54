"""The catalogue pages read a fixed number of SQL statements whatever they show, and the cache is exact."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event

from market.extensions import db
from market.services.catalog import cache as catalog_cache
from tests.catalog_factories import ProducerFactory
from tests.factories import ListingFactory, OutletFactory, ProductFactory, TownFactory, VillageFactory

MAX_STATEMENTS = 6


def build_catalogue(n: int) -> list[str]:
    """n products from one village's producer, sold by one outlet (n listings), the first by n outlets; the paths."""
    town = TownFactory(code="LX-T88")
    producer = ProducerFactory(village=VillageFactory(code="LX-T88-V01", town=town))
    shop = OutletFactory(code="LX-O-888", kind="hall")
    products = [ProductFactory(sku=f"Q{i:03d}", producers=[producer]) for i in range(n)]
    month_start, month_end = 1, 12
    for i, product in enumerate(products):
        ListingFactory(outlet=shop, product=product, price_fen=1000 + i, featured=i % 2 == 0,
                       season_start=month_start if i % 3 == 0 else None, season_end=month_end if i % 3 == 0 else None)
    for i in range(1, n):
        ListingFactory(product=products[0], price_fen=2000 + i, stock=i % 4)
    return ["/", "/category/apple", "/town/LX-T88", "/town/LX-T88?village=LX-T88-V01", "/search?q=苹果",
            "/search?q=果&kind=hall&linked=1&sort=price_desc", "/search", "/shops", "/shop/LX-O-888",
            "/product/Q000"]


class StatementCounter:
    """Counts the statements the app's engine executes (and the SQLite cache probe on its side connection)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[str] = []
        read = catalog_cache._SqliteVersion.read

        def counted(probe: catalog_cache._SqliteVersion) -> int:
            self.statements.append("PRAGMA data_version")
            return read(probe)

        monkeypatch.setattr(catalog_cache._SqliteVersion, "read", counted)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        self.statements.append(statement)

    def count(self, client, path: str) -> int:
        self.statements.clear()
        response = client.get(path)
        assert response.status_code == 200, path
        return len(self.statements)


@pytest.fixture
def counter(app, monkeypatch) -> Iterator[StatementCounter]:
    found = StatementCounter(monkeypatch)
    event.listen(db.engine, "before_cursor_execute", found)
    yield found
    event.remove(db.engine, "before_cursor_execute", found)



def counts_for(client, counter: StatementCounter, paths: list[str]) -> dict[str, int]:
    for path in paths:  # warm-up: the first request of the process loads the translations, etc.
        counter.count(client, path)
    return {path: counter.count(client, path) for path in paths}


def test_statements_per_page_do_not_grow_with_the_number_of_items(client, app, counter):
    small = counts_for(client, counter, build_catalogue(3))
    from tests.conftest import _empty_tables

    _empty_tables(app)
    large = counts_for(client, counter, build_catalogue(30))
    assert small == large
    assert all(n <= MAX_STATEMENTS for n in large.values()), large


def test_a_repeated_page_costs_one_version_check_while_nothing_changes(client, app, counter, cached):
    paths = build_catalogue(5)
    first = {path: counter.count(client, path) for path in paths}
    assert all(n <= MAX_STATEMENTS for n in first.values()), first  # the check included
    # On PostgreSQL the version is the cluster's snapshot, which any writing transaction moves, in any database
    # of the server (another test run sharing it, say): a page may then be rendered once more. A working cache
    # answers from memory within a few rounds; a broken one never does.
    for _ in range(3):
        again = {path: counter.count(client, path) for path in paths}
        if set(again.values()) == {1}:
            break
    assert set(again.values()) == {1}, again


def test_the_cache_sees_every_commit_at_once(client, app, cached):
    listing = ListingFactory(product=ProductFactory(sku="FRESH", name_zh="鲜苹果"), price_fen=6800, stock=50)
    assert "¥68.00" in client.get("/product/FRESH").get_data(as_text=True)
    assert "鲜苹果" in client.get("/search?q=苹果").get_data(as_text=True)
    listing.price_fen = 5900
    db.session.commit()
    assert "¥59.00" in client.get("/product/FRESH").get_data(as_text=True)
    listing.active = False
    db.session.commit()
    assert "鲜苹果" not in client.get("/search?q=苹果").get_data(as_text=True)
    assert "/cart/add" not in client.get("/product/FRESH").get_data(as_text=True)


def test_the_cache_keeps_each_business_day_apart(client, app, cached, monkeypatch):
    from datetime import date

    from market.models import ProductCertification

    product = ProductFactory(sku="ENDS", certified=False)
    product.certifications.append(ProductCertification(number="END-1", valid_from=date(2020, 1, 1),
                                                       valid_to=date(2030, 6, 30)))
    ListingFactory(product=product)
    monkeypatch.setitem(app.config, "MARKET_TODAY", date(2030, 6, 30))  # the one clock of views and page keys
    assert "/cart/add" in client.get("/product/ENDS").get_data(as_text=True)
    monkeypatch.setitem(app.config, "MARKET_TODAY", date(2030, 7, 1))
    assert "/cart/add" not in client.get("/product/ENDS").get_data(as_text=True)
