"""Ten applicants at once, each with its own session and connection: every new outlet gets its own code."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from market.extensions import db
from market.models import Outlet, User
from market.services.outlets import applications
from tests.factories import OutletFactory, TownFactory, UserFactory
from tests.outlet_application_setup import details

APPLICANTS = 6  # each holds a connection at the barrier: well below the pool size (5 + 10 overflow)


def test_concurrent_applicants_never_share_a_code_and_codes_continue_above_those_in_use(app):
    OutletFactory(code="LX-O-004")  # written without the counter, as the demo's outlets are
    town = TownFactory()
    user_ids = [UserFactory(email=f"applicant{n}@example.com").id for n in range(APPLICANTS)]
    form = details(town)
    barrier = threading.Barrier(APPLICANTS, timeout=60)
    errors: list[BaseException] = []

    def apply(user_id: int) -> None:
        try:
            with app.app_context():
                applicant = db.session.get(User, user_id)
                barrier.wait()
                applications.start_new(applicant, form)
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=apply, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)

    assert errors == []
    db.session.rollback()
    codes = sorted(db.session.scalars(sa.select(Outlet.code).where(Outlet.code != "LX-O-004")))
    assert codes == [f"LX-O-{n:03d}" for n in range(5, 5 + APPLICANTS)]
