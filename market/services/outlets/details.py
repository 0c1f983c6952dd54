"""The certification form's values (what the county certifies about an outlet) and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from market.extensions import db
from market.models import Town
from market.models.outlet import OUTLET_KINDS
from market.services.errors import ServiceError

OPERATOR_KINDS = ("91", "92", "93")  # enterprise, individual business (个体工商户), farmers' cooperative
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")  # a mobile, or a landline with its area code
ACCOUNT = re.compile(r"^\d{8,30}$")
MAX_FLOOR_AREA_M2 = 100_000
MAX_LENGTHS = {  # the columns' sizes
    "name_zh": 80, "name_en": 80, "address": 200, "operator": 80, "legal_representative": 40, "contact_phone": 20,
    "opening_hours": 80, "bank_name": 80, "bank_account_name": 80,
}


@dataclass(frozen=True)
class ApplicationDetails:
    """What an application says about the outlet, as typed (check_details normalises it)."""

    kind: str
    name_zh: str
    name_en: str | None
    address: str
    town_id: int | None
    floor_area_m2: int | None
    operator: str
    credit_code: str
    legal_representative: str
    contact_phone: str
    opening_hours: str
    bank_name: str
    bank_account_name: str
    bank_account_number: str


def normalise_credit_code(text: str) -> str:
    """The unified social credit code without spaces or dashes, in capitals."""
    return uscc.compact(text or "")


def credit_code_problem(code: str) -> str | None:
    """Why the unified social credit code is refused (None when it is valid and names an enterprise,
    an individual business or a cooperative). The check digit is python-stdnum's, not ours."""
    try:
        uscc.validate(code)
    except InvalidChecksum:
        return str(_l("The check digit does not match: check the code against the business licence."))
    except ValidationError:
        return str(_l("Enter the 18-character unified social credit code from the business licence."))
    if code[:2] not in OPERATOR_KINDS:
        return str(_l("The operator must be an enterprise (91…), an individual business (92…) "
                      "or a cooperative (93…)."))
    return None


def _required(value: str | None, field: str) -> str:
    """The stripped text, or ServiceError on that field when it is empty or too long."""
    text = (value or "").strip()
    if not text:
        raise ServiceError(_l("This field is required."), field)
    if len(text) > MAX_LENGTHS[field]:
        raise ServiceError(_l("Use at most %(max)d characters.", max=MAX_LENGTHS[field]), field)
    return text


def check_details(details: ApplicationDetails) -> ApplicationDetails:
    """The details normalised (stripped; codes and numbers compacted); ServiceError naming the first field
    refused."""
    text = {name: _required(getattr(details, name), name) for name in (
        "name_zh", "address", "operator", "legal_representative", "contact_phone", "opening_hours", "bank_name",
        "bank_account_name")}
    if details.kind not in OUTLET_KINDS:
        raise ServiceError(_l("Choose the kind of outlet."), "kind")
    if details.town_id is None or db.session.get(Town, details.town_id) is None:
        raise ServiceError(_l("Choose the town."), "town_id")
    area = details.floor_area_m2
    if area is None or not 0 < area <= MAX_FLOOR_AREA_M2:
        raise ServiceError(_l("Enter the floor area in whole square metres (1 to 100,000)."), "floor_area_m2")
    code = normalise_credit_code(details.credit_code)
    problem = credit_code_problem(code)
    if problem is not None:
        raise ServiceError(problem, "credit_code")
    phone = text["contact_phone"].replace(" ", "")
    if not PHONE.match(phone):
        raise ServiceError(_l("Enter a mobile number or a landline with its area code (0917-1234567)."),
                           "contact_phone")
    account = re.sub(r"[\s-]", "", details.bank_account_number or "")
    if not ACCOUNT.match(account):
        raise ServiceError(_l("Enter the account number: 8 to 30 digits."), "bank_account_number")
    name_en = (details.name_en or "").strip() or None
    if name_en is not None and len(name_en) > MAX_LENGTHS["name_en"]:
        raise ServiceError(_l("Use at most %(max)d characters.", max=MAX_LENGTHS["name_en"]), "name_en")
    text.update(name_en=name_en, credit_code=code, contact_phone=phone, bank_account_number=account)
    return replace(details, **text)
