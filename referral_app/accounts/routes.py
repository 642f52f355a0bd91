"""Signing in and out, and the signed-in user's own account page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from referral_app.access import ANY_SIGNED_IN, public, roles_required
from referral_app.accounts.forms import LanguagePreferenceForm, SignInForm
from referral_app.db import get_session
from referral_app.extensions import login_manager
from referral_app.i18n import SESSION_KEY
from referral_app.redirects import safe_next_path
from referral_app.services import directory, users

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Sign in to see that page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    if not user_id.isdigit():
        return None
    return users.get_active_user(session=get_session(), user_id=int(user_id))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    next_path = safe_next_path(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("accounts.account"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        db_session = get_session()
        user = users.authenticate(session=db_session, email=form.email.data, password=form.password.data)
        if user is not None:
            db_session.commit()
            remembered_language = session.get(SESSION_KEY)
            session.clear()  # a fresh session at sign-in, keeping only the chosen language
            if remembered_language:
                session[SESSION_KEY] = remembered_language
            login_user(user)
            return redirect(next_path or url_for("accounts.account"), code=303)
        failed = True
        form.password.errors = [_("Enter a correct email address and password")]
    return render_template("accounts/sign_in.html", form=form, next_path=next_path, failed=failed)


@bp.post("/sign-out")
@roles_required(*ANY_SIGNED_IN)
def sign_out():
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("pages.home"), code=303)


@bp.route("/account", methods=["GET", "POST"])
@roles_required(*ANY_SIGNED_IN)
def account():
    form = LanguagePreferenceForm(preferred_locale=current_user.preferred_locale or None)
    if form.validate_on_submit():
        db_session = get_session()
        users.set_preferred_locale(
            session=db_session, user=current_user._get_current_object(), locale=form.preferred_locale.data
        )
        db_session.commit()
        session.pop(SESSION_KEY, None)  # the saved preference now decides
        flash(_("Your language has been saved."), "success")
        return redirect(url_for("accounts.account"), code=303)
    organization = (
        directory.get_organization(session=get_session(), organization_id=current_user.organization_id)
        if current_user.organization_id
        else None
    )
    return render_template("accounts/account.html", form=form, organization=organization)
