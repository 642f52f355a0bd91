"""Staff accounts. Residents never need one."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


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
        return str(self.id)
