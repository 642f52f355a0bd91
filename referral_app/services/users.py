"""Creating accounts, checking passwords and keeping preferences."""

from __future__ import annotations

import uuid
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from referral_app.models import Organization, Role, User
from referral_app.models._types import utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
ROLES_NEEDING_ORGANIZATION = frozenset({Role.ORG_STAFF})

# Checked against when the email is unknown, so a wrong email costs as long as a wrong password
# and timing does not reveal whether an account exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


class AccountError(ValueError):
    """An account could not be created as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


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
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not a valid email address.") from error
    if not name.strip():
        raise AccountError("A name is needed.")
    check_password_rules(password)
    if role in ROLES_NEEDING_ORGANIZATION and organization_id is None:
        raise AccountError("Organisation staff must belong to an organisation.")
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise AccountError("That organisation does not exist.")
    if get_user_by_email(session=session, email=email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        organization_id=organization_id,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, email: str, password: str, now: datetime | None = None) -> User | None:
    """The active user with this email and password, or None; the same work either way."""
    user = get_user_by_email(session=session, email=email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = now or utcnow()
    session.add(user)
    session.flush()
    return user


def get_active_user(*, session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


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
