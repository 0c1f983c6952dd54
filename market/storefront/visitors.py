"""Who is in the page header: logged in as whom, with which saved language and which portal links.

A kept catalogue page (page_cache) needs only this of the user, so it is remembered per process under
the id that flask-login keeps in the session, and used only while the database is unchanged since
(catalog_cache's version check, the same that keeps pages): logging out everywhere, a new password or a
deactivation commits, so the next request asks `load_user` again. A warm page of a logged-in buyer thus
costs the version check alone. Whether a session is valid is still decided by `load_user` only.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request, session
from flask_login import current_user

from market.services.catalog.cache import CatalogueCache

# The roles with a link of their own in the account menu (User.has_role decides: admins hold them all).
MENU_ROLES = ("outlet_staff", "institution_buyer", "county_staff", "admin")
# Apart from the catalogue's entries (so many buyers cannot crowd out pages), under the same version check.
identities = CatalogueCache(max_entries=4096)


@dataclass(frozen=True)
class Visitor:
    """What the header shows of one visitor; `name` is None for a visitor who is not logged in."""

    session_id: str | None
    name: str | None
    locale: str | None
    roles: tuple[str, ...]

    @property
    def signed_in(self) -> bool:
        """Whether the visitor is logged in."""
        return self.name is not None


ANONYMOUS = Visitor(None, None, None, ())


def of_user(user: Any) -> Visitor:
    """The header's view of flask-login's current user (anonymous or not)."""
    if not user.is_authenticated:
        return ANONYMOUS
    return Visitor(user.get_id(), user.name, user.locale, tuple(r for r in MENU_ROLES if user.has_role(r)))


def current_visitor() -> Visitor:
    """This request's visitor: as resolved by the page cache, else from flask-login's current user."""
    visitor = g.get("visitor")
    if visitor is None:
        visitor = g.visitor = of_user(current_user)
    return visitor


def _remembered() -> bool:
    """Whether the request carries a remember-me cookie."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def resolve(version: Hashable) -> Visitor:
    """The visitor of this request, from the per-process memo when the database is unchanged since.

    Mirrors flask-login: the session's id is checked by `load_user`; only when that finds nobody does a
    remember-me cookie count, so such requests (and every miss) go through flask-login itself.
    Sets `g.visitor_locale` so the language is chosen (market.i18n) without loading the user.
    """
    session_id = session.get("_user_id")
    remembered = _remembered()
    visitor: Visitor | None = ANONYMOUS if session_id is None and not remembered else None
    if visitor is None and session_id is not None:
        known = identities.lookup(("visitor", session_id), version)
        if isinstance(known, Visitor) and (known.signed_in or not remembered):
            visitor = known
    if visitor is None:
        visitor = of_user(current_user)
        if session_id is not None and (visitor.session_id == session_id or not (visitor.signed_in or remembered)):
            identities.store(("visitor", session_id), version, visitor)
    g.visitor = visitor
    g.visitor_locale = visitor.locale
    return visitor
