"""Staff accounts. Residents never need one."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Role(StrEnum):
    ADMIN = "admin"
    LINK_WORKER = "link_worker"
    ORG_STAFF = "org_staff"
    COMMISSIONER = "commissioner"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=255, unique=True, index=True)
    name: str = Field(max_length=255)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_column(Role))
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organization.id", index=True)
    active: bool = True
    preferred_locale: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    last_login_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # Part of every session's identity: a new value (password changed or reset, two-factor turned off, account
    # deactivated) ends every session the account had.
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    password_changed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # Two-factor authentication with an authenticator app (TOTP, RFC 6238).
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)  # a code is never accepted twice

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class RecoveryCode(SQLModel, table=True):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=sa.Column(sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True))
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)


class PasswordReset(SQLModel, table=True):
    """An emailed password-reset link: only its token's hash is kept; it works once, before it expires."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=sa.Column(sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True))
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    expires_at: datetime = Field(sa_type=TIMESTAMP)
    used_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
