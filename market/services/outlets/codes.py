"""Numbers that are handed out once: outlet codes (LX-O-001) and outlet certificate numbers (LXXF-2026-001).

A counter row per kind of number is raised with one UPDATE ... RETURNING, which takes the row's lock (PostgreSQL)
or the database's write lock (SQLite) until the transaction ends: two applicants at once wait for each other
and get different numbers. A number is never handed out again, even when its application is withdrawn, because
the counter only goes up. Codes written without the counter (the demo's outlets, an admin's import) are skipped:
the counter never falls below the highest code already in use.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from market.domain.outlet_application import certificate_number, code_sequence, outlet_code
from market.extensions import db
from market.models import CodeCounter, Outlet, OutletCertification

OUTLET_CODES = "outlet_code"
OUTLET_CODE_PREFIX = "LX-O-"


def _lock(name: str) -> None:
    """Make sure the counter row exists and lock it (a no-op UPDATE) until the transaction ends."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CodeCounter)
    db.session.execute(insert.values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"]))
    db.session.execute(sa.update(CodeCounter).where(CodeCounter.name == name).values(value=CodeCounter.value))


def _take(name: str, in_use: list[str], prefix: str) -> int:
    """Raise the locked counter past every number in the codes `in_use` and return the number taken."""
    raised = sa.update(CodeCounter).where(CodeCounter.name == name).values(value=CodeCounter.value + 1)
    value = db.session.execute(raised.returning(CodeCounter.value)).scalar_one()
    highest = max((n for n in (code_sequence(code, prefix) for code in in_use) if n is not None), default=0)
    if value <= highest:
        value = highest + 1
        db.session.execute(sa.update(CodeCounter).where(CodeCounter.name == name).values(value=value))
    return value


def next_outlet_code() -> str:
    """A new outlet code, never handed out before."""
    _lock(OUTLET_CODES)  # first: the lock orders concurrent callers before they read the codes in use
    codes = list(db.session.scalars(sa.select(Outlet.code).where(Outlet.code.startswith(OUTLET_CODE_PREFIX))))
    return outlet_code(_take(OUTLET_CODES, codes, OUTLET_CODE_PREFIX))


def next_certificate_number(year: int) -> str:
    """A new outlet certificate number for the year, never handed out before."""
    name, prefix = f"outlet_certificate_{year}", f"LXXF-{year}-"
    _lock(name)
    numbers = list(db.session.scalars(
        sa.select(OutletCertification.number).where(OutletCertification.number.startswith(prefix))))
    return certificate_number(year, _take(name, numbers, prefix))
