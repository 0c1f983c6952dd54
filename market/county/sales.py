"""The county's verification queue of offline sales: filter, verify or reject (bulk), reopen, draw samples,
see receipt photos. County staff only (the blueprint's guard)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from market import clock, storage
from market.county import bp
from market.county.sales_filters import filter_args, parse_filter
from market.county.sales_wording import RISK_NAMES, explain
from market.domain.offline_sale import REASON_MAX, SaleAction, SaleState
from market.domain.paging import parse_page_number
from market.extensions import db
from market.forms import commit_or_flash
from market.models import OfflineSale, Town
from market.security import acting_user, safe_next
from market.services.errors import ServiceError
from market.services.sales import sampling, verification
from market.services.sales.queue import QueueFilter, queue_page
from market.services.sales.wording import PAYMENT_LABELS, STATE_LABELS

DECISIONS = {"verify": SaleAction.VERIFY, "reject": SaleAction.REJECT}


def _back() -> str:
    """Where a form came from (the queue with its filter), checked to stay on this site."""
    return safe_next(request.form.get("back"), url_for("county.sales_queue"))


@bp.route("/sales")
def sales_queue() -> ResponseReturnValue:
    """Offline sale lines under the filter, 50 a page, oldest sale first, with totals, signals and samples."""
    return _queue(request.args, request.full_path if request.query_string else request.path)


def _queue(args: MultiDict[str, str], back: str, status: int = 200, *, reason: str = "",
           reason_error: str | None = None, picked: frozenset[int] = frozenset()) -> ResponseReturnValue:
    """The queue page under the filter in `args`; after a refused reason, with the message at the reason field
    and the typed reason and ticked lines kept."""
    criteria, problems = parse_filter(args)
    for problem in problems:
        flash(problem, "error")
    result = queue_page(criteria, parse_page_number(args.get("page")))
    towns = db.session.scalars(sa.select(Town).order_by(Town.code)).all()
    return render_template(
        "county/sales.html", result=result, criteria=criteria, args=filter_args(criteria), towns=towns,
        states=STATE_LABELS, payments=PAYMENT_LABELS, risk_names=RISK_NAMES, explain=explain,
        reason_max=REASON_MAX, unverified=SaleState.UNVERIFIED, verified=SaleState.VERIFIED, back=back,
        reason=reason, reason_error=reason_error, picked=picked,
    ), status


@bp.route("/sales/decide", methods=["POST"])
def decide_sales() -> ResponseReturnValue:
    """Verify or reject the ticked lines, or verify the one line whose own button was pressed."""
    one = request.form.get("verify_one", "")
    action = SaleAction.VERIFY if one else DECISIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400, _("Choose verify or reject."))
    raw = [one] if one else request.form.getlist("sale_ids")
    ids = [int(v) for v in raw if v.isascii() and v.isdigit() and len(v) <= 12]
    reason = request.form.get("reason", "")
    done = (ngettext("%(num)d line verified.", "%(num)d lines verified.", len(ids)) if action is SaleAction.VERIFY
            else ngettext("%(num)d line rejected.", "%(num)d lines rejected.", len(ids)))
    try:
        verification.decide(acting_user(), ids, action, reason, clock.now())
    except ServiceError as err:
        db.session.rollback()
        if err.field == "reason":  # shown at the reason field, with what was typed and ticked kept
            back = _back()
            return _queue(MultiDict(parse_qsl(urlsplit(back).query)), back, 422, reason=reason[:REASON_MAX],
                          reason_error=err.message, picked=frozenset(ids))
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(_back())


@bp.route("/sales/<int:sale_id>/reopen", methods=["GET", "POST"])
def reopen_sale(sale_id: int) -> ResponseReturnValue:
    """Ask for the reason, then make a verified line unverified again (audited)."""
    sale = db.session.get(OfflineSale, sale_id) or abort(404)
    if request.method == "POST":
        reason = request.form.get("reason", "")
        if commit_or_flash(lambda: verification.reopen(acting_user(), sale.id, reason, clock.now()),
                           _("The line is waiting for verification again.")):
            return redirect(_back())
    return render_template("county/sales_reopen.html", sale=sale, states=STATE_LABELS, reason_max=REASON_MAX,
                           back=safe_next(request.values.get("back"), url_for("county.sales_queue")))


@bp.route("/sales/sample", methods=["POST"])
def draw_sample() -> ResponseReturnValue:
    """Draw N lines or N% of the lines under the filter; then show the sample's lines."""
    criteria, problems = parse_filter(request.form)
    if problems:
        for problem in problems:
            flash(problem, "error")
        return redirect(_back())
    size = request.form.get("size", "").strip()
    number = int(size) if size.isascii() and size.isdigit() and len(size) <= 6 else 0
    unit = request.form.get("unit", "lines")
    if unit not in ("percent", "lines"):
        flash(_("Count the sample in percent or in lines."), "error")
        return redirect(_back())
    by_percent = unit == "percent"
    drawn: list[int] = []

    def draw() -> None:
        sample = sampling.draw_sample(acting_user(), criteria, clock.now(), count=None if by_percent else number,
                                      percent=number if by_percent else None)
        drawn.append(sample.id)

    if not commit_or_flash(draw, _("Sample drawn: check these receipts first.")):
        return redirect(_back())
    return redirect(url_for("county.sales_queue", sample=drawn[0]))


@bp.route("/sales/samples")
def sales_samples() -> ResponseReturnValue:
    """The latest samples: when, by whom, from what, how many, and the seed that repeats the draw."""
    samples = sampling.recent_samples()
    origins = {s.id: filter_args(QueueFilter.from_criteria(s.criteria)) for s in samples}
    return render_template("county/sales_samples.html", samples=samples, origins=origins)


@bp.route("/sales/<int:sale_id>/receipt")
def sale_receipt(sale_id: int) -> ResponseReturnValue:
    """The line's receipt photo (`?size=thumb` for the small one), from private storage."""
    sale = db.session.get(OfflineSale, sale_id) or abort(404)
    key = sale.photo_thumb_key if request.args.get("size") == "thumb" else sale.photo_key
    if not key:
        abort(404, _("This line has no receipt photo."))
    return storage.send(key)
