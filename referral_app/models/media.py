"""British Sign Language videos: one for some of the app's own pages (managed by admins) or one for a service
(uploaded by its organisation's staff). The files live outside `static/` under random names."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from referral_app.models._types import TIMESTAMP, enum_column, utcnow


class VideoPage(StrEnum):
    """The app's own pages that can have a BSL video."""

    HOME = "home"
    HOW_TO_SEARCH = "how_to_search"
    REFER_YOURSELF = "refer_yourself"
    PRIVACY_NOTICE = "privacy_notice"


class Video(SQLModel, table=True):
    """A BSL video with its WebVTT captions, transcript and optional poster frame."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    page: VideoPage | None = Field(default=None, sa_type=enum_column(VideoPage), unique=True)
    service_id: uuid.UUID | None = Field(
        default=None, foreign_key="service.id", unique=True, index=True, ondelete="CASCADE"
    )
    file_name: str = Field(max_length=64)  # random, with the type's extension
    content_type: str = Field(max_length=32)  # video/mp4 or video/webm
    size: int  # bytes, shown beside the download link
    captions_file_name: str = Field(max_length=64)
    poster_file_name: str | None = Field(default=None, max_length=64)
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    transcript: str = ""
    demonstration: bool = False  # a generated sample, not real BSL: always labelled as such
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=TIMESTAMP)
