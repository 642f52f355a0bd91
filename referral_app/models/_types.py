"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite hands them back without a zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def enum_column(enum_cls: type[StrEnum]) -> sa.Enum:
    """Store an enum's values as plain strings (VARCHAR), the same on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


TIMESTAMP = sa.DateTime(timezone=True)

# Named constraints, so that later migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
from sqlmodel import SQLModel  # noqa: E402

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
