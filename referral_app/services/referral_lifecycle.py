"""Every change to a referral's status goes through `transition()`: who may, what may follow what, and
optimistic locking on the referral's version, with an event written for the timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from referral_app.db import lost_write_race
from referral_app.models import (
    CLOSED_STATUSES,
    DeclineReason,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Role,
    User,
)
from referral_app.models._types import utcnow
from referral_app.services import insight_facts, notifications

S = ReferralStatus


class Party(StrEnum):
    ORGANISATION = "organisation"  # staff of the organisation the referral was sent to
    REFERRER = "referrer"  # the link worker who made it
    RESIDENT = "resident"  # the resident, through their private link
    ADMIN = "admin"


# (from, to) -> who may make that change. Admins may make any change that exists.
TRANSITIONS: dict[tuple[ReferralStatus, ReferralStatus], frozenset[Party]] = {
    (S.SENT, S.ACCEPTED): frozenset({Party.ORGANISATION}),
    (S.SENT, S.DECLINED): frozenset({Party.ORGANISATION}),
    (S.ACCEPTED, S.DECLINED): frozenset({Party.ORGANISATION}),  # e.g. could not make contact
    (S.ACCEPTED, S.CONTACTED): frozenset({Party.ORGANISATION}),
    (S.CONTACTED, S.ATTENDED): frozenset({Party.ORGANISATION}),
    (S.CONTACTED, S.DID_NOT_ATTEND): frozenset({Party.ORGANISATION}),
    (S.ATTENDED, S.COMPLETED): frozenset({Party.ORGANISATION}),
    (S.SENT, S.WITHDRAWN): frozenset({Party.REFERRER, Party.RESIDENT}),
    (S.ACCEPTED, S.WITHDRAWN): frozenset({Party.REFERRER, Party.RESIDENT}),
    (S.CONTACTED, S.WITHDRAWN): frozenset({Party.REFERRER, Party.RESIDENT}),
}
ANSWERS = frozenset({S.ACCEPTED, S.DECLINED})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the resident holding the referral's private link."""

    user: User | None = None
    resident: bool = False

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None


class ReferralError(Exception):
    """A change that cannot be made; the view shows `referral` as it is now."""

    def __init__(self, referral: Referral | None = None):
        super().__init__(type(self).__name__)
        self.referral = referral


class ReferralNotFound(ReferralError):
    """No such referral, or not one this actor may see (the two look the same from outside)."""


class NotAllowed(ReferralError):
    """The actor can see the referral but may not make this change."""


class ImpossibleTransition(ReferralError):
    """The referral's status does not allow this change (for example accepting a withdrawn referral)."""


class StaleVersion(ReferralError):
    """Someone else changed the referral since this person looked at it."""


class MissingDeclineReason(ReferralError):
    pass


def parties(actor: Actor, referral: Referral) -> frozenset[Party]:
    """The parts this actor plays in this referral; empty when they have no business with it."""
    if actor.resident:
        return frozenset({Party.RESIDENT})
    user = actor.user
    if user is None or not user.active:
        return frozenset()
    found = set()
    if user.role == Role.ADMIN:
        found.add(Party.ADMIN)
    if user.role == Role.LINK_WORKER and referral.referrer_id == user.id:
        found.add(Party.REFERRER)
    if user.role == Role.ORG_STAFF and user.organization_id == referral.organization_id:
        found.add(Party.ORGANISATION)
    return frozenset(found)


def can_see(actor: Actor, referral: Referral) -> bool:
    return bool(parties(actor, referral))


def may(actor: Actor, referral: Referral, to_status: ReferralStatus) -> bool:
    """Whether this actor may move the referral, as it is now, to `to_status`."""
    allowed = TRANSITIONS.get((referral.status, to_status))
    if allowed is None:
        return False
    mine = parties(actor, referral)
    return Party.ADMIN in mine or bool(mine & allowed)


def next_statuses(actor: Actor, referral: Referral) -> list[ReferralStatus]:
    return [to for (frm, to) in TRANSITIONS if frm == referral.status and may(actor, referral, to)]


def load_for(*, session: Session, referral_id: uuid.UUID, actor: Actor) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or not can_see(actor, referral):
        raise ReferralNotFound()
    return referral


def _update_if_version(session: Session, referral: Referral, version: int, values: dict) -> bool:
    """Update the referral only if it is still at `version`; False if someone changed it first."""
    try:
        result = session.execute(
            update(Referral)
            .where(Referral.id == referral.id, Referral.version == version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    except OperationalError as error:
        if not lost_write_race(error):
            raise
        raise StaleVersion(referral) from error  # SQLite: someone committed first; the caller rolls back to see it
    if result.rowcount != 1:
        return False
    insight_facts.record(session, [referral.id])
    return True


def transition(
    *,
    session: Session,
    referral_id: uuid.UUID,
    actor: Actor,
    to_status: ReferralStatus,
    expected_version: int,
    decline_reason: DeclineReason | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Referral:
    """Move a referral to `to_status`, or raise a ReferralError that says why not.

    `expected_version` is the version the person saw. The update is conditional on it, so of two people
    answering the same referral at once exactly one succeeds; the other gets StaleVersion.
    """
    now = now or utcnow()
    referral = load_for(session=session, referral_id=referral_id, actor=actor)
    if referral.version != expected_version:
        raise StaleVersion(referral)
    if (referral.status, to_status) not in TRANSITIONS:
        raise ImpossibleTransition(referral)
    if not may(actor, referral, to_status):
        raise NotAllowed(referral)
    if to_status == S.DECLINED and decline_reason is None:
        raise MissingDeclineReason(referral)

    from_status = referral.status
    values: dict = {"status": to_status, "version": expected_version + 1, "updated_at": now}
    if to_status in ANSWERS and referral.answered_at is None:
        values["answered_at"] = now
    if to_status in CLOSED_STATUSES:
        values["closed_at"] = now
    if to_status == S.DECLINED:
        values["decline_reason"] = decline_reason
    if not _update_if_version(session, referral, expected_version, values):
        session.refresh(referral)
        raise StaleVersion(referral)
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=now,
            kind=EventKind.STATUS,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.user_id,
            by_resident=actor.resident,
            decline_reason=decline_reason if to_status == S.DECLINED else None,
            note=note.strip(),
        )
    )
    session.flush()
    session.refresh(referral)
    if to_status in ANSWERS:
        notifications.referral_answered(session=session, referral=referral)
    return referral


def add_note(*, session: Session, referral_id: uuid.UUID, actor: Actor, note: str) -> ReferralEvent:
    """A note on the timeline: any party to the referral may add one; it changes no status."""
    referral = load_for(session=session, referral_id=referral_id, actor=actor)
    if actor.resident:
        raise NotAllowed(referral)
    event = ReferralEvent(referral_id=referral.id, kind=EventKind.NOTE, actor_id=actor.user_id, note=note.strip())
    session.add(event)
    session.flush()
    return event


def withdraw_consent(
    *, session: Session, referral_id: uuid.UUID, actor: Actor, note: str = "", now: datetime | None = None
) -> Referral:
    """Record that the resident withdrew consent: nothing more is shared, and an open referral closes."""
    now = now or utcnow()
    referral = load_for(session=session, referral_id=referral_id, actor=actor)
    # Conditional on the version like every status change, and worked out again from the referral as it now
    # is if someone changed it meanwhile: a decline made at the same moment is kept, never overwritten.
    for _attempt in range(3):
        if referral.consent_withdrawn_at is not None:
            return referral
        from_status = referral.status
        closes = from_status not in CLOSED_STATUSES
        values: dict = {"consent_withdrawn_at": now, "version": referral.version + 1, "updated_at": now}
        if closes:
            values.update(status=S.WITHDRAWN, closed_at=now)
        if _update_if_version(session, referral, referral.version, values):
            break
        session.refresh(referral)
    else:
        raise StaleVersion(referral)
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=now,
            kind=EventKind.CONSENT_WITHDRAWN,
            from_status=from_status,
            to_status=S.WITHDRAWN if closes else None,
            actor_id=actor.user_id,
            by_resident=actor.resident,
            note=note.strip(),
        )
    )
    session.flush()
    session.refresh(referral)
    return referral


def timeline(*, session: Session, referral_id: uuid.UUID) -> list[tuple[ReferralEvent, User | None]]:
    rows = session.exec(
        select(ReferralEvent, User)
        .join(User, User.id == ReferralEvent.actor_id, isouter=True)
        .where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.at, ReferralEvent.id)
    ).all()
    return [(event, user) for event, user in rows]
