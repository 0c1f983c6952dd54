"""The outlet certification application form (认定申请表) and the withdraw button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField, SelectField, StringField, SubmitField
from wtforms.validators import Optional, Regexp, ValidationError

from market.domain.outlet_application import MAX_PHOTOS
from market.forms import length, required
from market.labels import OUTLET_KINDS
from market.services.outlets.details import ApplicationDetails, credit_code_problem, normalise_credit_code
from market.web_input import coerce_id


def _credit_code(form: FlaskForm, field: StringField) -> None:
    """Refuse a unified social credit code with a wrong check digit (or of the wrong kind) at the field."""
    problem = credit_code_problem(normalise_credit_code(field.data or ""))
    if problem is not None:
        raise ValidationError(problem)


class ApplicationForm(FlaskForm):
    """What the county certifies about an outlet, premises photos, and the truthfulness pledge."""

    kind = SelectField(_l("Kind of outlet"), choices=list(OUTLET_KINDS.items()))
    name_zh = StringField(_l("Outlet name (Chinese)"), validators=[required(), length(80)])
    name_en = StringField(_l("Outlet name in English (optional)"), validators=[Optional(), length(80)])
    town_id = SelectField(_l("Town"), coerce=coerce_id, validate_choice=False)
    address = StringField(_l("Address"), validators=[required(), length(200)])
    floor_area_m2 = StringField(_l("Floor area (m²)"), validators=[
        required(), Regexp(r"^\s*\d{1,6}\s*$", message=_l("Enter the floor area in whole square metres."))])
    operator = StringField(_l("Operator (as on the business licence)"), validators=[required(), length(80)])
    credit_code = StringField(_l("Unified social credit code"), validators=[required(), length(40), _credit_code])
    legal_representative = StringField(_l("Legal representative"), validators=[required(), length(40)])
    contact_phone = StringField(_l("Contact phone"), validators=[required(), length(20)])
    opening_hours = StringField(_l("Opening hours"), validators=[required(), length(80)])
    bank_name = StringField(_l("Receiving bank"), validators=[required(), length(80)])
    bank_account_name = StringField(_l("Account name"), validators=[required(), length(80)])
    bank_account_number = StringField(_l("Account number"), validators=[required(), length(40)])
    photos = MultipleFileField(_l("Photos of the premises (up to %(n)d)", n=MAX_PHOTOS))
    pledge = BooleanField(_l("I pledge that everything in this application is true and complete (如实申报承诺)."))
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit application"))

    def details(self) -> ApplicationDetails:
        """The typed values, for the service to check and keep."""
        area = (self.floor_area_m2.data or "").strip()
        return ApplicationDetails(
            kind=self.kind.data or "", name_zh=self.name_zh.data or "", name_en=self.name_en.data,
            address=self.address.data or "", town_id=self.town_id.data, floor_area_m2=int(area) if area else None,
            operator=self.operator.data or "", credit_code=self.credit_code.data or "",
            legal_representative=self.legal_representative.data or "", contact_phone=self.contact_phone.data or "",
            opening_hours=self.opening_hours.data or "", bank_name=self.bank_name.data or "",
            bank_account_name=self.bank_account_name.data or "",
            bank_account_number=self.bank_account_number.data or "")


class WithdrawForm(FlaskForm):
    """Withdraw one's own draft or submitted application: a button with a CSRF token."""

    submit = SubmitField(_l("Withdraw application"))
