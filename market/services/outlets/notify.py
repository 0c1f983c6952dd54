"""Mailing the applicant at each decision on their application, through the transactional outbox.

Messages are written in the applicant's language when the decision is made, as outbox rows of the decision's
transaction: sent after it commits, and a decision rolled back mails nobody.
"""

from __future__ import annotations

from flask_babel import gettext

from market.domain.outlet_application import ApplicationStatus
from market.models import OutletApplication
from market.services.accounts import outbox


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

    def compose() -> tuple[str, str]:
        subject = gettext("Your outlet application %(code)s — Long County market", code=application.outlet.code)
        body = _status_line(application.status)
        if detail:
            body += "\n\n" + detail
        return subject, body + "\n\n" + gettext("The history of your application is on your account page.")

    outbox.queue_to(application.applicant, "outlet_application.decision", compose)
