"""Flagged payments for county staff and admins: mismatches, unknown refunds, late payments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market import clock
from market.county import bp
from market.extensions import db
from market.forms import commit_or_flash
from market.models import PaymentIssue
from market.security import acting_user
from market.services.ordering import payments


@bp.route("/payments")
def payment_issues() -> ResponseReturnValue:
    """Open issues first, with what happened."""
    return render_template("county/payments.html", issues=payments.open_issues())


@bp.route("/payments/<int:issue_id>/resolve", methods=["POST"])
def resolve_issue(issue_id: int) -> ResponseReturnValue:
    """Mark an issue resolved with a note (audited)."""
    issue = db.session.get(PaymentIssue, issue_id) or abort(404)
    note = request.form.get("note", "").strip()
    if not note:
        flash(_("Say how the issue was resolved."), "error")
        return redirect(url_for("county.payment_issues"))
    commit_or_flash(lambda: payments.resolve_issue(acting_user(), issue, note, clock.now()), _("Issue resolved."))
    return redirect(url_for("county.payment_issues"))
