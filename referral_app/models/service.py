"""Services and what describes them (Open Referral UK `service` and its children)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class ServiceStatus(StrEnum):
    """The four statuses Open Referral UK allows."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class Service(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=255, index=True)
    description: str = ""
    url: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=255)
    status: ServiceStatus = Field(default=ServiceStatus.ACTIVE, sa_type=enum_column(ServiceStatus))
    fees: str | None = None  # ORUK free text about charges
    accreditations: str | None = None
    alert: str | None = None
    # How to get the service ("Drop in", "Ask your GP to refer you") and who it is for, in the org's words.
    application_process: str = ""
    eligibility_description: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    is_free: bool = True
    bsl_staff: bool = False  # staff who sign British Sign Language
    bsl_interpreter: bool = False  # a BSL interpreter is provided on request
    in_person: bool = True
    online: bool = False
    by_phone: bool = False
    last_verified_on: date | None = None  # ORUK assured_date
    assurer_email: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


class ServiceTranslation(SQLModel, table=True):
    """A service's own text written in another supported language."""

    __tablename__ = "service_translation"
    __table_args__ = (sa.UniqueConstraint("service_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True, ondelete="CASCADE")
    locale: str = Field(max_length=16)
    name: str = Field(default="", max_length=255)
    description: str = ""
    application_process: str = ""
    eligibility_description: str = ""


class CostOption(SQLModel, table=True):
    __tablename__ = "cost_option"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True, ondelete="CASCADE")
    option: str | None = Field(default=None, max_length=255)
    amount: float | None = None
    amount_description: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class Language(SQLModel, table=True):
    """A language the service is offered in: ISO 639 code (`bfi` is British Sign Language)."""

    __table_args__ = (sa.Index("ix_language_service_id_code", "service_id", "code"),)  # the search's language filter

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id", index=True, ondelete="CASCADE")
    phone_id: uuid.UUID | None = Field(default=None, foreign_key="phone.id", ondelete="CASCADE")
    code: str = Field(max_length=16, index=True)
    name: str = Field(default="", max_length=100)
    note: str | None = None


class ServiceArea(SQLModel, table=True):
    __tablename__ = "service_area"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True, ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=255)
    extent: str | None = None
    extent_type: str | None = Field(default=None, max_length=32)
    uri: str | None = Field(default=None, max_length=500)
    service_area: str | None = None
    outcode: str | None = Field(default=None, max_length=8, index=True)  # a postcode district it covers


class Contact(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id", index=True, ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=255)
    title: str | None = Field(default=None, max_length=255)


class ContactKind(StrEnum):
    """How a person can reach a service through a `phone` record."""

    PHONE = "phone"
    SMS = "sms"
    RELAY_UK = "relay_uk"  # text relay: 18001 before the number
    VIDEO_RELAY = "video_relay"  # a BSL video relay service, e.g. SignVideo (value is a web address)
    VIDEO_CALL = "video_call"  # value is a web address
    WHATSAPP = "whatsapp"


class Phone(SQLModel, table=True):
    """An ORUK phone, extended with the kind of contact it is (phone, SMS, Relay UK, video relay...)."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=500)
    description: str | None = None
    kind: ContactKind = Field(default=ContactKind.PHONE, sa_type=enum_column(ContactKind))


class Schedule(SQLModel, table=True):
    """One opening period: `byday` days (MO,TU...) from `opens_at` to `closes_at`; several rows make a day."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id", index=True, ondelete="CASCADE")
    service_at_location_id: uuid.UUID | None = Field(
        default=None, foreign_key="service_at_location.id", index=True, ondelete="CASCADE"
    )
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    freq: str | None = Field(default="WEEKLY", max_length=16)
    interval: int | None = None
    byday: str | None = Field(default=None, max_length=40)
    bymonthday: str | None = Field(default=None, max_length=100)
    opens_at: time | None = None
    closes_at: time | None = None
    description: str | None = None
    schedule_link: str | None = Field(default=None, max_length=500)
    attending_type: str | None = Field(default=None, max_length=255)
    notes: str | None = None  # exceptions, e.g. "Closed on bank holidays"
