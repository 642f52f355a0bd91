"""Who changed which directory record, and when."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from referral_app.models import ChangeLog, User


def record_change(
    *, session: Session, user_id: int | None, entity: str, entity_id: object, action: str, summary: str = ""
) -> ChangeLog:
    entry = ChangeLog(user_id=user_id, entity=entity, entity_id=str(entity_id), action=action, summary=summary[:500])
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChangeRow:
    change: ChangeLog
    user_name: str | None  # None when the change was made by no account (the command line, an import)


def history(*, session: Session, entity: str, entity_id: object, limit: int = 20) -> list[ChangeRow]:
    """The latest changes to one record, newest first, with the name of who made each."""
    rows = session.exec(
        select(ChangeLog, User.name)
        .join(User, User.id == ChangeLog.user_id, isouter=True)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id == str(entity_id))
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .limit(limit)
    ).all()
    return [ChangeRow(change=change, user_name=name) for change, name in rows]
