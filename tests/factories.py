"""factory_boy factories for the models, committing through the app's session."""

from __future__ import annotations

from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from market.extensions import db
from market.models import (
    Category,
    Institution,
    Listing,
    OfflineSale,
    Outlet,
    OutletCertification,
    Product,
    ProductCertification,
    Town,
    User,
    UserRole,
    Village,
)

PASSWORD = "correct-horse-9"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashing is slow on purpose: do it once


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(_Base):
    """A user with a known password and the roles given as `roles=(...)`."""

    class Meta:
        model = User
        exclude = ("roles_given",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"用户{n}")
    locale = "zh"
    roles_given = ("consumer",)

    password_hash = PASSWORD_HASH

    @factory.lazy_attribute
    def roles(self) -> list[UserRole]:
        return [UserRole(role=r) for r in self.roles_given]


class TownFactory(_Base):
    class Meta:
        model = Town

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name_zh = factory.Sequence(lambda n: f"测试{n}镇")
    name_en = factory.Sequence(lambda n: f"Test Town {n}")


class VillageFactory(_Base):
    class Meta:
        model = Village

    code = factory.Sequence(lambda n: f"V{n:03d}")
    town = factory.SubFactory(TownFactory)
    name_zh = factory.Sequence(lambda n: f"测试{n}村")
    name_en = factory.Sequence(lambda n: f"Test Village {n}")


class CategoryFactory(_Base):
    class Meta:
        model = Category
        sqlalchemy_get_or_create = ("code",)

    code = "apple"
    name_zh = "苹果"
    name_en = "Apples"


class ProductFactory(_Base):
    """A product; pass `certified=False` for one without certification."""

    class Meta:
        model = Product
        exclude = ("certified",)

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name_zh = factory.Sequence(lambda n: f"陇州苹果{n}号 5kg")
    name_en = factory.Sequence(lambda n: f"Longzhou apples no. {n}, 5 kg")
    category = factory.SubFactory(CategoryFactory)
    unit = "5kg/箱"
    net_grams = 5000
    description = "陇县高原红富士"
    household_linked = True
    certified = True

    @factory.lazy_attribute
    def certifications(self) -> list[ProductCertification]:
        if not self.certified:
            return []
        return [ProductCertification(number=f"LXCP-{self.sku}", valid_from=date(2020, 1, 1))]


class OutletFactory(_Base):
    """An outlet; pass `certified=False` for one without certification."""

    class Meta:
        model = Outlet
        exclude = ("certified",)

    code = factory.Sequence(lambda n: f"LX-O-{n:03d}")
    kind = "counter"
    name = factory.Sequence(lambda n: f"测试帮扶专柜{n}")
    address = "陇县城关镇"
    operator = "测试经营者"
    certified = True

    @factory.lazy_attribute
    def certifications(self) -> list[OutletCertification]:
        if not self.certified:
            return []
        return [OutletCertification(number=f"LXXF-{self.code}", valid_from=date(2020, 1, 1))]


class ListingFactory(_Base):
    class Meta:
        model = Listing

    outlet = factory.SubFactory(OutletFactory)
    product = factory.SubFactory(ProductFactory)
    price_fen = 6800
    unit = "箱"
    stock = 10


class InstitutionFactory(_Base):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试单位{n}")
    credit_code = factory.Sequence(lambda n: f"91610327MA{n:08d}")
    kind = "government"
    programme = "local"
    verified = True


class OfflineSaleFactory(_Base):
    """An offline (counter) sale line, unverified unless `state` says otherwise."""

    class Meta:
        model = OfflineSale

    outlet = factory.SubFactory(OutletFactory)
    product = factory.SubFactory(ProductFactory)
    sale_date = date(2026, 11, 2)
    quantity = 1
    amount_fen = 6800
    payment_method = "cash"
    receipt_no = factory.Sequence(lambda n: f"R{n:06d}")
    state = "unverified"
