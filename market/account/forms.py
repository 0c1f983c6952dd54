"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Optional, Regexp

from market.forms import MOBILE, length, required, valid_email
from market.i18n import LANGUAGES
from market.services.accounts.users import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[required(), valid_email(), length(254)])
    password = PasswordField(_l("Password"), validators=[required(), length(200)])
    remember = BooleanField(_l("Keep me logged in"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    """A new consumer account; the privacy policy must be accepted (PIPL)."""

    name = StringField(_l("Name"), validators=[required(), length(80)])
    email = EmailField(_l("Email"), validators=[required(), valid_email(), length(254)])
    phone = StringField(
        _l("Mobile number (optional)"),
        validators=[Optional(), Regexp(MOBILE, message=_l("Enter an 11-digit mainland mobile number."))],
    )
    password = PasswordField(
        _l("Password"), validators=[required(), length(200, min=MIN_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[required(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    accept_privacy = BooleanField(
        _l("I have read and accept the privacy policy"),
        validators=[DataRequired(message=_l("You must accept the privacy policy to register."))],
    )
    next = HiddenField()
    submit = SubmitField(_l("Create account"))


class ProfileForm(FlaskForm):
    """Name, phone and language."""

    name = StringField(_l("Name"), validators=[required(), length(80)])
    phone = StringField(
        _l("Mobile number (optional)"),
        validators=[Optional(), Regexp(MOBILE, message=_l("Enter an 11-digit mainland mobile number."))],
    )
    locale = SelectField(_l("Language"), choices=list(LANGUAGES.items()))
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    """Change the password, knowing the current one."""

    current_password = PasswordField(_l("Current password"), validators=[required(), length(200)])
    new_password = PasswordField(
        _l("New password"), validators=[required(), length(200, min=MIN_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[required(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ForgotForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("Email"), validators=[required(), valid_email(), length(254)])
    submit = SubmitField(_l("Send reset link"))


class ResetForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"), validators=[required(), length(200, min=MIN_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[required(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set new password"))


class LogoutForm(FlaskForm):
    """Logout is a POST with a CSRF token."""

    submit = SubmitField(_l("Log out"))


class EndSessionsForm(FlaskForm):
    """Log out everywhere else: a button with a CSRF token."""

    submit = SubmitField(_l("Log out everywhere else"))


class CloseAccountForm(FlaskForm):
    """Close the account for good, confirmed with the password."""

    password = PasswordField(_l("Password"), validators=[required(), length(200)])
    understood = BooleanField(
        _l("I understand that a closed account cannot be opened again"),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )
    submit = SubmitField(_l("Close my account"))
