"""Translated display names for the codes stored in the database (roles, kinds, statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLES = {
    "consumer": _l("Consumer"),
    "institution_buyer": _l("Institution buyer"),
    "outlet_staff": _l("Outlet staff"),
    "county_staff": _l("County staff"),
    "admin": _l("Administrator"),
}
OUTLET_KINDS = {
    "counter": _l("Assistance counter"),
    "hall": _l("Assistance hall"),
    "zone": _l("Assistance zone"),
    "online": _l("Online store"),
}
PRODUCER_KINDS = {
    "household": _l("Household"),
    "cooperative": _l("Cooperative"),
    "enterprise": _l("Enterprise"),
}
HOUSEHOLD_STATUSES = {"lifted": _l("Lifted out of poverty"), "monitored": _l("Under monitoring")}
INSTITUTION_KINDS = {
    "government": _l("Government unit"),
    "soe": _l("State-owned enterprise"),
    "school": _l("School"),
    "union": _l("Trade union"),
    "other": _l("Other"),
}
PROGRAMMES = {
    "local": _l("Local procurement"),
    "su_shaan": _l("Jiangsu–Shaanxi cooperation"),
    "central": _l("Central paired assistance"),
    "other": _l("Other"),
}

ALL = {
    "roles": ROLES,
    "outlet_kinds": OUTLET_KINDS,
    "producer_kinds": PRODUCER_KINDS,
    "household_statuses": HOUSEHOLD_STATUSES,
    "institution_kinds": INSTITUTION_KINDS,
    "programmes": PROGRAMMES,
}
