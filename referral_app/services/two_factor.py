"""Two-factor authentication with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

A code is accepted within one 30-second step either side of now (phones' clocks drift), and never twice: the step
of the last code used is kept. Recovery codes are random (50 bits each), so a plain SHA-256 of each is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlmodel import Session, delete, select, update

from referral_app.models import RecoveryCode, User
from referral_app.models._types import utcnow

ISSUER = "Community referrals"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
_STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, email: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The enrolment QR code as an SVG data URI (an image, so no script and no inline style in the page)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#0b0c0c", light="#ffffff")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def code_step(secret: str, code: str, *, at: datetime | None = None) -> int | None:
    """The time step a 6-digit code belongs to (now, or one step either side), or None if it is not valid."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    moment = at or utcnow()
    totp = pyotp.TOTP(secret)
    step = int(moment.timestamp()) // _STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def verify_code(*, session: Session, user: User, code: str, at: datetime | None = None) -> bool:
    """Whether `code` is a fresh authenticator code for the user; an accepted code cannot be used again."""
    if not user.totp_secret:
        return False
    step = code_step(user.totp_secret, code, at=at)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    session.add(user)
    session.flush()
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(_digits(code).lower().encode()).hexdigest()


def new_recovery_codes(*, session: Session, user: User) -> list[str]:
    """A fresh set of recovery codes, replacing any earlier set; shown once, only their hashes kept."""
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    session.flush()
    return codes


def use_recovery_code(*, session: Session, user: User, code: str) -> bool:
    """Whether `code` is one of the user's unused recovery codes; it is used up either way it is accepted."""
    if len(_digits(code)) != 10:
        return False
    used = session.exec(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return used.rowcount == 1


def recovery_codes_left(*, session: Session, user: User) -> int:
    return len(
        session.exec(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


def verify_second_factor(*, session: Session, user: User, code: str) -> bool:
    """An authenticator code or, failing that, a recovery code."""
    return verify_code(session=session, user=user, code=code) or use_recovery_code(
        session=session, user=user, code=code
    )


def secret_to_set_up(*, session: Session, user: User) -> str:
    """The secret shown at enrolment: kept on the account (not in the browser) until a code confirms it."""
    if not user.totp_secret:
        user.totp_secret = new_secret()
        session.add(user)
        session.flush()
    return user.totp_secret


def enable(*, session: Session, user: User, code: str, at: datetime | None = None) -> list[str] | None:
    """Turn two-factor on if `code` proves the app holds the secret being set up; returns new recovery codes."""
    step = code_step(user.totp_secret, code, at=at) if user.totp_secret else None
    if step is None:
        return None
    user.totp_enabled_at = at or utcnow()
    user.totp_last_step = step
    session.add(user)
    session.flush()
    return new_recovery_codes(session=session, user=user)


def disable(*, session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.add(user)
    session.flush()
