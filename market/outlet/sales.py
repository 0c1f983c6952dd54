"""The outlet's offline (counter) sales: the list over the user's outlets with filters and totals, a phone-first
form for one sale, one line's page (edit or delete while unverified, correct or withdraw when rejected), its
receipt photo (the outlet's staff only), and exports of the filtered lines in CSV and XLSX."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from market import clock, storage
from market.domain.money import format_yuan
from market.domain.offline_sale import SaleActor, SaleState, allowed_actions
from market.domain.paging import parse_page_number
from market.extensions import db
from market.forms import apply_service_error, commit_or_flash, render_form_page
from market.models import OfflineSale, Outlet
from market.outlet import bp
from market.outlet.sales_forms import SERVICE_FIELDS, STATE_CHOICES, LineActionForm, SaleForm
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets.access import staff_outlet, staff_outlets
from market.services.sales import entry, lines
from market.services.sales.wording import PAYMENT_LABELS, STATE_LABELS, export_table
from market.services.spreadsheets.export import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes


def _outlet(code: str) -> Outlet:
    """The outlet of the URL if the user works for it; 404 otherwise (another outlet looks like none)."""
    return staff_outlet(acting_user(), code) or abort(404)


def _sale(outlet: Outlet, sale_id: int) -> OfflineSale:
    """The outlet's own line; 404 for another outlet's or a missing one."""
    return entry.outlet_sale(outlet, sale_id) or abort(404)


def _day(text: str | None) -> date | None:
    """A YYYY-MM-DD filter value, None when missing or not a date."""
    try:
        return date.fromisoformat((text or "").strip()) if text and len(text) == 10 else None
    except ValueError:
        return None


def _number(text: str | None) -> int | None:
    """A positive id from a filter value, None otherwise."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 9 else None


def _criteria(args: MultiDict[str, str]) -> lines.SaleFilter:
    """The list's filters from the query string; anything malformed is ignored."""
    state = args.get("state", "")
    return lines.SaleFilter(date_from=_day(args.get("from")), date_to=_day(args.get("to")),
                            state=SaleState(state) if state in set(SaleState) else None,
                            product_id=_number(args.get("product")), batch_id=_number(args.get("batch")))


@bp.route("/sales")
def sales_list() -> ResponseReturnValue:
    """Lines of the user's outlets (or of one, ?outlet=code), filtered, with totals by state, 50 a page."""
    outlets = staff_outlets(acting_user())
    code = request.args.get("outlet")
    chosen = next((o for o in outlets if o.code == code), None)
    if code and chosen is None:
        abort(404)
    if chosen is None and len(outlets) == 1:
        chosen = outlets[0]
    ids = [chosen.id] if chosen else [o.id for o in outlets]
    criteria = _criteria(request.args)
    found = lines.sales_page(ids, criteria, parse_page_number(request.args.get("page")))
    return render_template(
        "outlet/sales.html", outlets=outlets, chosen=chosen, found=found, criteria=criteria,
        products=lines.products_sold(ids), batches=lines.batches_of(ids), states=STATE_CHOICES,
        state_labels=STATE_LABELS, payment_labels=PAYMENT_LABELS,
        filters={k: v for k, v in request.args.items() if k in ("from", "to", "state", "product", "batch") and v})


def _offer(form: SaleForm, outlet: Outlet, sale: OfflineSale | None = None) -> None:
    """Fill the product choices (today's certified products; an edited line keeps its own product)."""
    listed, others = entry.product_choices(outlet, clock.today())
    if sale is not None and all(p.id != sale.product_id for p in listed + others):
        others = [sale.product, *others]
    form.offer(listed, others, english=_english())


def _english() -> bool:
    """Whether the page is read in English (product names then come in English)."""
    return str(get_locale() or "zh") == "en"


def _show(form: SaleForm, err: ServiceError) -> None:
    """A service refusal next to the form's field (the service names amount_fen, the form amount)."""
    db.session.rollback()
    apply_service_error(form, ServiceError(err.message, SERVICE_FIELDS.get(err.field or "", err.field)))


@bp.route("/<code>/sales/new", methods=["GET", "POST"])
def sale_new(code: str) -> ResponseReturnValue:
    """Record one counter sale; after saving, the form comes back empty for the next one."""
    outlet = _outlet(code)
    form = SaleForm()
    _offer(form, outlet)
    if request.method == "GET":
        form.sale_date.data = clock.today()
    elif form.validate_on_submit():
        try:
            sale = entry.record_sale(outlet, form.sale_input(), acting_user(), clock.now(), photo=form.photo.data)
        except ServiceError as err:
            _show(form, err)
        else:
            db.session.commit()
            flash(_("Sale recorded: receipt %(receipt)s, %(amount)s.", receipt=sale.receipt_no,
                    amount=format_yuan(sale.amount_fen)), "success")
            return redirect(url_for("outlet.sale_new", code=outlet.code))
    return render_form_page("outlet/sales_new.html", outlet=outlet, form=form)


def _line_page(outlet: Outlet, sale: OfflineSale, form: SaleForm | None = None) -> tuple[str, int]:
    """One line with what the outlet may do to it now."""
    actions = allowed_actions(sale.state, SaleActor.OUTLET)
    if form is None and sale.state in (SaleState.UNVERIFIED, SaleState.REJECTED):
        form = SaleForm(formdata=None, obj=sale, data={
            "amount": f"{sale.amount_fen // 100}.{sale.amount_fen % 100:02d}", "quantity": str(sale.quantity)})
    if form is not None:
        _offer(form, outlet, sale)
        form.submit.label.text = (_("Correct and send to the county again") if sale.state == SaleState.REJECTED
                                  else _("Save the changes"))
    return render_form_page("outlet/sales_line.html", outlet=outlet, sale=sale, form=form, actions=actions,
                            action_form=LineActionForm(), state_labels=STATE_LABELS, payment_labels=PAYMENT_LABELS)


@bp.route("/<code>/sales/<int:sale_id>", methods=["GET", "POST"])
def sale_line(code: str, sale_id: int) -> ResponseReturnValue:
    """One line: its state and the county's reason; edited while unverified, corrected when rejected."""
    outlet = _outlet(code)
    sale = _sale(outlet, sale_id)
    if request.method == "GET":
        return _line_page(outlet, sale)
    form = SaleForm()
    _offer(form, outlet, sale)
    if form.validate_on_submit():
        change = entry.correct_sale if sale.state == SaleState.REJECTED else entry.edit_sale
        try:
            change(sale, form.sale_input(), acting_user(), clock.now(), photo=form.photo.data,
                   remove_photo=form.remove_photo.data)
        except ServiceError as err:
            _show(form, err)
            sale = _sale(outlet, sale_id)
        else:
            db.session.commit()
            flash(_("Line saved: it waits for the county's check."), "success")
            return redirect(url_for("outlet.sale_line", code=outlet.code, sale_id=sale.id))
    return _line_page(outlet, sale, form)


@bp.route("/<code>/sales/<int:sale_id>/delete", methods=["POST"])
def sale_delete(code: str, sale_id: int) -> ResponseReturnValue:
    """Delete a line the county has not decided on yet."""
    outlet = _outlet(code)
    sale = _sale(outlet, sale_id)
    if not LineActionForm().validate_on_submit():
        abort(400)
    if commit_or_flash(lambda: entry.delete_sale(sale, acting_user()), _("Line deleted.")):
        return redirect(url_for("outlet.sales_list", outlet=outlet.code))
    return redirect(url_for("outlet.sale_line", code=outlet.code, sale_id=sale_id))


@bp.route("/<code>/sales/<int:sale_id>/withdraw", methods=["POST"])
def sale_withdraw(code: str, sale_id: int) -> ResponseReturnValue:
    """Withdraw a rejected line (it is kept, and asks for nothing any more)."""
    outlet = _outlet(code)
    sale = _sale(outlet, sale_id)
    if not LineActionForm().validate_on_submit():
        abort(400)
    commit_or_flash(lambda: entry.withdraw_sale(sale, acting_user()), _("Line withdrawn."))
    return redirect(url_for("outlet.sale_line", code=outlet.code, sale_id=sale_id))


@bp.route("/<code>/sales/<int:sale_id>/receipt", defaults={"size": "full"})
@bp.route("/<code>/sales/<int:sale_id>/receipt/<any(thumb):size>")
def sale_receipt(code: str, sale_id: int, size: str) -> ResponseReturnValue:
    """The line's receipt photo, for the outlet's own staff only (private, never cached by others)."""
    key = entry.receipt_photo_key(_sale(_outlet(code), sale_id), "thumb" if size == "thumb" else "full")
    return storage.send(key) if key else abort(404)


@bp.route("/<code>/sales/export.<any(csv, xlsx):fmt>")
def sales_export(code: str, fmt: str) -> ResponseReturnValue:
    """The outlet's lines under the list's filters, as CSV (UTF-8 with BOM) or XLSX."""
    outlet = _outlet(code)
    header, rows = export_table(outlet, _criteria(request.args), english=_english())
    data = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, sheet=outlet.code)
    name = f"offline-sales-{outlet.code}-{clock.today().isoformat()}.{fmt}"
    response = Response(data, mimetype=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
