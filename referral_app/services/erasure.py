"""Erasing a resident's personal data (on their request, or when the retention period ends), and anonymising
referrals: what identifies a person goes, what the anonymous counts need stays.

Kept: the referral's status, dates, service, organisation, needs, decline reason code and outcome scores, and the
resident's postcode district, language, priority groups and communication needs, which the insight facts
(models/insight.py) are derived from, so the insights count the same before and after, even after a rebuild.
Removed: names, contact details, age, free text (reason, notes, communication needs in their words, times to
avoid, who gave consent), the private status link, messages to the resident and unsent drafts about them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, update
from sqlmodel import Session, select

from referral_app.models import EventKind, OutboxMessage, Referral, ReferralDraft, ReferralEvent, Resident
from referral_app.models._types import utcnow
from referral_app.services import audit
from referral_app.services.subject_access import drafts_about, messages_to_resident

ERASED = "[erased]"  # stands in for a name wherever one is required (other pages list residents by name)
CHUNK = 500  # ids per statement: well under SQLite's and PostgreSQL's parameter limits
ERASED_ACTION = "erased"


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _delete_messages(session: Session, referrals: ColumnElement[bool]) -> None:
    # Ids first: a DELETE whose subquery names its own table would be correlated to it.
    ids = session.exec(select(OutboxMessage.id).where(messages_to_resident(referrals))).all()
    for chunk in _chunks(list(ids)):
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk)))


def anonymise_referrals(*, session: Session, referral_ids: Sequence[uuid.UUID], now: datetime | None = None) -> None:
    """Remove the free text, the private status link and the messages to the resident from these referrals;
    their statuses, dates, needs and scores stay for the counts."""
    now = now or utcnow()
    for chunk in _chunks(list(dict.fromkeys(referral_ids))):
        _delete_messages(session, Referral.id.in_(chunk))
        session.execute(delete(ReferralDraft).where(drafts_about(chunk)))
        # An outcome event's note is the measure's code and stage, not free text.
        session.execute(
            update(ReferralEvent)
            .where(
                ReferralEvent.referral_id.in_(chunk), ReferralEvent.kind != EventKind.OUTCOME, ReferralEvent.note != ""
            )
            .values(note="")
        )
        session.execute(
            update(Referral).where(Referral.id.in_(chunk)).values(reason="", consent_by=ERASED, status_token_hash=None)
        )
        session.execute(
            update(Referral).where(Referral.id.in_(chunk), Referral.anonymised_at.is_(None)).values(anonymised_at=now)
        )
    session.flush()


def _erase(
    session: Session,
    resident_ids: Sequence[uuid.UUID],
    *,
    user_id: int | None,
    reason: str,
    now: datetime,
    action: str,
    remote_address: str = "",
    path: str = "",
) -> list[uuid.UUID]:
    """Erase the residents not erased already; returns those erased now."""
    erased: list[uuid.UUID] = []
    for chunk in _chunks(list(dict.fromkeys(resident_ids))):
        chosen = list(
            session.exec(select(Resident.id).where(Resident.id.in_(chunk), Resident.erased_at.is_(None))).all()
        )
        if not chosen:
            continue
        referral_ids = list(session.exec(select(Referral.id).where(Referral.resident_id.in_(chosen))).all())
        # While their contact details are still there to recognise messages sent to them.
        _delete_messages(session, Referral.resident_id.in_(chosen))
        session.execute(delete(ReferralDraft).where(drafts_about(chosen)))
        anonymise_referrals(session=session, referral_ids=referral_ids, now=now)
        session.execute(
            update(Resident)
            .where(Resident.id.in_(chosen))
            .values(
                name=ERASED,
                phone=None,
                email=None,
                times_to_avoid="",
                other_communication="",
                age_band=None,
                erased_at=now,
                erased_by_id=user_id,
                erasure_reason=reason[:500],
                updated_at=now,
            )
        )
        audit.record_many(
            session=session,
            action=action,
            user_id=user_id,
            reads=[(resident_id, None) for resident_id in chosen],
            remote_address=remote_address,
            path=path,
        )
        erased.extend(chosen)
    session.flush()
    return erased


def _scrubbed(text: str, resident: Resident) -> str:
    """The reason as typed, without the resident's name, email or phone number if someone typed them in it."""
    found = [resident.name, resident.email or "", resident.phone or "", *resident.name.split()]
    for value in sorted({value.strip() for value in found if len(value.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    digits = re.sub(r"\D", "", resident.phone or "")
    if len(digits) >= 6:  # the number written without its spaces, or with others
        spaced = r"[\s-]*".join(re.escape(digit) for digit in digits)
        text = re.sub(spaced, ERASED, text)
    return text


def erase_resident(
    *,
    session: Session,
    resident: Resident,
    user_id: int | None,
    reason: str,
    now: datetime | None = None,
    remote_address: str = "",
    path: str = "",
) -> bool:
    """Erase a resident's personal data on request; False (and nothing done) if it was erased already."""
    if resident.erased_at is not None:
        return False
    erased = _erase(
        session,
        [resident.id],
        user_id=user_id,
        reason=_scrubbed(reason.strip(), resident),
        now=now or utcnow(),
        action=ERASED_ACTION,
        remote_address=remote_address,
        path=path,
    )
    session.refresh(resident)
    return bool(erased)


def erase_residents(
    *, session: Session, resident_ids: Sequence[uuid.UUID], action: str, now: datetime | None = None, path: str = ""
) -> list[uuid.UUID]:
    """Erase many residents at once with no one asking (the retention period); returns those erased now."""
    return _erase(session, resident_ids, user_id=None, reason="", now=now or utcnow(), action=action, path=path)
