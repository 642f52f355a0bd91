"""What the app keeps about its own work: the audit log of residents' data, and the message outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class AuditLog(SQLModel, table=True):
    """Who read or changed which resident's data, when, and from where."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)  # None: the resident's link
    action: str = Field(max_length=40)  # viewed_referral, created_referral, changed_status, ...
    resident_id: uuid.UUID | None = Field(default=None, foreign_key="resident.id", index=True)
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id", index=True)
    remote_address: str = Field(default="", max_length=64)
    path: str = Field(default="", max_length=300)


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be sent, or the record of one sent; `flask outbox send` works through them."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = Field(sa_type=enum_column(Channel))
    recipient: str = Field(max_length=255)
    subject: str = Field(default="", max_length=300)
    body: str
    locale: str = Field(default="en", max_length=16)
    kind: str = Field(max_length=40)  # new_referral, referral_answered, nudge, self_referral_received
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id", index=True)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_column(OutboxStatus), index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    sent_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
