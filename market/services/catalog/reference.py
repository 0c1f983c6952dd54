"""Long County (陇县) reference data: towns, villages and produce categories, upserted by code."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from market.extensions import db
from market.models import Category, Town, Village
from market.services.certification.calendar import seed_published_calendar

# (code, 中文, English, villages as (中文, English)).
# The ten towns are Long County's; the villages are plausible sample names to be replaced from the
# county's official list of administrative villages before production use.
TOWNS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("LX-T01", "城关镇", "Chengguan Town", (
        ("东关村", "Dongguan Village"), ("西街村", "Xijie Village"), ("北坡村", "Beipo Village"),
        ("南河村", "Nanhe Village"), ("峰山村", "Fengshan Village"),
    )),
    ("LX-T02", "东风镇", "Dongfeng Town", (
        ("杜阳村", "Duyang Village"), ("陈家庄村", "Chenjiazhuang Village"), ("景福村", "Jingfu Village"),
        ("西堡村", "Xibao Village"), ("槐树坪村", "Huaishuping Village"), ("上川村", "Shangchuan Village"),
    )),
    ("LX-T03", "八渡镇", "Badu Town", (
        ("八渡村", "Badu Village"), ("李家河村", "Lijiahe Village"), ("稍子坪村", "Shaoziping Village"),
        ("蔡家沟村", "Caijiagou Village"),
    )),
    ("LX-T04", "温水镇", "Wenshui Town", (
        ("温水村", "Wenshui Village"), ("马鞍山村", "Ma'anshan Village"), ("上庄村", "Shangzhuang Village"),
        ("柳家塬村", "Liujiayuan Village"), ("张家山村", "Zhangjiashan Village"),
    )),
    ("LX-T05", "天成镇", "Tiancheng Town", (
        ("天成村", "Tiancheng Village"), ("关山村", "Guanshan Village"), ("苏家坪村", "Sujiaping Village"),
        ("韦家庄村", "Weijiazhuang Village"), ("大槐村", "Dahuai Village"),
    )),
    ("LX-T06", "曹家湾镇", "Caojiawan Town", (
        ("曹家湾村", "Caojiawan Village"), ("南坡村", "Nanpo Village"), ("庙川村", "Miaochuan Village"),
        ("寇家河村", "Koujiahe Village"),
    )),
    ("LX-T07", "固关镇", "Guguan Town", (
        ("固关村", "Guguan Village"), ("峡口村", "Xiakou Village"), ("青山村", "Qingshan Village"),
        ("咀头村", "Zuitou Village"), ("梁家庄村", "Liangjiazhuang Village"),
    )),
    ("LX-T08", "东南镇", "Dongnan Town", (
        ("东南村", "Dongnan Village"), ("阳坡村", "Yangpo Village"), ("火烧寨村", "Huoshaozhai Village"),
        ("罗家庄村", "Luojiazhuang Village"), ("新民村", "Xinmin Village"),
    )),
    ("LX-T09", "河北镇", "Hebei Town", (
        ("河北村", "Hebei Village"), ("峰峪村", "Fengyu Village"), ("堡子村", "Baozi Village"),
        ("米家塬村", "Mijiayuan Village"),
    )),
    ("LX-T10", "新集川镇", "Xinjichuan Town", (
        ("新集川村", "Xinjichuan Village"), ("兴隆村", "Xinglong Village"), ("桃园村", "Taoyuan Village"),
        ("白家塬村", "Baijiayuan Village"), ("沙岭村", "Shaling Village"),
    )),
)

# (code used by subsidy schemes, 中文, English); the tuple order is the display position.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("apple", "苹果", "Apples"),
    ("goat_milk", "羊乳制品", "Goat milk"),
    ("honey", "蜂蜜", "Honey"),
    ("walnut", "核桃", "Walnuts"),
    ("pepper", "花椒", "Sichuan pepper"),
    ("other", "其他特产", "Other specialties"),
)


def village_code(town_code: str, index: int) -> str:
    """The code of the index-th (1-based) village of a town, e.g. LX-T01-V03."""
    return f"{town_code}-V{index:02d}"


def _upsert(model: type[Any], existing: dict[str, Any], code: str, **values: Any) -> tuple[Any, bool]:
    """Create the row with this code or bring an existing one up to date; True when created."""
    row = existing.get(code)
    if row is None:
        row = model(code=code, **values)
        db.session.add(row)
        existing[code] = row
        return row, True
    for name, value in values.items():
        # Assign only on a real difference so a repeated seed leaves rows untouched.
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row, False


def seed_reference() -> dict[str, int]:
    """Upsert towns, villages and categories by code; returns how many rows of each were created."""
    towns = {t.code: t for t in db.session.scalars(sa.select(Town))}
    villages = {v.code: v for v in db.session.scalars(sa.select(Village))}
    categories = {c.code: c for c in db.session.scalars(sa.select(Category))}
    created = {"towns": 0, "villages": 0, "categories": 0}
    for town_code, name_zh, name_en, town_villages in TOWNS:
        town, new = _upsert(Town, towns, town_code, name_zh=name_zh, name_en=name_en)
        created["towns"] += new
        for index, (v_zh, v_en) in enumerate(town_villages, start=1):
            code = village_code(town_code, index)
            _, new = _upsert(Village, villages, code, town=town, name_zh=v_zh, name_en=v_en)
            created["villages"] += new
    for position, (code, name_zh, name_en) in enumerate(CATEGORIES, start=1):
        _, new = _upsert(Category, categories, code, name_zh=name_zh, name_en=name_en, position=position)
        created["categories"] += new
    seed_published_calendar()  # the working-day calendar of the published years (counts not reported)
    db.session.flush()
    return created
