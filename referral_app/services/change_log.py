"""Who changed which directory record, and when."""

from __future__ import annotations

from sqlmodel import Session

from referral_app.models import ChangeLog


def record_change(
    *, session: Session, user_id: int | None, entity: str, entity_id: object, action: str, summary: str = ""
) -> ChangeLog:
    entry = ChangeLog(user_id=user_id, entity=entity, entity_id=str(entity_id), action=action, summary=summary[:500])
    session.add(entry)
    session.flush()
    return entry
