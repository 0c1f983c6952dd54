"""The one write of offline sale lines' state: a compare-and-set, so a line moves only from the state its
transition was judged on, even when the outlet and the county act at the same moment (on SQLite, which ignores
SELECT ... FOR UPDATE, as on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from market.domain.offline_sale import SaleState
from market.extensions import db
from market.models import OfflineSale
from market.services.errors import ServiceError


def move(sales: Sequence[OfflineSale], new: SaleState) -> None:
    """Set the lines' state to `new` where each still has the state it was read with; refuse (nothing moved)
    when any was changed meanwhile. A move that keeps the state (an edit, a delete) still takes the row, so a
    concurrent decision waits for this transaction and then finds the line changed."""
    by_state: dict[str, list[int]] = defaultdict(list)
    for sale in sales:
        by_state[sale.state].append(sale.id)
    for old, ids in by_state.items():
        moved = db.session.execute(
            sa.update(OfflineSale).where(OfflineSale.id.in_(ids), OfflineSale.state == old)
            .values(state=new).execution_options(synchronize_session=False)
        ).rowcount
        if moved != len(ids):
            raise ServiceError(_l("A line was changed meanwhile by someone else: reload the page and try again."))
    for sale in sales:
        set_committed_value(sale, "state", new)  # the loaded line knows it, with no second UPDATE
