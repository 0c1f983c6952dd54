"""Factories the catalogue tests need besides tests/factories.py: producers and assisted households."""

from __future__ import annotations

import factory

from market.models import Household, Producer
from tests.factories import VillageFactory, _Base


class ProducerFactory(_Base):
    """A village cooperative by default; `kind="household"` for a family producer."""

    class Meta:
        model = Producer

    kind = "cooperative"
    name = factory.Sequence(lambda n: f"陇县测试{n}号苹果专业合作社")
    village = factory.SubFactory(VillageFactory)


class HouseholdFactory(_Base):
    """An assisted household with the personal data that must never reach a public page."""

    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"LX-H-T{n:04d}")
    status = "lifted"
    village = factory.SubFactory(VillageFactory)
    head_name = factory.Sequence(lambda n: f"测试户主{n}")
    phone = factory.Sequence(lambda n: f"1390000{n:04d}")
