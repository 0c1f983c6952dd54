"""Administration of outgoing mail: counts by status, the failed and retrying mails, retry a failed mail now."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market.admin import bp
from market.extensions import db
from market.models.base import utcnow
from market.services.accounts import outbox
from market.services.errors import ServiceError


@bp.route("/mail")
def mail() -> ResponseReturnValue:
    """Pending, sending, sent and failed counts; the mails that failed or wait for a retry, with their errors."""
    view = outbox.overview()
    return render_template("admin/mail.html", counts=view.counts, troubled=view.troubled)


@bp.route("/mail/<int:mail_id>/retry", methods=["POST"])
def retry_mail(mail_id: int) -> ResponseReturnValue:
    """Put a failed mail back in the queue; it is tried right after this commit (CSRF-checked like every form)."""
    try:
        row = outbox.retry_now(mail_id, utcnow())
    except LookupError:
        abort(404)
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("admin.mail"))
    recipient = row.recipient
    db.session.commit()
    flash(_("The mail to %(email)s is being sent again.", email=recipient), "success")
    return redirect(url_for("admin.mail"))
