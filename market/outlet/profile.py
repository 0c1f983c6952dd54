"""The outlet profile page: owners edit contact phone, hours, pickup address and descriptions; staff read it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from market.extensions import db
from market.forms import apply_service_error, length, render_form_page
from market.outlet import bp
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets import access
from market.services.outlets import profile as profiles


class ProfileForm(FlaskForm):
    """The fields an owner edits (the service checks the phone and trims the texts)."""

    shop_phone = StringField(_l("Phone for buyers"), validators=[length(20)])
    opening_hours = StringField(_l("Opening hours"), validators=[length(120)])
    pickup_address = StringField(_l("Pickup address"), validators=[length(200)])
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[length(500)])
    description_en = TextAreaField(_l("Description (English)"), validators=[length(500)])
    submit = SubmitField(_l("Save profile"))


@bp.route("/<code>/profile", methods=["GET", "POST"])
def profile(code: str) -> ResponseReturnValue:
    """Owners edit the profile; other staff see it read-only; anyone else finds no such outlet."""
    user = acting_user()
    outlet = access.staff_outlet(user, code) or abort(404)
    owner = access.owned_outlet(user, code) is not None
    form = ProfileForm(data=profiles.Profile.of(outlet).__dict__)
    if form.is_submitted() and not owner:
        abort(403)
    if form.validate_on_submit():
        typed = profiles.Profile(**{name: (getattr(form, name).data or "") for name in profiles.LIMITS})
        try:
            changed = profiles.update_profile(user, outlet, typed)
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            flash(_("Profile saved.") if changed else _("Nothing changed."), "success" if changed else "info")
            return redirect(url_for("outlet.profile", code=outlet.code))
    return render_form_page("outlet/profile.html", outlet=outlet, form=form, owner=owner)
