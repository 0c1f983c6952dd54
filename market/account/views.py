"""Account pages: register, login (rate-limited on failures), logout (here or everywhere), profile,
password reset, closing the account."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from market.account import bp
from market.account.forms import (
    CloseAccountForm,
    EndSessionsForm,
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
from market.services.accounts import closing, outbox, sessions
from market.services.accounts import users as accounts
from market.services.errors import ServiceError


def _login_failed(response: object) -> bool:
    """Only failed logins count against the rate limits."""
    return bool(g.get("login_failed"))


def _login_account() -> str:
    """The account a login tries (as typed, normalised)."""
    return "login-account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _login_account_and_address() -> str:
    """The account a login tries from this address: the tight limit, so a stranger cannot lock a user out."""
    return f"login:{get_remote_address()}:{_login_account()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=_login_account_and_address, methods=["POST"],
               deduct_when=_login_failed)
@limiter.limit("50 per hour", key_func=_login_account, methods=["POST"], deduct_when=_login_failed)
@limiter.limit("30 per 15 minutes", key_func=get_remote_address, methods=["POST"], deduct_when=_login_failed)
def login() -> ResponseReturnValue:
    """Log in with email and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, landing_page(current_user)))
    if form.validate_on_submit():
        signed_in = sessions.log_in(form.email.data or "", form.password.data or "", session.get("cart_token"))
        if signed_in is not None:
            db.session.commit()
            _log_in(signed_in, remember=bool(form.remember.data))
            flash(_("Welcome back, %(name)s.", name=signed_in.user.name), "success")
            return redirect(safe_next(form.next.data, landing_page(signed_in.user)))
        g.login_failed = True
        form.password.errors.append(_("The email or password is not correct."))
    return render_form_page("account/login.html", form=form)


def _log_in(signed_in: sessions.SignIn, remember: bool = False) -> None:
    """Start this browser's session (after the commit); the guest cart now belongs to the account."""
    login_user(signed_in.user, remember=remember)
    session.pop("cart_token", None)
    session["cart_count"] = signed_in.cart_units


def _renew_session(user: User) -> None:
    """Keep this browser logged in after every session of the user was ended (with its remember-me
    cookie, if it had one)."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remembered)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out (POST only, with CSRF token): the session ends on the server too, so a copy of the
    cookie (or of the remember-me cookie) no longer opens the account."""
    if current_user.is_authenticated:
        sessions.end_all(acting_user())
        db.session.commit()
    logout_user()
    session.pop("cart_count", None)
    flash(_("You have logged out."), "info")
    return redirect(url_for("storefront.home"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a consumer account and log it in (one commit)."""
    form = RegisterForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
    if form.validate_on_submit():
        try:
            signed_in = sessions.register_consumer(
                form.email.data or "",
                form.password.data or "",
                form.name.data or "",
                phone=form.phone.data,
                locale=select_locale(),
                guest_cart_token=session.get("cart_token"),
            )
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            _log_in(signed_in)
            flash(_("Your account has been created."), "success")
            return redirect(safe_next(form.next.data, url_for("account.profile")))
    return render_form_page("account/register.html", form=form)


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    """Profile, password change, and the way to log out everywhere else."""
    form = ProfileForm(obj=current_user, prefix="profile")
    pw_form = PasswordForm(prefix="pw")
    if form.submit.data and form.validate_on_submit():
        try:
            accounts.update_profile(acting_user(), form.name.data or "", form.phone.data, form.locale.data or "")
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            session["lang"] = form.locale.data
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
            _renew_session(acting_user())  # this session goes on; all others ended with the old password
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("account.profile"))
    return render_form_page("account/profile.html", form=form, pw_form=pw_form,
                            sessions_form=EndSessionsForm(prefix="sessions"))


@bp.route("/sessions/end", methods=["POST"])
@login_required
def end_sessions() -> ResponseReturnValue:
    """Log out everywhere else: every other session and remember-me cookie ends; this one goes on."""
    form = EndSessionsForm(prefix="sessions")
    if form.validate_on_submit():
        user = acting_user()
        sessions.end_everywhere(user)
        db.session.commit()
        _renew_session(user)
        flash(_("You have been logged out everywhere else."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/close", methods=["GET", "POST"])
@login_required
def close() -> ResponseReturnValue:
    """Close one's own account (PIPL), password confirmed; what stands in the way is said at once."""
    form = CloseAccountForm(prefix="close")
    if form.validate_on_submit():
        try:
            closing.close_account(acting_user(), form.password.data or "")
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            logout_user()
            session.pop("cart_count", None)
            flash(_("Your account has been closed and your personal data removed."), "info")
            return redirect(url_for("storefront.home"))
    blocked: str | None = None
    if request.method == "GET":
        try:
            closing.check_closable(acting_user())
        except ServiceError as err:
            blocked = str(err.message)
    return render_form_page("account/close.html", form=form, blocked=blocked, closed_name=closing.CLOSED_NAME)


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
            outbox.queue(
                user.email,
                _("Reset your password — Long County market"),
                _("Open this link within two hours to choose a new password:\n\n%(link)s\n\n"
                  "If you did not ask for this, ignore this mail.", link=link),
                "account.password_reset",
            )
            db.session.commit()  # the mail goes out right after this commit
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
