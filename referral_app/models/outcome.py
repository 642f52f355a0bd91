"""Outcome measures (ONS4 built in; others added as data) and the scores recorded against referrals."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow

ONS4 = "ons4"  # the built-in measure (migration 0005), personal well-being
ONS4_ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")  # its questions' codes, in order


class Measure(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    scale_min: int = 0
    scale_max: int = 10
    licence_note: str = ""
    active: bool = True


class MeasureItem(SQLModel, table=True):
    __tablename__ = "measure_item"
    __table_args__ = (sa.UniqueConstraint("measure_code", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    measure_code: str = Field(foreign_key="measure.code", index=True, ondelete="CASCADE")
    code: str = Field(max_length=40)
    position: int = 0
    text: str  # the question in English; built-in measures are translated in the interface catalogues
    low_label: str = Field(default="", max_length=100)
    high_label: str = Field(default="", max_length=100)
    lower_is_better: bool = False


class OutcomeStage(StrEnum):
    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"


class Outcome(SQLModel, table=True):
    """One completed questionnaire for a referral, at baseline or at follow-up."""

    __table_args__ = (sa.UniqueConstraint("referral_id", "measure_code", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    measure_code: str = Field(foreign_key="measure.code", max_length=40)
    stage: OutcomeStage = Field(sa_type=enum_column(OutcomeStage))
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")  # None: the resident
    by_resident: bool = False


class OutcomeScore(SQLModel, table=True):
    __tablename__ = "outcome_score"
    __table_args__ = (sa.UniqueConstraint("outcome_id", "item_code"),)

    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="outcome.id", index=True, ondelete="CASCADE")
    item_code: str = Field(max_length=40)
    value: int
