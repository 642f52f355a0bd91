"""Security notices to a member of staff: sent whenever their password or email address changes, so that a change
they did not make does not go unnoticed."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from referral_app.languages import DEFAULT_LOCALE, LANGUAGES
from referral_app.models import User
from referral_app.services import outbox


def _send(session: Session, user: User, recipient: str, kind: str, compose) -> None:
    locale = user.preferred_locale if user.preferred_locale in LANGUAGES else DEFAULT_LOCALE
    with force_locale(LANGUAGES[locale].locale):
        subject, paragraphs = compose()
        paragraphs.append(_("If this was not you, contact your administrator straight away."))
    outbox.enqueue_email(
        session=session, recipient=recipient, subject=subject, body="\n\n".join(paragraphs), locale=locale, kind=kind
    )


def password_changed(*, session: Session, user: User) -> None:
    _send(
        session,
        user,
        user.email,
        "password_changed",
        lambda: (
            _("Your password has been changed"),
            [_("The password of your account (%(email)s) has just been changed.", email=user.email)],
        ),
    )


def email_changed(*, session: Session, user: User, old_email: str) -> None:
    """Told at the old address, which may be the only one the real owner still reads."""
    _send(
        session,
        user,
        old_email,
        "email_changed",
        lambda: (
            _("Your email address has been changed"),
            [
                _(
                    "The email address of your account has been changed from %(old)s to %(new)s.",
                    old=old_email,
                    new=user.email,
                )
            ],
        ),
    )
