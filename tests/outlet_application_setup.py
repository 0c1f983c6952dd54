"""Shared by the outlet application tests: a valid form, photo uploads, and an application taken to a status."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

from PIL import Image
from werkzeug.datastructures import FileStorage

from market.domain.outlet_application import ApplicationAction
from market.models import OutletApplication, Town, User
from market.services.outlets import applications, decisions
from market.services.outlets.details import ApplicationDetails
from tests.factories import TownFactory, UserFactory

ENTERPRISE = "91610327MA6X8K2Q02"  # valid check digit, an enterprise
INDIVIDUAL = "92610327MA6X8K2Q0Y"  # an individual business
COOPERATIVE = "93610327MA6X8K2Q0U"
WRONG_CHECK_DIGIT = "91610327MA6X8K2Q03"
SOCIAL_ORGANISATION = "52610327MA6X8K2Q03"  # a valid code, but not an operator of a shop
TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def details(town: Town, **changes: object) -> ApplicationDetails:
    """A complete, valid application form for a counter in `town`."""
    base = ApplicationDetails(
        kind="counter", name_zh="城关镇帮扶专柜", name_en="Chengguan assistance counter", address="陇县城关镇东大街1号",
        town_id=town.id, floor_area_m2=36, operator="陇县东街商贸有限公司", credit_code=ENTERPRISE,
        legal_representative="李明", contact_phone="13800001234", opening_hours="08:00-20:00",
        bank_name="陇县农村商业银行", bank_account_name="陇县东街商贸有限公司",
        bank_account_number="2707 1234 5678 9012")
    return replace(base, **changes)


def png(name: str = "shop.png", size: tuple[int, int] = (64, 48), colour: str = "green") -> FileStorage:
    """A small real PNG upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(stream=buffer, filename=name, content_type="image/png")


def county_pair() -> tuple[User, User]:
    """Two county staff: a reviewer and an approver."""
    return UserFactory(roles_given=("county_staff",)), UserFactory(roles_given=("county_staff",))


def submitted(applicant: User | None = None, town: Town | None = None) -> OutletApplication:
    """A new-outlet application with one photo, submitted."""
    applicant = applicant or UserFactory()
    application = applications.start_new(applicant, details(town or TownFactory()))
    applications.add_photos(application, applicant, [png()])
    applications.submit(application, applicant, True, NOW)
    return application


def on_notice(application: OutletApplication, reviewer: User, approver: User, *, starts_on: date = TODAY,
              ends_on: date = date(2028, 12, 31), notice_until: date = date(2026, 12, 9)) -> OutletApplication:
    """Reviewed by one person and put on notice by another."""
    decisions.review(reviewer, application, "材料齐全", NOW)
    decisions.decide(approver, application, ApplicationAction.PUT_ON_NOTICE, "", NOW, TODAY, starts_on=starts_on,
                     ends_on=ends_on, notice_until=notice_until)
    return application
