"""Creating accounts, checking passwords and keeping preferences."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, func, select

from referral_app.models import Organization, Role, User
from referral_app.models._types import utcnow
from referral_app.models.user import new_session_token
from referral_app.services import passwords

ROLES_NEEDING_ORGANIZATION = frozenset({Role.ORG_STAFF})


class AccountError(ValueError):
    """An account could not be created as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, *, email: str = "") -> None:
    if problem := passwords.problem_with(password, email=email):
        raise AccountError(problem)


def valid_email(email: str) -> str:
    """The address normalised (lower case), or AccountError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not a valid email address.") from error


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    *,
    session: Session,
    email: str,
    name: str,
    password: str,
    role: Role,
    organization_id: uuid.UUID | None = None,
) -> User:
    """Create a staff account; raises AccountError with a reason when it cannot."""
    email = valid_email(email)
    if not name.strip():
        raise AccountError("A name is needed.")
    check_password_rules(password, email=email)
    if role in ROLES_NEEDING_ORGANIZATION and organization_id is None:
        raise AccountError("Organisation staff must belong to an organisation.")
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise AccountError("That organisation does not exist.")
    if get_user_by_email(session=session, email=email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        role=role,
        organization_id=organization_id,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, email: str, password: str, now: datetime | None = None) -> User | None:
    """The active user with this email and password, or None; the same work either way."""
    user = get_user_by_email(session=session, email=email)
    if not passwords.verify(user.password_hash if user else None, password) or user is None or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now or utcnow()
    session.add(user)
    session.flush()
    return user


def check_password(*, user: User, password: str) -> bool:
    """For re-authentication before a sensitive change."""
    return passwords.verify(user.password_hash, password)


def get_active_user(*, session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def user_for_session(*, session: Session, session_id: str) -> User | None:
    """The active user a session belongs to: its id is "<user id>:<session token>", and a changed token (password
    changed or reset, two-factor turned off, account deactivated) ends the session."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdecimal() or len(user_id) > 18 or not token:
        return None
    user = get_active_user(session=session, user_id=int(user_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(*, session: Session, user: User) -> None:
    """Sign the account out everywhere (the current request can sign it in again with the new token)."""
    user.session_token = new_session_token()
    session.add(user)
    session.flush()


def change_password(*, session: Session, user: User, password: str, now: datetime | None = None) -> None:
    """Set a new password (the caller has checked the rules) and end every other session."""
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now or utcnow()
    end_sessions(session=session, user=user)


def change_email(*, session: Session, user: User, email: str) -> None:
    email = valid_email(email)
    other = get_user_by_email(session=session, email=email)
    if other is not None and other.id != user.id:
        raise AccountError("An account with that email address already exists.")
    user.email = email
    session.add(user)
    session.flush()


def set_active(*, session: Session, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    user.active = active
    end_sessions(session=session, user=user)


def set_preferred_locale(*, session: Session, user: User, locale: str | None) -> None:
    user.preferred_locale = locale
    session.add(user)
    session.flush()


def list_users(*, session: Session) -> list[tuple[User, str | None]]:
    """Every account with its organisation's name, for the admin list."""
    rows = session.exec(
        select(User, Organization.name)
        .join(Organization, User.organization_id == Organization.id, isouter=True)
        .order_by(User.role, func.lower(User.name))
    ).all()
    return [(user, org_name) for user, org_name in rows]
