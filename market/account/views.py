"""Account pages: register, login (rate-limited on failures), logout, profile, password reset."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from market.account import bp
from market.account.forms import (
    ForgotForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
)
from market.extensions import db, limiter
from market.forms import apply_service_error, render_form_page
from market.i18n import select_locale
from market.models import User
from market.security import acting_user, landing_page, safe_next
from market.services.accounts import mail
from market.services.accounts import users as accounts
from market.services.errors import ServiceError
from market.services.ordering import cart as carts


def _login_failed(response: object) -> bool:
    """Only failed logins count against the rate limits."""
    return bool(g.get("login_failed"))


def _login_email() -> str:
    return "login:" + accounts.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=_login_email, methods=["POST"], deduct_when=_login_failed)
@limiter.limit("30 per 15 minutes", key_func=get_remote_address, methods=["POST"], deduct_when=_login_failed)
def login() -> ResponseReturnValue:
    """Log in with email and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, landing_page(current_user)))
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            _take_guest_cart(user)
            flash(_("Welcome back, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data, landing_page(user)))
        g.login_failed = True
        form.password.errors.append(_("The email or password is not correct."))
    return render_form_page("account/login.html", form=form)


def _take_guest_cart(user: User) -> None:
    """Move the guest's cart into the account's at login or registration."""
    carts.merge_guest_cart(session.pop("cart_token", None), user)
    session["cart_count"] = carts.line_count(carts.find_cart(user, None))
    db.session.commit()


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out (POST only, with CSRF token)."""
    logout_user()
    session.pop("cart_count", None)
    flash(_("You have logged out."), "info")
    return redirect(url_for("storefront.home"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a consumer account."""
    form = RegisterForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data or "",
                form.password.data or "",
                form.name.data or "",
                ("consumer",),
                phone=form.phone.data,
                locale=select_locale(),
                privacy_accepted=True,
            )
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            login_user(user)
            _take_guest_cart(user)
            flash(_("Your account has been created."), "success")
            return redirect(safe_next(form.next.data, url_for("account.profile")))
    return render_form_page("account/register.html", form=form)


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    """Profile and password change."""
    form = ProfileForm(obj=current_user, prefix="profile")
    pw_form = PasswordForm(prefix="pw")
    if form.submit.data and form.validate_on_submit():
        current_user.name = (form.name.data or "").strip()
        current_user.phone = form.phone.data or None
        current_user.locale = form.locale.data
        db.session.commit()
        session["lang"] = current_user.locale
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("account.profile"))
    if pw_form.submit.data and pw_form.validate_on_submit():
        try:
            accounts.change_password(
                acting_user(), pw_form.current_password.data or "", pw_form.new_password.data or ""
            )
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(pw_form, err)
        else:
            db.session.commit()
            login_user(acting_user())  # this session goes on; all others ended with the old password
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("account.profile"))
    return render_form_page("account/profile.html", form=form, pw_form=pw_form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot() -> ResponseReturnValue:
    """Send a reset link if the account exists; say the same thing either way."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data or "")
        if user is not None and user.active:
            token = accounts.make_reset_token(user)
            link = current_app.config["MARKET_PUBLIC_URL"] + url_for("account.reset", token=token)
            mail.send(
                user.email,
                _("Reset your password — Long County market"),
                _("Open this link within two hours to choose a new password:\n\n%(link)s\n\n"
                  "If you did not ask for this, ignore this mail.", link=link),
            )
        flash(_("If an account exists for that email, a reset link has been sent to it."), "info")
        return redirect(url_for("account.login"))
    return render_form_page("account/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    """Choose a new password from an emailed link (a bad link is said at once, before any typing)."""
    try:
        accounts.user_for_reset_token(token)
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("account.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data or "")
        except ServiceError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(_("Your password has been changed. You can log in now."), "success")
            return redirect(url_for("account.login"))
    return render_form_page("account/reset.html", form=form)
