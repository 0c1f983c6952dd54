"""The outlet profile its owners edit themselves: a phone for buyers, opening hours, pickup address, descriptions.

Name, kind, credit code and bank account are what the county certified: they change only through a change
application, never here. The contact person's phone (Outlet.contact_phone) is private; buyers see shop_phone.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l

from market.extensions import db
from market.models import Outlet, User
from market.services.accounts import audit
from market.services.errors import ServiceError

# A mainland mobile (13812345678) or a landline with its area code (0917-4561234, 0917 4561234, 09174561234).
PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}")
LIMITS = {"shop_phone": 20, "opening_hours": 120, "pickup_address": 200, "description_zh": 500,
          "description_en": 500}


@dataclass(frozen=True)
class Profile:
    """What an owner may change about their outlet, as typed (blanks trimmed)."""

    shop_phone: str
    opening_hours: str
    pickup_address: str
    description_zh: str
    description_en: str

    @classmethod
    def of(cls, outlet: Outlet) -> Profile:
        """The outlet's profile as it is now."""
        return cls(outlet.shop_phone, outlet.opening_hours, outlet.pickup_address,
                   outlet.description_zh, outlet.description_en)


def _cleaned(profile: Profile) -> Profile:
    """The profile with blanks trimmed and every field checked; ServiceError naming the first bad field."""
    values = {name: " ".join(value.split()) if not name.startswith("description") else value.strip()
              for name, value in asdict(profile).items()}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ServiceError(_l("Use at most %(max)d characters.", max=limit), name)
    if values["shop_phone"] and not PHONE.fullmatch(values["shop_phone"]):
        raise ServiceError(_l("Enter a mobile number (11 digits) or a landline with its area code, "
                              "such as 0917-4561234."), "shop_phone")
    return Profile(**values)


def update_profile(actor: User, outlet: Outlet, profile: Profile) -> bool:
    """Save the owner's profile changes (audited, before and after); False when nothing changed.

    The caller has already checked that `actor` owns the outlet (access.owned_outlet)."""
    new = _cleaned(profile)
    old = Profile.of(outlet)
    if new == old:
        return False
    changed = {k: v for k, v in asdict(new).items() if asdict(old)[k] != v}
    for name in LIMITS:
        setattr(outlet, name, getattr(new, name))
    db.session.flush()
    audit.record(actor, "outlet.profile_update", outlet, before={k: asdict(old)[k] for k in changed},
                 after={**changed, "code": outlet.code})
    return True
