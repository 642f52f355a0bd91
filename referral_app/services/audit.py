"""The audit log of residents' data: every read and change, by whom, when and from where."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, insert, select

from referral_app.models import AuditLog, Referral, Resident, User
from referral_app.models._types import utcnow


def record(
    *,
    session: Session,
    action: str,
    user_id: int | None,
    resident_id: uuid.UUID | None = None,
    referral_id: uuid.UUID | None = None,
    remote_address: str = "",
    path: str = "",
) -> AuditLog:
    entry = AuditLog(
        action=action,
        user_id=user_id,
        resident_id=resident_id,
        referral_id=referral_id,
        remote_address=(remote_address or "")[:64],
        path=(path or "")[:300],
    )
    session.add(entry)
    session.flush()
    return entry


def record_many(
    *,
    session: Session,
    action: str,
    user_id: int | None,
    reads: Iterable[tuple[uuid.UUID | None, uuid.UUID | None]],
    remote_address: str = "",
    path: str = "",
) -> None:
    """One entry for each (resident_id, referral_id) read together (a list page), in one INSERT statement."""
    at = utcnow()
    rows = [
        {
            "at": at,
            "action": action,
            "user_id": user_id,
            "resident_id": resident_id,
            "referral_id": referral_id,
            "remote_address": (remote_address or "")[:64],
            "path": (path or "")[:300],
        }
        for resident_id, referral_id in reads
    ]
    if rows:
        session.exec(insert(AuditLog), params=rows)


TRAIL_LIMIT = 500


@dataclass(frozen=True)
class TrailRow:
    entry: AuditLog
    user: User | None
    resident_name: str | None
    referral_reference: str | None


def trail(
    *,
    session: Session,
    resident_id: uuid.UUID | None = None,
    user_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = TRAIL_LIMIT,
) -> list[TrailRow]:
    """Audit entries, newest first, filtered by resident, user and period."""
    statement = (
        select(AuditLog, User, Resident.name, Referral.reference)
        .join(User, User.id == AuditLog.user_id, isouter=True)
        .join(Resident, Resident.id == AuditLog.resident_id, isouter=True)
        .join(Referral, Referral.id == AuditLog.referral_id, isouter=True)
    )
    if resident_id is not None:
        statement = statement.where(AuditLog.resident_id == resident_id)
    if user_id is not None:
        statement = statement.where(AuditLog.user_id == user_id)
    if since is not None:
        statement = statement.where(AuditLog.at >= since)
    if until is not None:
        statement = statement.where(AuditLog.at < until)
    rows = session.exec(statement.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)).all()
    return [TrailRow(*row) for row in rows]
