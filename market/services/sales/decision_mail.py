"""The daily mail to each outlet summing up the county's decisions on its offline lines that day.

Read from the audit events of the day (Asia/Shanghai), so what is mailed is what was decided, even when a line
changed again since. Run once a day by cron (`market sales notify`) for a finished day: each outlet's staff get
one mail for that day; the outbox row's kind names the outlet and the day, so a second run mails nobody again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm as so

from market.domain.dates import SHANGHAI
from market.domain.money import format_yuan
from market.extensions import db
from market.models import AuditEvent, OfflineSale, OutgoingMail, Outlet, OutletMembership, User
from market.services.accounts import outbox
from market.services.errors import ServiceError
from market.services.sales.verification import AUDIT_ACTIONS

KIND = "sales.decisions"


@dataclass(frozen=True)
class Decision:
    """One decision on one line, as the audit event recorded it."""

    action: str  # "offline_sale.verify" / ".reject" / ".reopen"
    sale_id: int
    receipt_no: str
    sale_date: date
    amount_fen: int
    reason: str | None


@dataclass
class DaySummary:
    """An outlet's decisions of one day."""

    outlet: Outlet
    day: date
    decisions: list[Decision] = field(default_factory=list)

    def count(self, action: str) -> tuple[int, int]:
        """Lines and fen of one kind of decision."""
        chosen = [d for d in self.decisions if d.action == action]
        return len(chosen), sum(d.amount_fen for d in chosen)


def mail_kind(outlet_id: int, day: date) -> str:
    """The outbox kind of an outlet's summary of a day: also the record that it was queued."""
    return f"{KIND}:{outlet_id}:{day:%Y%m%d}"


def summaries(day: date) -> list[DaySummary]:
    """Each outlet's decisions on the day, outlets by code, decisions in the order they were made."""
    start = datetime.combine(day, time.min, SHANGHAI)
    events = db.session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.action, AuditEvent.after)
        .where(AuditEvent.object_type == OfflineSale.__tablename__,
               AuditEvent.action.in_(AUDIT_ACTIONS.values()),
               AuditEvent.created_at >= start, AuditEvent.created_at < start + timedelta(days=1))
        .order_by(AuditEvent.id)
    ).all()
    sale_ids = {int(e.object_id) for e in events}
    sales = {s.id: s for s in db.session.scalars(
        sa.select(OfflineSale).where(OfflineSale.id.in_(sale_ids)).options(so.joinedload(OfflineSale.outlet))
    )} if sale_ids else {}
    by_outlet: dict[int, DaySummary] = {}
    for e in events:
        sale = sales.get(int(e.object_id))
        if sale is None:
            continue
        summary = by_outlet.setdefault(sale.outlet_id, DaySummary(sale.outlet, day))
        summary.decisions.append(Decision(e.action, sale.id, sale.receipt_no, sale.sale_date, sale.amount_fen,
                                          (e.after or {}).get("reason")))
    return sorted(by_outlet.values(), key=lambda s: s.outlet.code)


def compose(summary: DaySummary) -> tuple[str, str]:
    """The mail's subject and body, in the active language."""
    subject = _("County decisions on your offline sales of %(day)s — %(outlet)s",
                day=summary.day.isoformat(), outlet=summary.outlet.code)
    labels = {AUDIT_ACTIONS[a]: text for a, text in zip(
        AUDIT_ACTIONS, (_("Verified"), _("Rejected"), _("Reopened")), strict=True)}
    lines = [_("On %(day)s the county decided on %(n)d of the offline sale lines of %(outlet)s:",
               day=summary.day.isoformat(), n=len(summary.decisions), outlet=summary.outlet.name), ""]
    for action, label in labels.items():
        n, fen = summary.count(action)
        if n:
            lines.append(_("%(label)s: %(n)d lines, %(amount)s", label=label, n=n, amount=format_yuan(fen)))
    explained = [d for d in summary.decisions if d.reason]
    if explained:
        lines += ["", _("Reasons given:")]
        lines += [_("%(label)s %(receipt)s (%(day)s, %(amount)s): %(reason)s", label=labels[d.action],
                    receipt=d.receipt_no, day=d.sale_date.isoformat(), amount=format_yuan(d.amount_fen),
                    reason=d.reason) for d in explained]
    lines += ["", _("A rejected line can be corrected or withdrawn on the outlet's sales page.")]
    return subject, "\n".join(lines)


def notify_day(day: date, today: date) -> int:
    """Queue the summary of a finished day to each outlet's staff, once; how many mails were queued."""
    if day >= today:
        raise ServiceError(_("Only a finished day can be summed up: choose a day before today."))
    found = summaries(day)
    if not found:
        return 0
    kinds = {mail_kind(s.outlet.id, day): s for s in found}
    done = set(db.session.scalars(sa.select(OutgoingMail.kind).where(OutgoingMail.kind.in_(kinds)).distinct()))
    staff: dict[int, list[User]] = defaultdict(list)
    for outlet_id, user in db.session.execute(
        sa.select(OutletMembership.outlet_id, User).join(User, User.id == OutletMembership.user_id)
        .where(OutletMembership.outlet_id.in_([s.outlet.id for s in found]), User.active).order_by(User.id)
    ).tuples():
        staff[outlet_id].append(user)
    queued = 0
    for kind, summary in kinds.items():
        if kind in done:
            continue
        for user in staff[summary.outlet.id]:
            outbox.queue_to(user, kind, lambda summary=summary: compose(summary))
            queued += 1
    return queued
