"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf

from market.forms import length, required, valid_email
from market.labels import ROLES


class RoleForm(FlaskForm):
    """Grant or revoke one role of one user."""

    role = SelectField(_l("Role"), choices=list(ROLES.items()), validators=[required()])
    action = HiddenField(validators=[AnyOf(["grant", "revoke"])])
    submit = SubmitField(_l("Apply"))


class AttachStaffForm(FlaskForm):
    """Attach an existing user to an outlet, as owner or staff."""

    outlet_code = StringField(_l("Outlet code"), validators=[required(), length(32)])
    email = EmailField(_l("Email"), validators=[required(), valid_email(), length(254)])
    role = RadioField(_l("Role at the outlet"), choices=[("staff", _l("Staff")), ("owner", _l("Owner"))],
                      default="staff", validators=[required()])
    submit = SubmitField(_l("Attach to the outlet"))
