"""What the directory keeps about its own use: problem reports, searches, the search index, changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class ReportReason(StrEnum):
    CLOSED = "closed"
    WRONG_CONTACT = "wrong_contact"
    UNCLEAR = "unclear"
    WRONG_AREA = "wrong_area"
    OTHER = "other"


class ListingReport(SQLModel, table=True):
    """An anonymous "Report a problem with this listing"."""

    __tablename__ = "listing_report"

    id: int | None = Field(default=None, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True, ondelete="CASCADE")
    reason: ReportReason = Field(sa_type=enum_column(ReportReason))
    details: str = ""
    locale: str = Field(default="en", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    resolved_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    resolution_note: str = ""


class SearchLog(SQLModel, table=True):
    """An anonymous record of a directory search: no address, no account, only what was asked."""

    __tablename__ = "search_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP, index=True)
    terms: str = Field(default="", max_length=200)
    filters: str = ""  # JSON of the filters used
    outcode: str | None = Field(default=None, max_length=8, index=True)
    locale: str = Field(default="en", max_length=16)
    result_count: int = 0


class ServiceSearch(SQLModel, table=True):
    """Every word that should find a service, in every language; full-text indexed per database."""

    __tablename__ = "service_search"

    id: int | None = Field(default=None, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", unique=True, ondelete="CASCADE")
    body: str = ""


class ChangeLog(SQLModel, table=True):
    """Who changed which directory record, and when."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=64, index=True)
    action: str = Field(max_length=20)  # created, updated, deleted, approved, resolved
    summary: str = ""
