"""Changing one's own password, email address and two-factor settings (each after confirming who you are), and
resetting a forgotten password by an emailed link."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import ANY_SIGNED_IN, public, roles_required
from referral_app.accounts import sessions
from referral_app.accounts.forms import (
    ChangeEmailForm,
    ConfirmPasswordForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SecondFactorForm,
)
from referral_app.accounts.routes import bp, failed, per_account_limit, per_address_limit
from referral_app.db import get_session
from referral_app.extensions import limiter
from referral_app.redirects import safe_next_path
from referral_app.security_headers import private
from referral_app.services import account_notices, password_reset, passwords, two_factor, users

RESET_REQUEST_LIMIT = "5 per hour"


def _private(page, status: int = 200):
    return private(make_response(page, status))


def _me():
    return current_user._get_current_object()


def signed_in_account() -> str:
    return "confirm:" + str(current_user.get_id()).partition(":")[0]


@bp.route("/account/confirm-password", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
@limiter.limit(per_account_limit, key_func=signed_in_account, methods=["POST"], deduct_when=failed)
def confirm_password():
    next_path = safe_next_path(request.values.get("next")) or url_for("accounts.account")
    form = ConfirmPasswordForm()
    user = _me()
    if form.validate_on_submit():
        db_session = get_session()
        password_ok = users.check_password(user=user, password=form.password.data)
        code_ok = not user.two_factor_enabled or two_factor.verify_second_factor(
            session=db_session, user=user, code=form.code.data or ""
        )
        if password_ok and code_ok:
            db_session.commit()
            sessions.confirmed()
            return redirect(next_path, code=303)
        if not password_ok:
            form.password.errors = [_("Enter your correct password")]
        if not code_ok:
            form.code.errors = [_("Enter a correct code from your authenticator app, or one of your recovery codes")]
    return render_template("accounts/confirm_password.html", form=form, next_path=next_path)


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
@sessions.recent_sign_in_required
def change_password():
    form = NewPasswordForm()
    user = _me()
    if form.validate_on_submit():
        if problem := passwords.problem_with(form.password.data, email=user.email):
            form.password.errors = [problem]
        else:
            db_session = get_session()
            users.change_password(session=db_session, user=user, password=form.password.data)
            account_notices.password_changed(session=db_session, user=user)
            db_session.commit()
            sessions.renew(user)  # other sessions end; this one carries on
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
@sessions.recent_sign_in_required
def change_email():
    form = ChangeEmailForm()
    user = _me()
    if form.validate_on_submit():
        db_session = get_session()
        old_email = user.email
        try:
            users.change_email(session=db_session, user=user, email=form.email.data)
        except users.AccountError:
            db_session.rollback()
            form.email.errors = [_("Enter an email address that is not used by another account, like name@example.org")]
        else:
            account_notices.email_changed(session=db_session, user=user, old_email=old_email)
            db_session.commit()
            flash(_("Your email address has been changed."), "success")
            return redirect(url_for("accounts.account"), code=303)
    return render_template("accounts/change_email.html", form=form)


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
@sessions.recent_sign_in_required
def set_up_two_factor():
    user = _me()
    if user.two_factor_enabled:
        return redirect(url_for("accounts.account"), code=303)
    db_session = get_session()
    secret = two_factor.secret_to_set_up(session=db_session, user=user)
    db_session.commit()
    form = SecondFactorForm()
    if form.validate_on_submit():
        codes = two_factor.enable(session=db_session, user=user, code=form.code.data)
        if codes is not None:
            db_session.commit()
            flash(_("Two-factor authentication is on."), "success")
            return _private(render_template("accounts/recovery_codes.html", codes=codes, first_time=True))
        form.code.errors = [_("Enter the 6-digit code your authenticator app shows now")]
    uri = two_factor.provisioning_uri(secret=secret, email=user.email)
    return _private(
        render_template(
            "accounts/set_up_two_factor.html",
            form=form,
            qr_code=two_factor.qr_code_data_uri(uri),
            secret=two_factor.grouped_secret(secret),
            required=sessions.must_enrol(user),
        )
    )


@bp.post("/account/two-factor/recovery-codes")
@roles_required(*ANY_SIGNED_IN)
@sessions.recent_sign_in_required
def new_recovery_codes():
    user = _me()
    if not user.two_factor_enabled:
        return redirect(url_for("accounts.account"), code=303)
    db_session = get_session()
    codes = two_factor.new_recovery_codes(session=db_session, user=user)
    db_session.commit()
    return _private(render_template("accounts/recovery_codes.html", codes=codes, first_time=False))


@bp.post("/account/two-factor/turn-off")
@roles_required(*ANY_SIGNED_IN)
@sessions.recent_sign_in_required
def turn_off_two_factor():
    user = _me()
    if not user.two_factor_enabled:
        return redirect(url_for("accounts.account"), code=303)
    if sessions.two_factor_required():
        flash(_("Two-factor authentication is required for every account here, so it cannot be turned off."), "info")
        return redirect(url_for("accounts.account"), code=303)
    db_session = get_session()
    two_factor.disable(session=db_session, user=user)
    users.end_sessions(session=db_session, user=user)
    db_session.commit()
    sessions.renew(user)
    flash(_("Two-factor authentication is off. You have been signed out everywhere else."), "success")
    return redirect(url_for("accounts.account"), code=303)


@bp.route("/sign-in/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(RESET_REQUEST_LIMIT, methods=["POST"])
@limiter.limit(
    RESET_REQUEST_LIMIT,
    key_func=lambda: "reset:" + users.normalise_email(request.form.get("email", "")),
    methods=["POST"],
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        db_session = get_session()
        password_reset.request_reset(session=db_session, email=form.email.data)
        db_session.commit()
        return redirect(url_for("accounts.reset_link_sent"), code=303)
    return render_template("accounts/forgot_password.html", form=form)


@bp.get("/sign-in/forgot-password/sent")
@public
def reset_link_sent():
    return render_template("accounts/reset_link_sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(per_address_limit, methods=["POST"], deduct_when=failed)
def reset_password(token: str):
    db_session = get_session()
    user = password_reset.user_for_token(session=db_session, token=token)
    if user is None:
        return _private(render_template("accounts/reset_link_invalid.html"), 404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        if problem := passwords.problem_with(form.password.data, email=user.email):
            form.password.errors = [problem]
        elif password_reset.reset_password(session=db_session, token=token, password=form.password.data):
            account_notices.password_changed(session=db_session, user=user)
            db_session.commit()
            sessions.end()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("accounts.sign_in"), code=303)
        else:
            return _private(render_template("accounts/reset_link_invalid.html"), 404)
    return _private(render_template("accounts/reset_password.html", form=form, email=user.email))
