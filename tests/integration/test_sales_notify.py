"""`market sales notify`: each outlet's staff get one mail of the county's decisions of a finished day, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from market.cli import main
from market.domain.dates import business_date
from market.domain.offline_sale import SaleAction
from market.extensions import db
from market.models import OutgoingMail, OutletMembership
from market.models.base import utcnow
from market.services.sales.verification import decide
from tests.factories import OfflineSaleFactory, OutletFactory, UserFactory


def test_the_day_summary_is_mailed_once_per_outlet(app, runner) -> None:
    outlet = OutletFactory()
    clerk = UserFactory(locale="en")
    db.session.add(OutletMembership(user=clerk, outlet=outlet))
    county = UserFactory(roles_given=("county_staff",))
    line = OfflineSaleFactory(outlet=outlet, receipt_no="XP-7")
    decisions = decide(county, [line.id], SaleAction.REJECT, "photo unreadable", utcnow())
    db.session.commit()
    day = business_date(decisions[0].decided_at)
    app.config["MARKET_TODAY"] = day + timedelta(days=1)
    try:
        too_soon = runner.invoke(main, ["sales", "notify", "--day", (day + timedelta(days=1)).isoformat()])
        assert too_soon.exit_code == 1 and "finished day" in too_soon.output
        first = runner.invoke(main, ["sales", "notify"])  # yesterday, by default
        assert first.exit_code == 0 and f"{day.isoformat()}: 1 mails queued." in first.output
        again = runner.invoke(main, ["sales", "notify", "--day", day.isoformat()])
        assert again.exit_code == 0 and ": 0 mails queued." in again.output
    finally:
        app.config.pop("MARKET_TODAY")
    db.session.rollback()
    (mail,) = db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.kind.like("sales.decisions:%"))).all()
    assert mail.recipient == clerk.email and outlet.code in mail.subject and mail.status == "sent"
    sent = [p.read_text() for p in (Path(app.instance_path) / "outbox").glob("*.eml")]
    assert any("XP-7" in m and "photo unreadable" in m and clerk.email in m for m in sent)

