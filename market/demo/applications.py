"""Demo outlet applications: a draft and a submitted one, by the demo consumer (the states that need county
action come with the county-decisions issue)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from market.domain.dates import SHANGHAI
from market.extensions import db
from market.models import OutletApplication, Town, User
from market.services.outlets import applications
from market.services.outlets.details import ApplicationDetails


def _town(code: str) -> Town:
    """A town of the reference data, by code."""
    return db.session.scalars(sa.select(Town).where(Town.code == code)).one()


def _premises_photo(name: str, wall: str, awning: str) -> FileStorage:
    """A simple, always identical picture of a shop front (a wall, an awning, a door), as an upload."""
    picture = Image.new("RGB", (480, 360), wall)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 40, 479, 110), fill=awning)
    draw.rectangle((190, 170, 290, 359), fill="#5d4037")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(stream=buffer, filename=name, content_type="image/png")


DRAFT = ApplicationDetails(
    kind="counter", name_zh="东风镇供销社帮扶专柜", name_en=None, address="东风镇杜阳村供销社门市", town_id=None,
    floor_area_m2=24, operator="陇县东风镇杜阳供销合作社", credit_code="93610327MA6X8K2Q0U",
    legal_representative="杜建国", contact_phone="0917-4561234", opening_hours="每天 08:00-19:00",
    bank_name="陇县农村商业银行东风支行", bank_account_name="陇县东风镇杜阳供销合作社",
    bank_account_number="2707010112345678901")
SUBMITTED = ApplicationDetails(
    kind="hall", name_zh="城关镇消费帮扶馆（西街店）", name_en="Chengguan assistance hall, Xijie branch",
    address="城关镇西街村西大街88号", town_id=None, floor_area_m2=180, operator="陇县西街商贸有限公司",
    credit_code="91610327MA6X8K2Q02", legal_representative="王丽", contact_phone="13909171234",
    opening_hours="每天 09:00-21:00", bank_name="中国农业银行陇县支行", bank_account_name="陇县西街商贸有限公司",
    bank_account_number="26123401040012345")


def add_demo_applications(today: date, applicant: User) -> list[OutletApplication]:
    """Add a draft (a counter in Dongfeng) and a submitted application (a hall in Chengguan, two premises photos)
    by `applicant`, submitted at 10:00 on `today` (Asia/Shanghai). Their outlets take the next codes; the
    applicant gets no outlet role (that comes only with certification). Returns both applications."""
    draft = applications.start_new(applicant, replace(DRAFT, town_id=_town("LX-T02").id))
    submitted = applications.start_new(applicant, replace(SUBMITTED, town_id=_town("LX-T01").id))
    applications.add_photos(submitted, applicant, [_premises_photo("front.png", "#f5e6c8", "#c62828"),
                                                   _premises_photo("counter.png", "#e8f5e9", "#2e7d32")])
    at = datetime.combine(today, time(10, 0), tzinfo=SHANGHAI).astimezone(UTC)
    applications.submit(submitted, applicant, True, at)
    return [draft, submitted]
