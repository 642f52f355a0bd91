"""Administrators act on staff accounts: deactivate (every session ends at once), reactivate, and reset two-factor
authentication for someone who lost both their phone and their recovery codes."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import roles_required
from referral_app.admin.routes import bp
from referral_app.db import get_session
from referral_app.models import Role, User
from referral_app.services import audit, two_factor, users


def _other_account(user_id: int) -> User:
    """The account to act on; never the administrator's own (they could lock themselves out)."""
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        abort(403)
    return user


def _done(action: str, message: str):
    session = get_session()
    audit.record(
        session=session,
        action=action,
        user_id=current_user.id,
        remote_address=request.remote_addr or "",
        path=request.path,
    )
    session.commit()
    flash(message, "success")
    return redirect(url_for("admin.list_users"), code=303)


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_user(user_id: int):
    user = _other_account(user_id)
    users.set_active(session=get_session(), user=user, active=False)
    return _done("account_deactivated", _("%(name)s can no longer sign in and has been signed out.", name=user.name))


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_user(user_id: int):
    user = _other_account(user_id)
    users.set_active(session=get_session(), user=user, active=True)
    return _done("account_reactivated", _("%(name)s can sign in again.", name=user.name))


@bp.post("/users/<int:user_id>/reset-two-factor")
@roles_required(Role.ADMIN)
def reset_two_factor(user_id: int):
    user = _other_account(user_id)
    session = get_session()
    two_factor.disable(session=session, user=user)
    users.end_sessions(session=session, user=user)
    return _done(
        "two_factor_reset",
        _(
            "%(name)s's two-factor authentication has been reset. They set it up again when they next sign in.",
            name=user.name,
        ),
    )
