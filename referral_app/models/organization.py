"""Organisations (Open Referral UK `organization`) and their own text in other languages."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class OrganizationStatus(StrEnum):
    """New organisations wait for an admin before their services are listed."""

    PENDING = "pending"
    APPROVED = "approved"


class Organization(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=255, index=True)
    description: str = ""
    email: str | None = Field(default=None, max_length=255)
    website: str | None = Field(default=None, max_length=500)
    logo: str | None = Field(default=None, max_length=500)
    uri: str | None = Field(default=None, max_length=500)
    parent_organization_id: uuid.UUID | None = Field(default=None, foreign_key="organization.id")
    status: OrganizationStatus = Field(
        default=OrganizationStatus.APPROVED, sa_type=enum_column(OrganizationStatus), index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)


class OrganizationTranslation(SQLModel, table=True):
    """An organisation's name and description written in another supported language."""

    __tablename__ = "organization_translation"
    __table_args__ = (sa.UniqueConstraint("organization_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    locale: str = Field(max_length=16)
    name: str = Field(default="", max_length=255)
    description: str = ""
