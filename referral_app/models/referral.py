"""Residents, their referrals, and every event in a referral's life (the trail people see)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class ContactMethod(StrEnum):
    """How a resident would like to be contacted."""

    SMS = "sms"
    EMAIL = "email"
    PHONE = "phone"
    VIDEO_RELAY = "video_relay"
    RELAY_UK = "relay_uk"  # a phone call through Relay UK: 18001 before the number
    LINK_WORKER = "link_worker"  # through the person who referred them


class AgeBand(StrEnum):
    UNDER_16 = "under_16"
    AGE_16_17 = "16_17"
    AGE_18_24 = "18_24"
    AGE_25_34 = "25_34"
    AGE_35_49 = "35_49"
    AGE_50_64 = "50_64"
    AGE_65_PLUS = "65_plus"


class PriorityGroup(StrEnum):
    """Communities the product exists to serve; a resident chooses whether to record any."""

    ROMA = "roma"
    REFUGEE_MIGRANT = "refugee_migrant"
    HOMELESS = "homeless"
    DEAF_BSL = "deaf_bsl"
    YOUNG_MENTAL_HEALTH = "young_mental_health"
    RURAL_COASTAL = "rural_coastal"
    DISABLED = "disabled"
    CARER = "carer"


PRIORITY_GROUP_VALUES = frozenset(group.value for group in PriorityGroup)


class Resident(SQLModel, table=True):
    """The person referred: only what the referral needs."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=255)
    contact_method: ContactMethod = Field(default=ContactMethod.PHONE, sa_type=enum_column(ContactMethod))
    times_to_avoid: str = Field(default="", max_length=500)
    language: str = Field(default="en", max_length=16)  # preferred language (ISO 639; BSL is bfi)
    interpreter_language: str | None = Field(default=None, max_length=16)  # spoken-language interpreter
    bsl_interpreter: bool = False
    easy_read: bool = False
    large_print: bool = False
    other_communication: str = Field(default="", max_length=500)
    outcode: str | None = Field(default=None, max_length=8, index=True)  # postcode district
    age_band: AgeBand | None = Field(default=None, sa_type=enum_column(AgeBand))
    priority_groups: str = Field(default="", max_length=300)  # space-separated PriorityGroup values
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    # Erased on request, or anonymised when the retention period ended (services/erasure.py): the row stays,
    # without anything that identifies the person, so that their referrals still count in the insights.
    erased_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    erased_by_id: int | None = Field(default=None, foreign_key="user.id")  # None: the retention period
    erasure_reason: str = Field(default="", max_length=500)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def groups(self) -> list[PriorityGroup]:
        return [PriorityGroup(value) for value in self.priority_groups.split() if value in PRIORITY_GROUP_VALUES]


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CONTACTED = "contacted"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    COMPLETED = "completed"


OPEN_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED, ReferralStatus.ATTENDED)
CLOSED_STATUSES = (
    ReferralStatus.DECLINED,
    ReferralStatus.WITHDRAWN,
    ReferralStatus.DID_NOT_ATTEND,
    ReferralStatus.COMPLETED,
)


class Urgency(StrEnum):
    ROUTINE = "routine"
    SOON = "soon"  # within a week
    URGENT = "urgent"  # within two working days


class DeclineReason(StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    NOT_SUITABLE = "not_suitable"
    COULD_NOT_CONTACT = "could_not_contact"
    OTHER = "other"


class ConsentMethod(StrEnum):
    """How the resident gave consent."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    BSL_INTERPRETER = "bsl_interpreter"
    SPOKEN_INTERPRETER = "spoken_interpreter"
    ONLINE = "online"  # the resident, on the self-referral form


class Referral(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_referral_organization_id_status_created_at", "organization_id", "status", "created_at"),
        sa.Index("ix_referral_referrer_id_created_at", "referrer_id", "created_at"),
        # A page of the inbox or of "My referrals" from the index alone (see services/referral_lists.py).
        sa.Index(
            "ix_referral_organization_id_status_updated_at",
            "organization_id",
            "status",
            "updated_at",
            "created_at",
            "id",
        ),
        sa.Index(
            "ix_referral_referrer_id_status_updated_at", "referrer_id", "status", "updated_at", "created_at", "id"
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    reference: str = Field(max_length=16, unique=True)  # what a person reads out on the phone
    resident_id: uuid.UUID = Field(foreign_key="resident.id", index=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id")  # the service's, when sent
    referrer_id: int | None = Field(default=None, foreign_key="user.id")  # None: self-referral
    reason: str = ""  # in the resident's own words
    urgency: Urgency = Field(default=Urgency.ROUTINE, sa_type=enum_column(Urgency))
    status: ReferralStatus = Field(default=ReferralStatus.SENT, sa_type=enum_column(ReferralStatus))
    decline_reason: DeclineReason | None = Field(default=None, sa_type=enum_column(DeclineReason))
    version: int = 1  # optimistic locking: every status change must name the version it saw
    consent_by: str = Field(max_length=200)  # who agreed: the resident, or a named parent, carer...
    consent_method: ConsentMethod = Field(sa_type=enum_column(ConsentMethod))
    consent_interpreter_language: str | None = Field(default=None, max_length=16)
    consent_recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    consent_at: datetime = Field(sa_type=TIMESTAMP)
    consent_withdrawn_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    status_token_hash: str | None = Field(default=None, max_length=64, unique=True)  # the resident's private link
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    locale: str = Field(default="en", max_length=16)  # the interface language it was made in
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    answered_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)  # first accept or decline
    closed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    nudged_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    anonymised_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)  # free text and private link removed

    @property
    def is_self_referral(self) -> bool:
        return self.referrer_id is None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None


class ReferralNeed(SQLModel, table=True):
    __tablename__ = "referral_need"
    __table_args__ = (sa.UniqueConstraint("referral_id", "need"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    need: str = Field(max_length=40, index=True)  # a needs-taxonomy code


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"  # from_status -> to_status
    NOTE = "note"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    OUTCOME = "outcome"
    NUDGED = "nudged"


class ReferralEvent(SQLModel, table=True):
    """One line of a referral's timeline, and of its audit trail."""

    __tablename__ = "referral_event"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    kind: EventKind = Field(sa_type=enum_column(EventKind))
    from_status: ReferralStatus | None = Field(default=None, sa_type=enum_column(ReferralStatus))
    to_status: ReferralStatus | None = Field(default=None, sa_type=enum_column(ReferralStatus))
    actor_id: int | None = Field(default=None, foreign_key="user.id")  # None: the resident or the system
    by_resident: bool = False
    decline_reason: DeclineReason | None = Field(default=None, sa_type=enum_column(DeclineReason))
    note: str = ""


class ReferralDraft(SQLModel, table=True):
    """A link worker's referral before it is sent, kept on the server (never in a cookie).

    Its id is the idempotency key of the referral it becomes, so a second "Send" finds the first.
    """

    __tablename__ = "referral_draft"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    data: str = "{}"  # JSON of the answers so far
    created_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
