"""Signed-in sessions: started fresh at sign-in, ended after a time without use and after a fixed lifetime, and
kept to two-factor enrolment where that is required.

What is stored (in the signed session cookie): when the person signed in, when they were last seen, and when they
last proved who they are (sign-in or "confirm your password"), which sensitive changes ask to be recent. Flask-Login
keeps the user id with the account's session token (see `User.get_id`), so a new token ends every session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from referral_app.access import PUBLIC, access_of
from referral_app.i18n import SESSION_KEY
from referral_app.models import User

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
CONFIRMED_AT = "confirmed_at"
PENDING = "pending_sign_in"
# "Last seen" is written at most this often, so most pages do not rewrite the cookie.
SEEN_RESOLUTION_SECONDS = 60
# Sensitive changes (email, password, two-factor) need a sign-in or password confirmation this recent.
RECENT_SECONDS = 5 * 60
# The step between a correct password and a correct code must be finished this soon.
PENDING_SECONDS = 5 * 60
# What a signed-in person who must still set up two-factor may use, besides public pages.
ENROLMENT_ENDPOINTS = frozenset({"accounts.set_up_two_factor", "accounts.sign_out", "accounts.confirm_password"})

IDLE_MESSAGE = _l("You were signed out because you had not used the service for a while. Sign in again to carry on.")
LIFETIME_MESSAGE = _l("You were signed out because you signed in a long time ago. Sign in again to carry on.")


def _now() -> float:
    return time.time()


def _fresh_session() -> None:
    """Drop everything from before (no session fixation), keeping only the language chosen."""
    language = session.get(SESSION_KEY)
    session.clear()
    if language:
        session[SESSION_KEY] = language


def start(user: User) -> None:
    """Sign `user` in with a brand-new session."""
    _fresh_session()
    login_user(user)
    now = _now()
    session[SIGNED_IN_AT] = session[SEEN_AT] = session[CONFIRMED_AT] = now


def renew(user: User) -> None:
    """Keep this session signed in after the account's session token changed (own password changed)."""
    signed_in_at = session.get(SIGNED_IN_AT, _now())
    start(user)
    session[SIGNED_IN_AT] = signed_in_at


def end() -> None:
    logout_user()
    _fresh_session()


def await_second_factor(user: User, next_path: str | None) -> None:
    """The password was right; the authenticator code comes next. Nothing is signed in yet."""
    _fresh_session()
    session[PENDING] = {"user": user.get_id(), "at": _now(), "next": next_path or ""}


def pending_sign_in() -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or _now() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return pending


def confirmed() -> None:
    session[CONFIRMED_AT] = _now()


def recently_confirmed() -> bool:
    return _now() - float(session.get(CONFIRMED_AT, 0)) <= RECENT_SECONDS


def two_factor_required() -> bool:
    return bool(current_app.config["REQUIRE_TWO_FACTOR"])


def must_enrol(user: Any) -> bool:
    return two_factor_required() and not user.two_factor_enabled


def recent_sign_in_required(view: Callable) -> Callable:
    """Ask for the password again first unless the person proved who they are in the last few minutes."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not recently_confirmed():
            # Back to this page afterwards; a button (POST only) sends the person back to their account page.
            can_get = request.url_rule is not None and "GET" in (request.url_rule.methods or ())
            back = request.path if can_get else url_for("accounts.account")
            return redirect(url_for("accounts.confirm_password", next=back), code=303)
        return view(*args, **kwargs)

    return wrapped


def _expiry_message() -> Any:
    now = _now()
    config = current_app.config
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return LIFETIME_MESSAGE
    if now - signed_in_at > config["SESSION_MAX_HOURS"] * 3600:
        return LIFETIME_MESSAGE
    if now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        return IDLE_MESSAGE
    return None


def enforce_session_policy() -> Any:
    """Before every request: end a session that has been idle or alive too long; keep a signed-in person who must
    set up two-factor on that page."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    if message := _expiry_message():
        end()
        flash(message, "info")
        if request.endpoint and access_of(request.endpoint) != PUBLIC:
            return redirect(url_for("accounts.sign_in", next=request.full_path if request.method == "GET" else None))
        return None
    if _now() - session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = _now()
    if (
        request.endpoint is not None
        and request.endpoint not in ENROLMENT_ENDPOINTS
        and access_of(request.endpoint) != PUBLIC
        and current_user.is_authenticated
        and must_enrol(current_user)
    ):
        return redirect(url_for("accounts.set_up_two_factor"), code=303)
    return None


def init_app(app) -> None:
    app.before_request(enforce_session_policy)
