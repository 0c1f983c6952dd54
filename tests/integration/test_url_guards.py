"""Every rule of the role areas, found by walking the URL map, is guarded: anonymous visitors are sent to
the login page and logged-in users without the area's role get 403, for every method of the rule.

A new route under one of these prefixes that forgets its guard (or is added outside the area's blueprint)
fails here. POSTs carry a valid CSRF token, with CSRF protection on as in production: the check proves the
role guard itself answers, not CSRF refusing a tokenless form (which would hide a missing guard behind 400).
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from market.labels import ROLES
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, UserFactory

AREAS = {  # path prefix -> the role its guard asks for (admins pass every guard)
    "/outlet/": "outlet_staff",
    "/county/": "county_staff",
    "/institution/": "institution_buyer",
    "/admin/": "admin",
}

# Rules under these prefixes that are meant to be reachable otherwise (rule -> reason), e.g. an invitation
# link opened before its invitee has the role. None today.
EXCEPTIONS: dict[str, str] = {}

# Plausible values for string arguments, by argument name; anything else gets "demo".
NAMED_VALUES = {
    "number": "LX20261202A1B2C3D4",
    "action": "pay",
    "code": "LX-O-001",
    "sku": "LX-P-001",
    "token": "an-invitation-token",
}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def area_rules(app: Flask, prefix: str) -> list[Rule]:
    """The rules under `prefix`, except the listed exceptions, in a stable order."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(prefix) and r.rule not in EXCEPTIONS]
    return sorted(rules, key=lambda r: r.rule)


def plausible_value(converter: str, args: str | None, name: str) -> object:
    """A value the argument's converter accepts, chosen by converter type (and name for strings)."""
    if converter == "int":
        return 1
    if converter == "float":
        return 1.5
    if converter == "uuid":
        return uuid.UUID(int=1)
    if converter == "any":
        return (args or "").split(",")[0].strip().strip("'\"")
    if converter in ("default", "string", "path"):
        return NAMED_VALUES.get(name, "demo")
    pytest.fail(f"no plausible value for converter {converter!r} (argument {name}): add one to this test")


def sample_path(app: Flask, rule: Rule) -> str:
    """A concrete path for the rule, with every argument filled, checked to match that very rule."""
    values = {m["name"]: plausible_value(m["converter"] or "default", m["args"], m["name"])
              for m in ARGUMENT.finditer(rule.rule)}
    adapter = app.url_map.bind("market.example.com")
    # Match by a method of the rule's own: a GET rule and a POST rule may share a path (both answer OPTIONS).
    method = min((rule.methods or set()) - {"HEAD", "OPTIONS"}, default="OPTIONS")
    path = adapter.build(rule.endpoint, values, method=method)
    matched, _ = adapter.match(path, method=method, return_rule=True)
    assert matched is rule, f"{path} does not reach {rule.rule}: change its sample values"
    return path


def answers(client: FlaskClient, rule: Rule, path: str, token: str) -> dict[str, tuple[int, str]]:
    """The answer to every method of the rule as (status, Location), unsafe ones with the client's CSRF token."""
    result = {}
    for method in sorted(rule.methods or ()):
        if method in SAFE_METHODS:
            response = client.open(path, method=method)
        else:
            response = client.open(path, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        result[method] = (response.status_code, response.headers.get("Location", ""))
    return result


def sent_to_login(status: int, location: str, path: str) -> bool:
    """Whether the answer redirects to the login page, asking to come back to `path`."""
    target = urlsplit(location)
    return status in (302, 303) and target.path == "/account/login" and parse_qs(target.query).get("next") == [path]


@pytest.mark.parametrize("prefix", AREAS)
def test_anonymous_visitors_are_sent_to_login_by_every_rule_of_the_area(app, client, prefix):
    rules = area_rules(app, prefix)
    assert rules, f"no rule under {prefix}: is the area still registered?"
    token = csrf_token(client, "/account/login")
    wrong = []
    for rule in rules:
        path = sample_path(app, rule)
        for method, (status, location) in answers(client, rule, path, token).items():
            if not sent_to_login(status, location, path):
                wrong.append(f"{method} {path} ({rule.rule}): {status} {location}")
    assert not wrong, "reachable without logging in:\n" + "\n".join(wrong)


@pytest.mark.parametrize("prefix", AREAS)
def test_users_without_the_area_role_get_403_from_every_rule_of_the_area(app, prefix):
    rules = area_rules(app, prefix)
    assert rules, f"no rule under {prefix}: is the area still registered?"
    wrong = []
    for role in sorted(set(ROLES) - {AREAS[prefix], "admin"}):
        user = UserFactory(roles_given=(role,))
        client = app.test_client()
        assert AuthActions(client).login(user.email, PASSWORD).status_code == 302
        token = csrf_token(client, "/account/")
        for rule in rules:
            path = sample_path(app, rule)
            for method, (status, location) in answers(client, rule, path, token).items():
                if status != 403:
                    wrong.append(f"{role}: {method} {path} ({rule.rule}): {status} {location}")
    assert not wrong, f"reachable without the {AREAS[prefix]} role:\n" + "\n".join(wrong)


def test_every_exception_names_a_rule_of_a_guarded_area(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    stale = [rule for rule in EXCEPTIONS if rule not in rules or not rule.startswith(tuple(AREAS))]
    assert not stale, f"exceptions that name no guarded rule: {stale}"
