"""Where services happen (Open Referral UK `location`, `address`, `accessibility`, `service_at_location`)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Location(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organization.id", index=True, ondelete="CASCADE"
    )  # the organisation whose staff may edit it
    location_type: str = Field(default="physical", max_length=16)  # physical, postal or virtual
    name: str | None = Field(default=None, max_length=255)
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    external_identifier: str | None = Field(default=None, max_length=100)
    external_identifier_type: str | None = Field(default=None, max_length=50)


class Address(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    location_id: uuid.UUID = Field(foreign_key="location.id", index=True, ondelete="CASCADE")
    attention: str | None = Field(default=None, max_length=255)
    address_1: str = Field(max_length=255)
    address_2: str | None = Field(default=None, max_length=255)
    city: str = Field(max_length=100)
    region: str | None = Field(default=None, max_length=100)
    state_province: str = Field(default="", max_length=100)
    postal_code: str = Field(max_length=16)
    country: str = Field(default="GB", max_length=2)
    address_type: str = Field(default="physical", max_length=16)


class Accessibility(SQLModel, table=True):
    """An accessibility feature of a location; `feature` is one of ACCESSIBILITY_FEATURES when known."""

    __table_args__ = (sa.Index("ix_accessibility_location_id_feature", "location_id", "feature"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    location_id: uuid.UUID = Field(foreign_key="location.id", index=True, ondelete="CASCADE")
    feature: str | None = Field(default=None, max_length=40, index=True)
    description: str | None = None
    details: str | None = None
    url: str | None = Field(default=None, max_length=500)


class ServiceAtLocation(SQLModel, table=True):
    __tablename__ = "service_at_location"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True, ondelete="CASCADE")
    location_id: uuid.UUID = Field(foreign_key="location.id", index=True, ondelete="CASCADE")
