"""Mailing the applicant at each decision on their application, once the decision is committed.

Messages are written in the applicant's language when the decision is made and sent after the transaction
commits (a decision rolled back mails nobody). A transactional outbox replaces this in a later issue.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy import orm as so

from market.domain.outlet_application import ApplicationStatus
from market.extensions import db
from market.models import OutletApplication
from market.services.accounts import mail

_PENDING = "market.outlets.mail_after_commit"


def _status_line(status: str) -> str:
    """What happened, in one sentence (in the active language)."""
    lines = {
        ApplicationStatus.REVIEWED: gettext("The county has reviewed your application; a second person decides next."),
        ApplicationStatus.ON_NOTICE: gettext("Your application has been approved and is now on public notice."),
        ApplicationStatus.RETURNED: gettext("Your application has been returned to you: change what is asked "
                                            "below and submit it again."),
        ApplicationStatus.REJECTED: gettext("Your application has been rejected."),
        ApplicationStatus.CERTIFIED: gettext("Your outlet is certified."),
        ApplicationStatus.WITHDRAWN: gettext("Your application has been withdrawn after an objection was upheld."),
    }
    return lines.get(ApplicationStatus(status), gettext("Your application has been updated."))


def tell_applicant(application: OutletApplication, detail: str | None) -> None:
    """Queue a mail to the applicant about the application's new status (and the reason or number given)."""
    applicant = application.applicant
    with force_locale(applicant.locale):
        subject = gettext("Your outlet application %(code)s — Long County market", code=application.outlet.code)
        body = _status_line(application.status)
        if detail:
            body += "\n\n" + detail
        body += "\n\n" + gettext("The history of your application is on your account page.")
    db.session().info.setdefault(_PENDING, []).append((applicant.email, subject, body))


@event.listens_for(so.Session, "after_commit")
def _send_pending(session: so.Session) -> None:
    """Send what the committed transaction queued; a mail failure is logged and never undoes the decision."""
    for to, subject, body in session.info.pop(_PENDING, []):
        try:
            mail.send(to, subject, body)
        except Exception:  # noqa: BLE001 - any mail failure; the decision stands
            current_app.logger.exception("could not mail %s about their outlet application", to)


@event.listens_for(so.Session, "after_soft_rollback")
def _forget_pending(session: so.Session, previous_transaction: so.SessionTransaction) -> None:
    """A rolled-back decision mails nobody."""
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
