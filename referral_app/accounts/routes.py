"""Signing in (password, then an authenticator code where two-factor is on) and out, and the account page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from referral_app import errors
from referral_app.access import ANY_SIGNED_IN, public, roles_required
from referral_app.accounts import sessions
from referral_app.accounts.forms import LanguagePreferenceForm, SecondFactorForm, SignInForm
from referral_app.db import get_session
from referral_app.extensions import limiter, login_manager
from referral_app.i18n import SESSION_KEY
from referral_app.redirects import safe_next_path
from referral_app.services import directory, two_factor, users

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Sign in to see that page.")
login_manager.login_message_category = "info"
TOO_MANY_ATTEMPTS = _l("Too many attempts to sign in. Wait a few minutes, then try again.")


@login_manager.user_loader
def load_user(session_id: str):
    return users.user_for_session(session=get_session(), session_id=session_id)


def per_account_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT_PER_ACCOUNT"]


def per_address_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT_PER_ADDRESS"]


def typed_email() -> str:
    """Failed sign-ins are counted per email typed, whether or not it has an account: the answer is the same."""
    return "sign-in:" + users.normalise_email(request.form.get("email", ""))[:255]


def pending_account() -> str:
    pending = sessions.pending_sign_in() or {}
    return "second-factor:" + str(pending.get("user", "")).partition(":")[0]


def failed(response) -> bool:
    """Only attempts that did not sign in count towards a limit."""
    return response.status_code != 303


def _signed_in_destination(user, next_path: str | None) -> str:
    if sessions.must_enrol(user):
        return url_for("accounts.set_up_two_factor")
    return next_path or url_for("accounts.account")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(per_address_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(per_account_limit, key_func=typed_email, methods=["POST"], deduct_when=failed)
def sign_in():
    next_path = safe_next_path(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("accounts.account"))
    form = SignInForm()
    failed_attempt = False
    if form.validate_on_submit():
        db_session = get_session()
        user = users.authenticate(session=db_session, email=form.email.data, password=form.password.data)
        if user is not None:
            db_session.commit()
            if user.two_factor_enabled:
                sessions.await_second_factor(user, next_path)
                return redirect(url_for("accounts.second_factor"), code=303)
            sessions.start(user)
            return redirect(_signed_in_destination(user, next_path), code=303)
        failed_attempt = True
        form.password.errors = [_("Enter a correct email address and password")]
    return render_template("accounts/sign_in.html", form=form, next_path=next_path, failed=failed_attempt)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit(per_address_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(per_account_limit, key_func=pending_account, methods=["POST"], deduct_when=failed)
def second_factor():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    pending = sessions.pending_sign_in()
    db_session = get_session()
    user = users.user_for_session(session=db_session, session_id=pending["user"]) if pending else None
    if user is None or not user.two_factor_enabled:
        session.pop(sessions.PENDING, None)
        flash(_("Sign in again: the time to enter your code ran out."), "info")
        return redirect(url_for("accounts.sign_in"), code=303)
    form = SecondFactorForm()
    if form.validate_on_submit():
        if two_factor.verify_second_factor(session=db_session, user=user, code=form.code.data):
            db_session.commit()
            next_path = safe_next_path(pending.get("next"))
            sessions.start(user)
            return redirect(_signed_in_destination(user, next_path), code=303)
        form.code.errors = [_("Enter a correct code from your authenticator app, or one of your recovery codes")]
    return render_template("accounts/second_factor.html", form=form)


@bp.errorhandler(429)
def too_many_attempts(error):
    """A limited sign-in keeps what was typed (but the password) and says plainly what to do."""
    if request.endpoint == "accounts.sign_in":
        form = SignInForm(formdata=None, email=request.form.get("email", "")[:255])
        form.password.errors = [TOO_MANY_ATTEMPTS]
        page = render_template("accounts/sign_in.html", form=form, next_path=safe_next_path(request.values.get("next")))
    elif request.endpoint == "accounts.second_factor":
        form = SecondFactorForm(formdata=None)
        form.code.errors = [TOO_MANY_ATTEMPTS]
        page = render_template("accounts/second_factor.html", form=form)
    else:
        return errors.handle_http_exception(error)
    return page, 429  # Flask-Limiter adds Retry-After


@bp.post("/sign-out")
@roles_required(*ANY_SIGNED_IN)
def sign_out():
    # Sessions live in the browser's cookie: a new session token is what makes a copied cookie useless too (it
    # signs the account out on every device).
    db_session = get_session()
    users.end_sessions(session=db_session, user=current_user._get_current_object())
    db_session.commit()
    sessions.end()
    flash(_("You have signed out."), "success")
    return redirect(url_for("pages.home"), code=303)


@bp.route("/account", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
def account():
    form = LanguagePreferenceForm(preferred_locale=current_user.preferred_locale or None)
    db_session = get_session()
    if form.validate_on_submit():
        users.set_preferred_locale(
            session=db_session, user=current_user._get_current_object(), locale=form.preferred_locale.data
        )
        db_session.commit()
        session.pop(SESSION_KEY, None)  # the saved preference now decides
        flash(_("Your language has been saved."), "success")
        return redirect(url_for("accounts.account"), code=303)
    organization = (
        directory.get_organization(session=db_session, organization_id=current_user.organization_id)
        if current_user.organization_id
        else None
    )
    codes_left = (
        two_factor.recovery_codes_left(session=db_session, user=current_user)
        if current_user.two_factor_enabled
        else None
    )
    return render_template("accounts/account.html", form=form, organization=organization, codes_left=codes_left)


from referral_app.accounts import security_routes  # noqa: E402, F401  (register views)
