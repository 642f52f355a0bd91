"""Password reset by an emailed link that works once, within an hour.

Only a SHA-256 of the link's token is stored; asking again replaces any earlier link; a reset ends every session
of the account. The answer to "send me a link" never says whether the address has an account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select, update

from referral_app.languages import DEFAULT_LOCALE, LANGUAGES
from referral_app.models import PasswordReset, User
from referral_app.models._types import aware, utcnow
from referral_app.services import outbox, users
from referral_app.services.notifications import external_url

LIFETIME = timedelta(hours=1)
KIND = "password_reset"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(*, session: Session, email: str, now: datetime | None = None) -> str | None:
    """Email a reset link if an active account has this address; returns the token (for tests) or None."""
    user = users.get_user_by_email(session=session, email=email)
    if user is None or not user.active:
        return None
    now = now or utcnow()
    session.exec(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user.id, token_hash=_hash(token), created_at=now, expires_at=now + LIFETIME))
    locale = user.preferred_locale if user.preferred_locale in LANGUAGES else DEFAULT_LOCALE
    link = external_url("accounts.reset_password", token=token)
    with force_locale(LANGUAGES[locale].locale):
        subject = _("Reset your password")
        body = "\n\n".join(
            [
                _("Someone, probably you, asked to reset the password of your account (%(email)s).", email=user.email),
                _("To choose a new password, open this link within the next hour. It works once:"),
                link,
                _("If you did not ask for this, you can ignore this email: your password has not changed."),
            ]
        )
    outbox.enqueue_email(session=session, recipient=user.email, subject=subject, body=body, locale=locale, kind=KIND)
    session.flush()
    return token


def _valid(session: Session, token: str, now: datetime) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    reset = session.exec(select(PasswordReset).where(PasswordReset.token_hash == _hash(token))).first()
    if reset is None or reset.used_at is not None or aware(reset.expires_at) <= now:
        return None
    return reset


def user_for_token(*, session: Session, token: str, now: datetime | None = None) -> User | None:
    """The account a valid, unused, unexpired link belongs to."""
    reset = _valid(session, token, now or utcnow())
    if reset is None:
        return None
    return users.get_active_user(session=session, user_id=reset.user_id)


def reset_password(*, session: Session, token: str, password: str, now: datetime | None = None) -> User | None:
    """Use the link to set a new password (rules already checked); None if the link is no longer valid."""
    now = now or utcnow()
    reset = _valid(session, token, now)
    user = users.get_active_user(session=session, user_id=reset.user_id) if reset else None
    if reset is None or user is None:
        return None
    used = session.exec(
        update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None)).values(used_at=now)
    )
    if used.rowcount != 1:  # used by a simultaneous request
        return None
    users.change_password(session=session, user=user, password=password, now=now)
    return user
