"""One posted application form: start or update the application, add the photos chosen, and submit it if asked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from market import storage
from market.domain.outlet_application import ApplicationPurpose
from market.models import Outlet, OutletApplication, User
from market.services.errors import ServiceError
from market.services.outlets import access, applications
from market.services.outlets.details import ApplicationDetails


def file_application(applicant: User, details: ApplicationDetails, photos: Sequence[FileStorage], *,
                     submit: bool, pledged: bool, now: datetime, today: date,
                     application: OutletApplication | None = None, outlet: Outlet | None = None,
                     purpose: ApplicationPurpose = ApplicationPurpose.NEW) -> OutletApplication:
    """Save the form (a new application, or an edit of `application`), keep its photos, and submit it when asked.
    On a refusal the caller rolls back; the photo files this call stored are deleted at once."""
    if submit and not pledged:  # said before any photo is stored
        raise ServiceError(_l("Tick the truthfulness pledge to submit the application."), "pledge")
    if application is None and outlet is None:
        application = applications.start_new(applicant, details)
    elif application is None:
        assert outlet is not None
        application = applications.start_for_outlet(applicant, outlet, purpose, details, today)
    else:
        applications.update(application, applicant, details)
    kept = {p.id for p in application.photos}
    try:
        applications.add_photos(application, applicant, photos)
        if submit:
            applications.submit(application, applicant, pledged, now)
    except ServiceError:
        for photo in application.photos:
            if photo.id not in kept:
                storage.delete(photo.key)
                storage.delete(photo.thumb_key)
        raise
    return application


def applicant_outlet(applicant: User, code: str | None, purpose: str | None) -> tuple[Outlet | None,
                                                                                      ApplicationPurpose]:
    """The outlet a renewal or change is filed for (one the applicant owns), from the page's query; (None, NEW)
    for a new outlet. ServiceError for an outlet they do not own or a purpose that is not renewal or change."""
    if not code:
        return None, ApplicationPurpose.NEW
    outlet = access.owned_outlet(applicant, code)
    if outlet is None or purpose not in (ApplicationPurpose.RENEWAL, ApplicationPurpose.CHANGE):
        raise ServiceError(_l("You can apply for a renewal or a change only for an outlet you own."))
    return outlet, ApplicationPurpose(purpose)
