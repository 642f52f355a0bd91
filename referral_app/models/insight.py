"""Referrals as the insights count them: what, where, for whom and what happened, never who.

One `InsightReferral` row per referral, with the values the insights group and filter by, each covered by an
index; one `InsightTag` row for each of a referral's needs, priority groups and communication needs; one
`InsightWellbeing` row for each referral with ONS4 answers at the start and at the end. The rows are
derived from the referrals and residents by `services/insight_facts.py` whenever a referral is made or changes,
and hold no name, contact detail or free text, so the counts stay when a resident's personal data is erased.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import enum_column
from referral_app.models.referral import DeclineReason, ReferralStatus


class InsightReferral(SQLModel, table=True):
    __tablename__ = "insight_referral"
    __table_args__ = (
        # Each breakdown is one GROUP BY over an index that holds its column and the day: no table reads.
        sa.Index("ix_insight_referral_status", "status", "decline_reason", "sent_on"),
        sa.Index("ix_insight_referral_response_band", "response_band", "sent_on"),
        sa.Index("ix_insight_referral_month", "month", "sent_on"),
        sa.Index("ix_insight_referral_outcode", "outcode", "sent_on"),
        sa.Index("ix_insight_referral_organization_id", "organization_id", "sent_on"),
        sa.Index("ix_insight_referral_language", "language", "sent_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id", unique=True, ondelete="SET NULL")
    # UTC day. No index of its own: a period is read from the breakdown's index, which holds the day too (with
    # one, SQLite picks it for a period and sorts every row to group them, several times slower).
    sent_on: date
    month: str = Field(max_length=7)  # YYYY-MM of sent_on
    outcode: str | None = Field(default=None, max_length=8)  # the resident's postcode district
    organization_id: uuid.UUID
    status: ReferralStatus = Field(sa_type=enum_column(ReferralStatus))
    decline_reason: DeclineReason | None = Field(default=None, sa_type=enum_column(DeclineReason))
    response_band: str = Field(max_length=20)  # time to the first answer: see services/insight_facts.py
    language: str = Field(max_length=16)  # the resident's preferred language


class TagKind(StrEnum):
    NEED = "need"  # a needs-taxonomy code
    GROUP = "group"  # a PriorityGroup value
    COMMUNICATION = "communication"  # services/insight_facts.COMMUNICATION_NEEDS


class InsightTag(SQLModel, table=True):
    """One of the referral's needs, groups or communication needs (a referral can have several of each)."""

    __tablename__ = "insight_tag"
    __table_args__ = (sa.Index("ix_insight_tag_kind_code_sent_on", "kind", "code", "sent_on", "insight_id"),)

    insight_id: int = Field(foreign_key="insight_referral.id", primary_key=True, ondelete="CASCADE")
    kind: TagKind = Field(sa_type=enum_column(TagKind), primary_key=True)
    code: str = Field(max_length=40, primary_key=True)
    sent_on: date  # the referral's, so that a period needs no join


class InsightWellbeing(SQLModel, table=True):
    """ONS4 scores (0 to 10) at the start and at the end, for referrals answered at both; no other measure."""

    __tablename__ = "insight_wellbeing"

    insight_id: int = Field(foreign_key="insight_referral.id", primary_key=True, ondelete="CASCADE")
    sent_on: date  # the referral's
    life_satisfaction_before: int
    life_satisfaction_after: int
    worthwhile_before: int
    worthwhile_after: int
    happiness_before: int
    happiness_after: int
    anxiety_before: int
    anxiety_after: int
