"""Demo offline (counter) sales: four months of lines at the counters and halls, recorded through the recording
service (so only certified products on days the outlet and product were certified), the older ones decided by
the county (most verified, a few rejected with reasons), one imported batch carrying a risk signal (a receipt
number also used at another outlet) and a 10% sample drawn from it. Deterministic: the same rows on every load.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from market.domain.dates import SHANGHAI
from market.domain.offline_sale import PaymentMethod, SaleAction
from market.extensions import db
from market.models import Listing, OfflineSale, OfflineSaleBatch, Outlet, OutletMembership, User
from market.services.sales.queue import QueueFilter
from market.services.sales.recording import SaleInput, check_lines, record_lines
from market.services.sales.sampling import draw_sample
from market.services.sales.verification import decide

DAYS = 120  # four months
SALES_SEED = 610328
SAMPLE_SEED = "demo-sample-lx-o-003"  # a fixed seed: the demo's sample is the same on every load
BATCH_OUTLET = "LX-O-003"  # outlet2@example.com's counter imports a spreadsheet
BORROWED_FROM = "LX-O-001"  # ... in which one receipt number was already used at the hall
DECIDED_AFTER = 21  # lines older than this many days have been looked at by the county
REASONS = ("小票金额与申报金额不符", "小票照片模糊，无法核对", "同一小票重复申报", "销售日期早于小票日期")
METHODS = (PaymentMethod.WECHAT, PaymentMethod.WECHAT, PaymentMethod.ALIPAY, PaymentMethod.CASH,
           PaymentMethod.CASH, PaymentMethod.BANK_CARD)


def _evening(day: date) -> datetime:
    """18:00 in Shanghai on the day: when the demo's lines are entered and decided."""
    return datetime.combine(day, time(18, 0), SHANGHAI)


def _candidates(rng: random.Random, outlet: Outlet, listings: list[Listing], today: date,
                start: int, end: int) -> list[SaleInput]:
    """Plausible counter lines on days `start`..`end` ago (some days quiet, some busy), before any check."""
    lines = []
    for ago in range(start, end - 1, -1):
        day = today - timedelta(days=ago)
        for n in range(rng.choice((0, 0, 1, 1, 1, 2))):
            listing = rng.choice(listings)
            quantity = rng.choice((1, 1, 1, 2, 2, 3, 5))
            amount = listing.price_fen * quantity - rng.choice((0, 0, 0, 100, 200)) * (quantity > 1)
            lines.append(SaleInput(sale_date=day, product_id=listing.product_id, quantity=quantity,
                                   amount_fen=amount, payment_method=rng.choice(METHODS),
                                   receipt_no=f"{outlet.code[-3:]}{day:%Y%m%d}{n + 1:02d}"))
    return lines


def _valid(outlet: Outlet, lines: list[SaleInput], today: date) -> list[SaleInput]:
    """The lines the recording service would accept (certified outlet and product on the day)."""
    return [line for line, problems in zip(lines, check_lines(outlet, lines, today), strict=True) if not problems]


def add_demo_sales(today: date, county: User) -> dict[str, int]:
    """Record the demo's offline lines, decide the older ones, import the risky batch and sample it."""
    rng = random.Random(SALES_SEED)
    outlets = list(db.session.scalars(
        sa.select(Outlet).where(Outlet.kind.in_(("counter", "hall"))).order_by(Outlet.code)))
    staff = {outlet_id: user for outlet_id, user in db.session.execute(  # the first member of each outlet wins
        sa.select(OutletMembership.outlet_id, User).join(User, User.id == OutletMembership.user_id)
        .order_by(OutletMembership.id.desc()))}
    listings = {o.id: [] for o in outlets}
    for listing in db.session.scalars(sa.select(Listing).order_by(Listing.id)):
        listings.get(listing.outlet_id, []).append(listing)
    recorded = []
    now = _evening(today)
    for outlet in outlets:
        if listings[outlet.id]:
            lines = _valid(outlet, _candidates(rng, outlet, listings[outlet.id], today, DAYS, 11), today)
            recorded += zip(record_lines(outlet, lines, staff.get(outlet.id), now), lines, strict=True)
    older = [sale_id for sale_id, line in recorded if (today - line.sale_date).days > DECIDED_AFTER]
    rejected = older[3::17]
    rejected_ids = set(rejected)
    by_reason: dict[str, list[int]] = {}
    for n, sale_id in enumerate(rejected):
        by_reason.setdefault(REASONS[n % len(REASONS)], []).append(sale_id)
    for reason, ids in by_reason.items():
        decide(county, ids, SaleAction.REJECT, reason, now)
    verified = [sale_id for sale_id in older if sale_id not in rejected_ids and rng.random() < 0.9]
    decide(county, verified, SaleAction.VERIFY, "", now)
    batch, sample_size = _risky_batch(rng, today, {o.code: o for o in outlets}, listings, staff, county)
    return {"offline_sales": len(recorded) + batch, "offline_sales_verified": len(verified),
            "offline_sales_rejected": len(rejected), "offline_sale_batches": 1 if batch else 0,
            "offline_sale_samples": 1 if sample_size else 0}


def _risky_batch(rng: random.Random, today: date, outlets: dict[str, Outlet], listings: dict[int, list[Listing]],
                 staff: dict[int, User], county: User) -> tuple[int, int]:
    """The spreadsheet outlet2 imported for the last ten days, with a receipt number the hall also used; the
    county drew a 10% sample of it. Its line count and the sample's size."""
    outlet, hall = outlets.get(BATCH_OUTLET), outlets.get(BORROWED_FROM)
    if outlet is None or hall is None or not listings[outlet.id]:
        return 0, 0
    lines = _valid(outlet, _candidates(rng, outlet, listings[outlet.id], today, 10, 1), today)
    borrowed = db.session.scalar(sa.select(sa.func.max(OfflineSale.receipt_no)).where(OfflineSale.outlet_id == hall.id))
    if not lines:
        return 0, 0
    if borrowed:
        first = lines[0]
        lines[0] = SaleInput(first.sale_date, first.product_id, first.quantity, first.amount_fen,
                             first.payment_method, borrowed)
    batch = OfflineSaleBatch(outlet_id=outlet.id, file_name="惠民专柜线下销售.xlsx",
                             entered_by_id=staff[outlet.id].id if outlet.id in staff else None,
                             row_count=len(lines), total_fen=sum(line.amount_fen for line in lines))
    record_lines(outlet, lines, staff.get(outlet.id), _evening(today), batch=batch)
    sample = draw_sample(county, QueueFilter(batch_id=batch.id), _evening(today), percent=10, seed=SAMPLE_SEED)
    return len(lines), sample.size
