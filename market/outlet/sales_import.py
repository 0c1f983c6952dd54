"""Importing counter sales from a spreadsheet: upload, preview every row's errors, confirm, and the outlet's batches
with withdraw. Templates to download in CSV and XLSX.

Between the preview and the confirmation the uploaded file waits in private storage (folder `imports/`), named by
a signed token that also names the outlet and the user: nobody else can confirm it, and on confirmation the file
is read and checked again, since the outlet's lines may have changed meanwhile.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from wtforms import HiddenField

from market import clock, storage
from market.domain.money import format_yuan
from market.errors import render_error
from market.extensions import db
from market.forms import apply_service_error
from market.models import Outlet, User
from market.outlet import bp
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets import access
from market.services.sales import importing
from market.services.spreadsheets import export
from market.services.spreadsheets.reading import MAX_BYTES, MAX_ROWS, ZIP_MAGIC, SpreadsheetRefused
from market.services.uploads import delete_after_commit

FOLDER = "imports"  # private: never served
TOKEN_AGE = 2 * 3600  # seconds a previewed upload may wait for its confirmation
SHOWN_BAD_ROWS = 500  # a preview lists at most this many bad rows (and says how many more there are)
SHOWN_GOOD_ROWS = 20
STATE_LABELS = {"unverified": _l("Unverified"), "verified": _l("Verified"), "rejected": _l("Rejected"),
                "withdrawn": _l("Withdrawn")}


class UploadForm(FlaskForm):
    """The spreadsheet to check."""

    file = FileField(_l("Spreadsheet (CSV or XLSX)"))


class ConfirmForm(FlaskForm):
    """Import the previewed file: the token naming it."""

    token = HiddenField()


class BatchActionForm(FlaskForm):
    """Withdrawing a batch: a button and the CSRF token."""


def _outlet(code: str) -> Outlet:
    """The outlet the user works for; 404 for any other."""
    return access.staff_outlet(acting_user(), code) or abort(404)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="outlet.sales-import")  # type: ignore[arg-type]


def _token(key: str, outlet: Outlet, user: User, file_name: str) -> str:
    return _signer().dumps({"k": key, "o": outlet.id, "u": user.id, "f": file_name})


def _kept(token: str, outlet: Outlet, user: User) -> tuple[str, str] | None:
    """(storage key, file name) of the previewed upload the token names, if it is this outlet's and user's."""
    try:
        data = _signer().loads(token, max_age=TOKEN_AGE)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("o") != outlet.id or data.get("u") != user.id:
        return None
    try:
        key = storage.check_key(data["k"])
    except (KeyError, storage.StorageError):
        return None
    return (key, str(data.get("f", ""))) if key.startswith(f"{FOLDER}/") and storage.exists(key) else None


def _page(outlet: Outlet, form: UploadForm, status: int = 200) -> ResponseReturnValue:
    return render_template("outlet/sales_import.html", outlet=outlet, form=form, action=BatchActionForm(),
                           batches=importing.outlet_batches(outlet), max_mb=MAX_BYTES // (1024 * 1024),
                           max_rows=MAX_ROWS, columns=importing.COLUMNS.columns,
                           formats=importing.COLUMN_FORMATS,
                           state_labels=STATE_LABELS), status


def _preview_page(outlet: Outlet, checked: importing.SalesPreview, file_name: str, token: str | None,
                  status: int) -> ResponseReturnValue:
    bad = checked.preview.bad_rows
    good = [row for row in checked.preview.rows if row.ok]
    return render_template("outlet/sales_import_preview.html", outlet=outlet, file_name=file_name,
                           rows=len(checked.preview.rows), bad=bad[:SHOWN_BAD_ROWS], bad_count=len(bad),
                           good=good[:SHOWN_GOOD_ROWS], good_count=len(good), total_fen=checked.total_fen,
                           ok=checked.ok, confirm=ConfirmForm(token=token) if token else None,
                           form=UploadForm(formdata=None), max_mb=MAX_BYTES // (1024 * 1024),
                           max_rows=MAX_ROWS), status


@bp.route("/<code>/sales/import", methods=["GET", "POST"])
def sales_import(code: str) -> ResponseReturnValue:
    """The upload form and the outlet's batches; a posted file is checked and previewed (nothing imported)."""
    outlet = _outlet(code)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(outlet, form, 422 if request.method == "POST" else 200)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = [_("Choose a CSV or XLSX file to upload.")]
        return _page(outlet, form, 422)
    data = upload.stream.read(MAX_BYTES + 1)
    file_name = upload.filename[-200:]
    try:
        checked = importing.preview_upload(outlet, data, clock.today())
    except SpreadsheetRefused as err:
        apply_service_error(form, err)
        return _page(outlet, form, 413 if len(data) > MAX_BYTES else 422)
    token = None
    if checked.ok:
        key = storage.put(data, folder=FOLDER, suffix=".xlsx" if data.startswith(ZIP_MAGIC) else ".csv")
        token = _token(key, outlet, acting_user(), file_name)
    return _preview_page(outlet, checked, file_name, token, 200 if checked.ok else 422)


@bp.errorhandler(413)
def upload_too_large(error: HTTPException) -> ResponseReturnValue:
    """A body past MAX_CONTENT_LENGTH: the import page says its own limit; other outlet pages the usual words."""
    if request.endpoint == "outlet.sales_import":
        return render_error(413, _("The file is larger than %(mb)d MB: split it into smaller files.",
                                   mb=MAX_BYTES // (1024 * 1024)))
    return render_error(413)


@bp.route("/<code>/sales/import/confirm", methods=["POST"])
def sales_import_confirm(code: str) -> ResponseReturnValue:
    """Import the previewed file as one batch, after checking it again; its rows' errors if any appeared."""
    outlet = _outlet(code)
    user = acting_user()
    form = ConfirmForm()
    kept = _kept(form.token.data or "", outlet, user) if form.validate_on_submit() else None
    if kept is None:
        flash(_("This preview has expired or is not yours: upload the file again."), "error")
        return redirect(url_for("outlet.sales_import", code=outlet.code))
    key, file_name = kept
    try:
        batch = importing.import_upload(outlet, storage.read(key), file_name, user, clock.now())
    except importing.ImportRefused as refused:
        db.session.rollback()
        return _preview_page(outlet, refused.preview, file_name, None, 422)
    except ServiceError as err:  # the file could not be read any more (SpreadsheetRefused)
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("outlet.sales_import", code=outlet.code))
    delete_after_commit(db.session, [key])
    db.session.commit()
    flash(ngettext("Imported %(num)d line (%(total)s) as batch %(id)d: it waits for the county's check.",
                   "Imported %(num)d lines (%(total)s) as batch %(id)d: they wait for the county's check.",
                   batch.row_count, total=format_yuan(batch.total_fen), id=batch.id), "success")
    return redirect(url_for("outlet.sales_import", code=outlet.code))


@bp.route("/<code>/sales/import/batches/<int:batch_id>/withdraw", methods=["POST"])
def sales_import_withdraw(code: str, batch_id: int) -> ResponseReturnValue:
    """Withdraw a whole batch while all its lines are unverified: its lines are deleted, the batch kept."""
    outlet = _outlet(code)
    batch = importing.outlet_batch(outlet, batch_id) or abort(404)
    if not BatchActionForm().validate_on_submit():
        abort(400)
    try:
        importing.withdraw_batch(batch, acting_user(), clock.now())
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(_("Batch %(id)d withdrawn: its lines were deleted.", id=batch_id), "success")
    return redirect(url_for("outlet.sales_import", code=outlet.code))


@bp.route("/<code>/sales/import/template.<any(csv, xlsx):fmt>")
def sales_import_template(code: str, fmt: str) -> ResponseReturnValue:
    """The import template (the header only: nothing to import by accident) as CSV or XLSX."""
    _outlet(code)
    header, rows = importing.template()
    if fmt == "csv":
        body, mimetype = export.csv_bytes(header, rows), export.CSV_TYPE
    else:
        body, mimetype = export.xlsx_bytes(header, rows, sheet="线下销售"), export.XLSX_TYPE
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="offline-sales-template.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
