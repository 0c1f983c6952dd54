"""A set of row ids as ONE bound parameter (a JSON array on SQLite, an array on PostgreSQL).

`column IN (:a, :b, ...)` binds one parameter per id, and SQLite refuses more than 32,766 of them (an import
may hold 50,000 lines); one parameter also keeps the statement text the same for any number of ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from market.extensions import db


def among(column: sa.ColumnElement[int], ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """`column` is one of `ids`, whatever their number."""
    values = sorted({int(i) for i in ids})
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(sa.Integer)))
    each = sa.func.json_each(sa.bindparam(None, json.dumps(values), type_=sa.String)).table_valued("value")
    return column.in_(sa.select(each.c.value))
