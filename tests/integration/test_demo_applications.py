"""The demo's outlet applications: a draft and a submitted one by the demo consumer, with new outlet codes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from market.demo import load_demo
from market.demo.applications import add_demo_applications
from market.extensions import db
from market.models import Outlet, User

TODAY = date(2026, 12, 2)


@pytest.fixture
def uploads(app, tmp_path):
    """An uploads folder of this test's own."""
    app.config["MARKET_UPLOADS"] = str(tmp_path)
    yield tmp_path
    app.config.pop("MARKET_UPLOADS")


def test_the_demo_consumer_has_a_draft_and_a_submitted_application_and_no_outlet_role(app, uploads):
    load_demo(TODAY)
    consumer = db.session.scalar(sa.select(User).where(User.email == "consumer@example.com"))
    codes_before = set(db.session.scalars(sa.select(Outlet.code)))
    draft, submitted = add_demo_applications(TODAY, consumer)
    db.session.commit()
    assert (draft.status, submitted.status) == ("draft", "submitted")
    assert draft.outlet.code not in codes_before and submitted.outlet.code not in codes_before
    assert submitted.outlet.code > draft.outlet.code and len(submitted.photos) == 2
    assert submitted.submitted_at.date() == TODAY and submitted.pledged_at is not None
    assert all(path.stat().st_size > 0 for path in uploads.rglob("*.*"))
    assert "outlet_staff" not in consumer.role_names and consumer.outlet_memberships == []
