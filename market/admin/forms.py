"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import AnyOf

from market.forms import required
from market.labels import ROLES


class RoleForm(FlaskForm):
    """Grant or revoke one role of one user."""

    role = SelectField(_l("Role"), choices=list(ROLES.items()), validators=[required()])
    action = HiddenField(validators=[AnyOf(["grant", "revoke"])])
    submit = SubmitField(_l("Apply"))
