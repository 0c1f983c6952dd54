"""When a certification (认定) is in force: from/to inclusive, revocation effective on its own day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from market.domain.certification import Window, any_holds_on, holds_on
from market.domain.dates import business_date

D = date.fromisoformat


@pytest.mark.parametrize(("window", "day", "expected"), [
    (Window(D("2026-01-01"), D("2026-12-31")), D("2026-01-01"), True),
    (Window(D("2026-01-01"), D("2026-12-31")), D("2025-12-31"), False),
    (Window(D("2026-01-01"), D("2026-12-31")), D("2026-12-31"), True),
    (Window(D("2026-01-01"), D("2026-12-31")), D("2027-01-01"), False),
    (Window(D("2026-01-01"), None), D("2099-01-01"), True),
    (Window(None, None), D("2026-06-01"), False),
    (Window(D("2026-01-01"), None, D("2026-06-01")), D("2026-05-31"), True),
    (Window(D("2026-01-01"), None, D("2026-06-01")), D("2026-06-01"), False),
    (Window(D("2026-06-01"), D("2026-01-01")), D("2026-03-01"), False),
])
def test_a_window_holds_exactly_inside_its_dates(window, day, expected):
    assert holds_on(window, day) is expected


def test_a_renewal_after_a_gap_leaves_the_gap_uncertified():
    windows = [Window(D("2025-01-01"), D("2025-12-31")), Window(D("2026-03-01"), None)]
    assert any_holds_on(windows, D("2025-12-31"))
    assert not any_holds_on(windows, D("2026-02-28"))
    assert any_holds_on(windows, D("2026-03-01"))
    assert not any_holds_on([], D("2026-03-01"))


@pytest.mark.parametrize(("moment", "day"), [
    (datetime(2026, 3, 1, 15, 59, tzinfo=UTC), D("2026-03-01")),
    (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), D("2026-03-02")),
])
def test_business_dates_are_shanghai_dates(moment, day):
    assert business_date(moment) == day


def test_business_date_refuses_naive_times():
    with pytest.raises(ValueError):
        business_date(datetime(2026, 3, 1))  # noqa: DTZ001


@pytest.mark.parametrize(("windows", "expected"), [
    ([Window(D("2026-01-01"), None)], None),
    ([], ("never", None)),
    ([Window(None, None)], ("never", None)),
    ([Window(D("2025-01-01"), D("2025-12-31"))], ("expired", D("2025-12-31"))),
    ([Window(D("2026-01-01"), None, D("2026-03-01"))], ("revoked", D("2026-03-01"))),
    ([Window(D("2026-09-01"), None)], ("pending", D("2026-09-01"))),
    ([Window(D("2024-01-01"), D("2024-12-31")), Window(D("2025-03-01"), D("2025-12-31"))],
     ("expired", D("2025-12-31"))),
])
def test_why_a_certification_does_not_hold(windows, expected):
    from market.domain.certification import lapse

    assert lapse(windows, D("2026-06-01")) == expected
