"""Demo outlet profiles (hours, a phone for buyers, pickup address, descriptions) and a second staff member at
LX-O-001, added through the same services the outlet portal uses (so the role and the audit log follow)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from market.extensions import db
from market.models import Outlet, User
from market.services.accounts.users import create_user
from market.services.outlets import staff as staffing

DEMO_STAFF_EMAIL = "staff@example.com"
DEMO_STAFF_NAME = "孙丽"
STAFF_OUTLET = "LX-O-001"

# code -> (phone for buyers, opening hours, pickup address or "" for the outlet's address, 中文简介, English)
PROFILES: dict[str, tuple[str, str, str, str, str]] = {
    "LX-O-001": ("0917-4561001", "每天 8:30–19:00", "陇州大道东段88号消费帮扶馆一层服务台",
                 "陇县消费帮扶馆，集中展示销售全县认定特色农产品：陇州苹果、羊奶粉、中蜂蜂蜜、核桃。",
                 "Long County's consumption-assistance hall: certified apples, goat-milk powder, honey and "
                 "walnuts from the whole county."),
    "LX-O-002": ("0917-4561002", "线上下单，工作日 9:00–17:30 可到产业园自提", "电子商务产业园3号楼一层自提点",
                 "陇州优选网店，产地直发，支持到产业园自提。", "Longzhou Select online store: shipped from the "
                 "farms, or collect at the e-commerce park."),
    "LX-O-003": ("0917-4561003", "每天 9:00–21:00", "",
                 "惠民购物广场一层帮扶专柜，逛超市顺手带走陇县好物。",
                 "Assistance counter on the ground floor of Huimin Plaza."),
    "LX-O-004": ("0917-4561004", "逢集日 7:00–14:00，平日 8:00–18:00", "",
                 "东风镇农贸市场内的消费帮扶专区。", "Consumption-assistance zone inside Dongfeng market."),
    "LX-O-005": ("0917-4561005", "每天 8:00–20:00", "", "温水镇便民超市帮扶专柜。",
                 "Assistance counter in Wenshui's convenience store."),
    "LX-O-008": ("0917-4561008", "景区开放期间每天 8:00–18:00", "关山草原景区游客中心大厅",
                 "关山草原游客中心的消费帮扶馆，游客可扫码下单、到馆自提。",
                 "Assistance hall at the Guanshan Grassland visitor centre: order online, collect here."),
}


def add_demo_staff(today: date, password: str) -> User:
    """Fill in the demo outlets' profiles and add staff@example.com as staff (not owner) at LX-O-001, by its
    owner outlet@example.com (audited; the outlet_staff role follows). Returns the new account."""
    outlets = {o.code: o for o in db.session.scalars(sa.select(Outlet).where(Outlet.code.in_(PROFILES)))}
    for code, (phone, hours, pickup, about_zh, about_en) in PROFILES.items():
        outlet = outlets[code]
        outlet.shop_phone, outlet.opening_hours, outlet.pickup_address = phone, hours, pickup
        outlet.description_zh, outlet.description_en = about_zh, about_en
    owner = db.session.scalar(sa.select(User).where(User.email == "outlet@example.com"))
    colleague = create_user(DEMO_STAFF_EMAIL, password, DEMO_STAFF_NAME, ("consumer",), privacy_accepted=True,
                            actor=owner)
    staffing.join(owner, outlets[STAFF_OUTLET], colleague, False, today)
    return colleague
