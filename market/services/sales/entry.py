"""Hand entry of one offline sale line by the outlet's staff: record (with an optional receipt photo), edit or
delete while unverified, correct a rejected line (back to unverified) or withdraw it.

Every check goes through `recording.check_lines`; every change of state through the line's state machine
(`market.domain.offline_sale.next_state`). Receipt photos follow the listing photos' rules (decoded and
re-encoded by `uploads.store_image`) but live in the private `receipts` folder, served only by access-checked
routes: the outlet's own staff through the portal, county staff through the back-office.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm as so
from werkzeug.datastructures import FileStorage

from market import storage
from market.db_setup import statement_savepoint
from market.domain.dates import business_date
from market.domain.offline_sale import SaleAction, SaleActor, SaleState, next_state
from market.domain.transitions import TransitionRefused
from market.extensions import db
from market.models import Listing, OfflineSale, Outlet, Product, User
from market.services.accounts import audit
from market.services.errors import ServiceError
from market.services.sales import moves
from market.services.sales.recording import LinesRefused, SaleInput, check_lines, record_lines, sale_values
from market.services.sales.risk import neighbours, refresh_risks
from market.services.uploads import delete_after_commit, store_image

RECEIPTS_FOLDER = "receipts"  # private: never served by the public /media/ route


def outlet_sale(outlet: Outlet, sale_id: int) -> OfflineSale | None:
    """The outlet's own line with this id; None for another outlet's or a missing one."""
    return db.session.scalar(sa.select(OfflineSale).where(OfflineSale.id == sale_id,
                                                          OfflineSale.outlet_id == outlet.id))


def product_choices(outlet: Outlet, day: date) -> tuple[list[Product], list[Product]]:
    """The products certified on the day: (those the outlet lists, the register's others), by code."""
    listed = set(db.session.scalars(sa.select(Listing.product_id).where(Listing.outlet_id == outlet.id)))
    products = db.session.scalars(sa.select(Product).options(so.selectinload(Product.certifications))
                                  .order_by(Product.sku)).all()
    certified = [p for p in products if p.certified_on(day)]
    return [p for p in certified if p.id in listed], [p for p in certified if p.id not in listed]


def receipt_photo_key(sale: OfflineSale, size: Literal["full", "thumb"] = "full") -> str | None:
    """The storage key of the line's receipt photo (or its thumbnail), None without one. The caller has
    checked that the user may see the line (its outlet's staff, or county staff): serve it with
    `storage.send`, which marks it private."""
    return sale.photo_thumb_key if size == "thumb" else sale.photo_key


def _chosen(photo: FileStorage | None) -> bool:
    """Whether a file was chosen (a form's empty file input sends a part without a name)."""
    return photo is not None and bool(photo.filename)


def _attach_photo(sale: OfflineSale, photo: FileStorage) -> None:
    """Store the photo (refused photos store nothing) and point the line at it; the replaced files are
    deleted once the transaction commits."""
    stored = store_image(photo, folder=RECEIPTS_FOLDER, field="photo")
    _drop_photo(sale)
    sale.photo_key, sale.photo_thumb_key = stored.key, stored.thumb_key
    sale.photo_hash = hashlib.sha256(storage.read(stored.key)).hexdigest()


def _drop_photo(sale: OfflineSale) -> None:
    """Let go of the line's photo files (deleted after the commit) and clear its columns."""
    keys = [k for k in (sale.photo_key, sale.photo_thumb_key) if k]
    if keys:
        delete_after_commit(db.session, keys)
    sale.photo_key = sale.photo_thumb_key = sale.photo_hash = None


def _move(sale: OfflineSale, action: SaleAction) -> SaleState:
    """Move the line by the outlet's action (a compare-and-set on its state) and return the new state;
    ServiceError when the machine refuses it or the line changed meanwhile."""
    try:
        state = next_state(sale.state, action, SaleActor.OUTLET)
    except TransitionRefused:
        raise ServiceError(_refusal(sale.state)) from None
    moves.move([sale], state)  # only from the state judged on: the county may have decided meanwhile
    return state


def _refusal(state: str) -> str:
    """Why the outlet cannot change a line in this state."""
    if state == SaleState.VERIFIED:
        return _("This line is verified and can no longer be changed; ask the county office to reopen it.")
    if state == SaleState.WITHDRAWN:
        return _("This line was withdrawn and can no longer be changed.")
    if state == SaleState.REJECTED:
        return _("This line was rejected: correct it or withdraw it.")
    return _("This line is waiting for the county: edit or delete it instead.")


def record_sale(outlet: Outlet, line: SaleInput, user: User, now: datetime,
                photo: FileStorage | None = None) -> OfflineSale:
    """Record one line typed by hand, with its receipt photo if one was chosen. Flushes."""
    (sale_id,) = record_lines(outlet, [line], user, now)
    sale = db.session.get_one(OfflineSale, sale_id)
    if _chosen(photo):
        _attach_photo(sale, photo)  # type: ignore[arg-type]
        db.session.flush()
        refresh_risks([sale.id])  # the photo's hash may match another outlet's receipt
    return sale


def _rewrite(sale: OfflineSale, action: SaleAction, line: SaleInput, now: datetime,
             photo: FileStorage | None, remove_photo: bool) -> None:
    """Check `line` in place of the sale (its own receipt number is free) and write it."""
    state = _move(sale, action)
    problems = check_lines(sale.outlet, [line], business_date(now), replacing=sale)
    if any(problems):
        raise LinesRefused(problems)
    for column, value in sale_values(line).items():
        setattr(sale, column, value)
    sale.state = state
    if _chosen(photo):
        _attach_photo(sale, photo)  # type: ignore[arg-type]
    elif remove_photo:
        _drop_photo(sale)
    try:
        with statement_savepoint():
            db.session.flush()
    except sa.exc.IntegrityError:  # the receipt number was recorded by another clerk after the check
        raise ServiceError(_("A receipt number was recorded at this outlet a moment ago: check the line again."),
                           "receipt_no") from None
    refresh_risks([sale.id])


def edit_sale(sale: OfflineSale, line: SaleInput, user: User, now: datetime, *,
              photo: FileStorage | None = None, remove_photo: bool = False) -> OfflineSale:
    """Change an unverified line (a new photo replaces the old one). Flushes."""
    _rewrite(sale, SaleAction.EDIT, line, now, photo, remove_photo)
    return sale


def correct_sale(sale: OfflineSale, line: SaleInput, user: User, now: datetime, *,
                 photo: FileStorage | None = None, remove_photo: bool = False) -> OfflineSale:
    """Correct a rejected line: written as given and unverified again, for the county to decide anew. The
    rejection's reason is cleared (it answered the old line; the audit event keeps it), so an unverified line
    with a reason is one the county reopened. Audited. Flushes."""
    before = _summary(sale)
    _rewrite(sale, SaleAction.CORRECT, line, now, photo, remove_photo)
    sale.reason = None
    audit.record(user, "offline_sale.correct", sale, before=before, after=_summary(sale))
    return sale


def withdraw_sale(sale: OfflineSale, user: User) -> OfflineSale:
    """Withdraw a rejected line: kept (never deleted), it no longer asks for anything. Audited. Flushes."""
    before = _summary(sale)
    sale.state = _move(sale, SaleAction.WITHDRAW)
    refresh_risks([sale.id])  # a withdrawn line no longer makes others suspicious
    audit.record(user, "offline_sale.withdraw", sale, before=before, after=_summary(sale))
    return sale


def delete_sale(sale: OfflineSale, user: User) -> None:
    """Delete an unverified line and its photo files (after the commit). Audited. Flushes."""
    _move(sale, SaleAction.DELETE)
    audit.record(user, "offline_sale.delete", sale, before=_summary(sale))
    others = neighbours([sale.id])  # the lines whose signals may have rested on this one
    _drop_photo(sale)
    db.session.delete(sale)
    db.session.flush()
    refresh_risks(sorted(others))


def _summary(sale: OfflineSale) -> dict[str, object]:
    """What an audit event keeps of a line."""
    return {"state": sale.state, "outlet_id": sale.outlet_id, "sale_date": sale.sale_date.isoformat(),
            "product_id": sale.product_id, "quantity": sale.quantity, "amount_fen": sale.amount_fen,
            "receipt_no": sale.receipt_no, "reason": sale.reason}
