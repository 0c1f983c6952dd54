"""No outlet's staff reach another outlet's pages, rows or forms: generated from the URL map, so new routes under
/outlet/<code>/... are covered without a test written by hand.

Two certified outlets, A and B, each with an owner, a listing and one row of everything hanging off an outlet or a
listing (memberships, invitations, photos, price tiers, stock movements). B's owner then tries, for every rule
under /outlet/<code>/ and every method:
- A's code with A's ids (A's own page, as if B typed its address),
- B's code with each id argument in turn replaced by A's id of the same kind (A's listing under B's code ...),
- every form on B's own pages, with each id field (hidden, or a choice of the outlet's rows) in turn replaced
  by A's id,
and gets 404 (or 403; 400/422 for a refused form field), while nothing in the database changes. B's own pages
answer 200 first, so a 404 proves the guard and not a broken fixture. An id argument of a kind the fixture has no
row for fails with the name of the table to add.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from market import storage
from market.extensions import db
from market.models import OfflineSale, OfflineSaleBatch, OutletInvitation, OutletMembership
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, UserFactory
from tests.images import photo

PREFIX = "/outlet/<code>/"
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
REFUSED = {403, 404}
FORM_REFUSED = {400, 403, 404, 422}
IGNORED_TABLES = {"audit_events"}  # the log of refusals is not a change of anyone's data

# Id arguments and form fields whose name does not say their table (name -> table).
TABLE_OF = {"id": "listings", "batch_id": "offline_sale_batches"}


def outlet_rules(app: Flask) -> list[Rule]:
    """Every rule under /outlet/<code>/, in a stable order."""
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX)), key=lambda r: r.rule)


def table_for(name: str, context: str = "", required: bool = True) -> str | None:
    """The outlet-owned table an id named `name` points into: listing_id -> listings, photo_id -> listing_photos
    ...; when several fit, the one whose qualifier the rule or form action (`context`) names (/listings/...).
    None (when not `required`) for ids of shared data, such as a product of the county register."""
    if name in TABLE_OF:
        return TABLE_OF[name]
    stem = name.removesuffix("_ids").removesuffix("_id")
    tables = [t for t in db.metadata.tables if t == f"{stem}s" or t.endswith(f"_{stem}s")]
    owned = [t for t in tables if _path_to_outlets(db.metadata.tables[t]) is not None]
    if len(owned) > 1:
        named = [t for t in owned if t.removesuffix(f"_{stem}s").rsplit("_", 1)[-1] in context]
        owned = named if len(named) == 1 else owned
    if not owned and not required:
        return None
    if len(owned) != 1:
        pytest.fail(f"cannot tell which table the id {name!r} points into ({owned or tables}): add it to TABLE_OF")
    return owned[0]


def _path_to_outlets(table: sa.Table, depth: int = 3) -> list[sa.ForeignKey] | None:
    """The chain of foreign keys from `table` up to outlets (empty for outlets itself), shortest first."""
    if table.name == "outlets":
        return []
    if depth == 0:
        return None
    paths = []
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        if fk.column.table.name == "users":
            continue  # users belong to several outlets: a path through them owns nothing
        rest = _path_to_outlets(fk.column.table, depth - 1)
        if rest is not None:
            paths.append([fk, *rest])
    return min(paths, key=len) if paths else None


def ids_of(table_name: str, outlet_id: int) -> list[int]:
    """The ids of the table's rows that belong to the outlet (following foreign keys up to outlets)."""
    table = db.metadata.tables[table_name]
    path = _path_to_outlets(table)
    assert path is not None, table_name
    query = sa.select(table.c.id)
    current: sa.Table = table
    for fk in path:
        parent = fk.column.table
        query = query.join(parent, fk.parent == fk.column)
        current = parent
    query = query.where(current.c.id == outlet_id).order_by(table.c.id)
    return list(db.session.scalars(query))


def make_outlet(code: str, n: int) -> dict[str, Any]:
    """A certified outlet with an owner, a listing and a row of each kind hanging off them."""
    outlet = OutletFactory(code=code)
    owner = UserFactory(email=f"owner-{code.lower()}@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(outlet=outlet, user=owner, is_owner=True))
    clerk = UserFactory(email=f"clerk-{code.lower()}@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(outlet=outlet, user=clerk, is_owner=False))
    listing = ListingFactory(outlet=outlet)
    now = datetime.now(UTC)
    db.session.add(OutletInvitation(outlet=outlet, email=f"invited-{n}@example.com", token_digest=f"{n:064d}",
                                    created_at=now, expires_at=now + timedelta(days=7)))
    db.session.add(OfflineSaleBatch(outlet=outlet, file_name=f"{code}.csv", row_count=0, total_fen=0))
    receipt = {"photo_key": storage.put(photo(), folder="receipts", suffix=".jpg"),  # real files: B's own photo
               "photo_thumb_key": storage.put(photo(), folder="receipts", suffix=".webp")}  # route answers 200
    db.session.add(OfflineSale(outlet=outlet, product=listing.product, sale_date=date(2026, 11, 2), quantity=1,
                               amount_fen=6800, receipt_no=f"R-{n}", **receipt))
    for table, rows in rows_for_listing(listing.id, n).items():
        if table in db.metadata.tables:
            db.session.execute(db.metadata.tables[table].insert(), rows)
    db.session.commit()
    return {"outlet": outlet, "owner": owner}


def rows_for_listing(listing_id: int, n: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of each table hanging off a listing (only the tables that exist are written): two photos, so that
    the page shows the buttons that reorder them."""
    now = datetime.now(UTC)
    return {
        "listing_photos": [{"listing_id": listing_id, "key": f"listings/{n}-{k}.jpg",
                            "thumb_key": f"listings/{n}-{k}.webp", "width": 1600, "height": 1200, "position": k,
                            "created_at": now} for k in (0, 1)],
        "listing_price_tiers": [{"listing_id": listing_id, "min_quantity": 50, "unit_price_fen": 6000}],
        "stock_movements": [{"listing_id": listing_id, "change": 10, "stock_after": 10, "reason": "restock",
                             "created_at": now}],
    }


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but the audit log), to prove nothing changed."""
    db.session.expire_all()
    return {t.name: sorted(map(tuple, db.session.execute(sa.select(t)).all()), key=repr)
            for t in db.metadata.sorted_tables if t.name not in IGNORED_TABLES}


class Forms(HTMLParser):
    """The forms of a page: action, method, and the fields a browser would send (the first option of a select
    and the first named submit button stand for the user's choice)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": {}, "hidden": set()})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            fields = self.forms[-1]["fields"]
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio":  # a browser sends the checked one; without one, take the first choice
                    fields.setdefault(a["name"], a.get("value", "on"))
                return
            fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
            if kind == "hidden":
                self.forms[-1]["hidden"].add(a["name"])
        elif tag == "button" and a.get("name"):
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            self.forms[-1]["fields"].setdefault(self._select, a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = "text"

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def values_for(rule: Rule, outlet: dict[str, Any]) -> dict[str, Any]:
    """The rule's arguments filled with this outlet's code and ids."""
    values: dict[str, Any] = {}
    for m in ARGUMENT.finditer(rule.rule):
        name, converter = m["name"], m["converter"] or "default"
        if name == "code":
            values[name] = outlet["outlet"].code
        elif converter == "int":
            table = table_for(name, rule.rule)
            assert table is not None
            found = ids_of(table, outlet["outlet"].id)
            if not found:
                pytest.fail(f"{rule.rule}: the fixture has no {table} row for an outlet: add one in "
                            f"make_outlet/rows_for_listing")
            values[name] = found[0]
        elif converter == "any":
            values[name] = (m["args"] or "").split(",")[0].strip().strip("'\"")
        else:
            values[name] = "demo"
    return values


@pytest.fixture
def two_outlets(app: Flask) -> tuple[dict[str, Any], dict[str, Any]]:
    """Outlet A (LX-O-001) and outlet B (LX-O-003), each fully furnished."""
    return make_outlet("LX-O-001", 1), make_outlet("LX-O-003", 3)


def test_the_url_map_has_outlet_rules_to_check(app):
    assert {"outlet.profile", "outlet.staff", "outlet.poster"} <= {r.endpoint for r in outlet_rules(app)}


def test_staff_of_outlet_b_reach_nothing_of_outlet_a_by_url_or_form_field(app, two_outlets):
    a, b = two_outlets
    client = app.test_client()
    assert AuthActions(client).login(b["owner"].email, PASSWORD).status_code == 302
    token = csrf_token(client, "/account/")
    adapter = app.url_map.bind("market.example.com")
    before = snapshot()
    wrong: list[str] = []
    forms: list[dict[str, Any]] = []

    for rule in outlet_rules(app):  # B's own pages work (so the refusals below mean something); collect forms
        if "GET" in (rule.methods or ()):
            path = adapter.build(rule.endpoint, values_for(rule, b))
            response = client.get(path)
            if response.status_code != 200:
                wrong.append(f"B's own page GET {path}: {response.status_code} (fixture or route broken)")
            parser = Forms()
            if response.mimetype == "text/html":  # not a photo or a download
                parser.feed(response.get_data(as_text=True))
            response.close()  # a file sent from storage stays open until then
            forms += [{**f, "page": path} for f in parser.forms if f["method"] == "post"]
    before = snapshot()  # GETs of B's own pages may have written nothing, but measure from here

    def form_data(path: str) -> dict[str, str]:
        """The fields B's own form for this path would send (just the token when no page shows one)."""
        mine = next((f for f in forms if urlsplit(f["action"] or f["page"]).path == path), None)
        return {**(mine["fields"] if mine else {}), "csrf_token": token}

    for rule in outlet_rules(app):
        own, theirs = values_for(rule, b), values_for(rule, a)
        variants = [("A's code and ids", theirs)]
        variants += [(f"B's code, A's {name}", {**own, name: theirs[name]})
                     for name in own if name != "code" and own[name] != theirs[name]]
        for label, values in variants:
            path = adapter.build(rule.endpoint, values)
            data = form_data(adapter.build(rule.endpoint, own))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, data=data if method != "GET" else None)
                if response.status_code not in REFUSED:
                    wrong.append(f"{label}: {method} {path}: {response.status_code}")

    for form in forms:  # every id field (hidden or chosen) of every form on B's pages, swapped for A's id
        action = urlsplit(form["action"] or form["page"]).path
        for name in sorted(form["fields"]):
            if name != "id" and not name.endswith(("_id", "_ids")):
                continue
            table = table_for(name, action, required=name in form["hidden"])
            if table is None:
                continue  # an id of shared data (a product of the county register), not of an outlet
            theirs_ids = ids_of(table, a["outlet"].id)
            if not theirs_ids:
                wrong.append(f"no {table} row of outlet A to swap into {name} of {action}")
                continue
            data = {**form["fields"], name: str(theirs_ids[0]), "csrf_token": token}
            response = client.post(action, data=data)
            if response.status_code not in FORM_REFUSED:
                wrong.append(f"{action} with A's {name}: {response.status_code}")

    assert not wrong, "outlet B's staff reached outlet A:\n" + "\n".join(wrong)
    assert snapshot() == before, "a refused request changed the database"


def test_a_listing_of_outlet_a_under_outlet_bs_code_is_not_found(app, two_outlets):
    a, b = two_outlets
    client = app.test_client()
    assert AuthActions(client).login(b["owner"].email, PASSWORD).status_code == 302
    listing_rules = [r for r in outlet_rules(app) if "<int:listing_id>" in r.rule and "GET" in (r.methods or ())]
    if not listing_rules:
        pytest.skip("no outlet page takes a listing id yet")
    (listing_a,) = ids_of("listings", a["outlet"].id)
    (listing_b,) = ids_of("listings", b["outlet"].id)
    adapter = app.url_map.bind("market.example.com")
    for rule in listing_rules:
        own = values_for(rule, b)
        assert client.get(adapter.build(rule.endpoint, own)).status_code == 200
        assert own["listing_id"] == listing_b
        swapped = {**own, "listing_id": listing_a}
        assert client.get(adapter.build(rule.endpoint, swapped)).status_code == 404, rule.rule


def test_the_generator_would_catch_a_route_that_forgets_the_outlet(app, two_outlets):
    """The check is not vacuous: a staff page of A loaded by bare code (no membership check) is reported."""
    a, b = two_outlets
    client = app.test_client()
    AuthActions(client).login(b["owner"].email, PASSWORD)
    assert client.get(f"/shop/{a['outlet'].code}").status_code == 200  # a public page answers, as it should
    assert client.get(f"/outlet/{a['outlet'].code}/profile").status_code == 404
    assert client.get(f"/outlet/{b['outlet'].code}/profile").status_code == 200
