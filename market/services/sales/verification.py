"""County decisions on offline sale lines: verify or reject (singly or in bulk), reopen a verified line.

Every change goes through the line's state machine (`next_state`) and writes an audit event with the state
and reason before and after. A bulk decision is all or nothing: one line that cannot take it refuses the lot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from market.domain.offline_sale import NEEDS_REASON, REASON_MAX, SaleAction, SaleActor, next_state
from market.domain.transitions import TransitionRefused
from market.extensions import db
from market.models import OfflineSale, User
from market.services.accounts.audit import record
from market.services.errors import ServiceError
from market.services.sales.moves import move as move_lines

COUNTY_ACTIONS = (SaleAction.VERIFY, SaleAction.REJECT, SaleAction.REOPEN)
MAX_BULK = 500  # lines in one decision (a page holds 50)
AUDIT_ACTIONS = {action: f"offline_sale.{action.value}" for action in COUNTY_ACTIONS}


def decide(user: User, sale_ids: Sequence[int], action: SaleAction, reason: str, now: datetime
           ) -> list[OfflineSale]:
    """Apply one county action to these lines (all or none); the reason is required to reject or reopen."""
    if action not in COUNTY_ACTIONS:
        raise ServiceError(_("County staff may only verify, reject or reopen a line."))
    ids = sorted(set(sale_ids))
    if not ids:
        raise ServiceError(_("Choose at least one line."), "sale_ids")
    if len(ids) > MAX_BULK:
        raise ServiceError(_("Decide at most %(n)d lines at once.", n=MAX_BULK), "sale_ids")
    reason = " ".join(reason.split())
    if action in NEEDS_REASON and not reason:
        raise ServiceError(_("Give a reason: the outlet reads it."), "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(_("Use at most %(max)d characters.", max=REASON_MAX), "reason")
    sales = list(db.session.scalars(
        sa.select(OfflineSale).where(OfflineSale.id.in_(ids)).order_by(OfflineSale.id).with_for_update()
    ))
    if len(sales) != len(ids):
        raise ServiceError(_("Some of these lines no longer exist; reload the list."))
    moves = []
    for sale in sales:
        try:
            moves.append((sale, next_state(sale.state, action, SaleActor.COUNTY)))
        except TransitionRefused:
            raise ServiceError(_("Line %(id)d cannot be %(action)s in its present state; reload the list.",
                                 id=sale.id, action=_past(action))) from None
    befores = {sale.id: {"state": sale.state, "reason": sale.reason} for sale in sales}
    for state in {state for _sale, state in moves}:  # one state per action: a compare-and-set from where read
        move_lines([sale for sale, target in moves if target == state], state)
    for sale, _state in moves:
        before = befores[sale.id]
        sale.reason = reason if action in NEEDS_REASON else None
        sale.decided_by_id = user.id
        sale.decided_at = now
        record(user, AUDIT_ACTIONS[action], sale, before=before, after={"state": sale.state, "reason": sale.reason})
    return sales


def _past(action: SaleAction) -> str:
    """The action as a participle, for the refusal message."""
    return {SaleAction.VERIFY: _("verified"), SaleAction.REJECT: _("rejected"),
            SaleAction.REOPEN: _("reopened")}[action]


def reopen(user: User, sale_id: int, reason: str, now: datetime) -> OfflineSale:
    """Make a verified line unverified again (a reason required); later subsidy runs pick the change up."""
    (sale,) = decide(user, [sale_id], SaleAction.REOPEN, reason, now)
    return sale
