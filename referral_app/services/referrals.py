"""Making referrals (by a link worker from a draft, or by a resident themselves) and finding them again."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from referral_app.db import lost_write_race
from referral_app.models import (
    ConsentMethod,
    EventKind,
    Organization,
    OrganizationStatus,
    Referral,
    ReferralDraft,
    ReferralEvent,
    ReferralNeed,
    Resident,
    Service,
    ServiceStatus,
    Urgency,
    User,
)
from referral_app.models._types import utcnow
from referral_app.services import insight_facts, notifications
from referral_app.services.referral_drafts import DraftAnswers, answers_of
from referral_app.services.residents import ResidentDetails, resident_for
from referral_app.services.taxonomy import NEED_CODES

_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read out on the phone


class DraftIncomplete(Exception):
    def __init__(self, step: str):
        super().__init__(step)
        self.step = step


class SendConflict(Exception):
    """Another request wrote first (most likely the same "Send", clicked twice): roll back and look again."""


def new_reference() -> str:
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referable_service(*, session: Session, service_id: uuid.UUID | str) -> tuple[Service, Organization] | None:
    """The service and its organisation, if people can be referred to it now (running, and approved)."""
    try:
        service_uuid = service_id if isinstance(service_id, uuid.UUID) else uuid.UUID(str(service_id))
    except ValueError:
        return None
    row = session.exec(
        select(Service, Organization)
        .join(Organization, Organization.id == Service.organization_id)
        .where(
            Service.id == service_uuid,
            Service.status == ServiceStatus.ACTIVE,
            Organization.status == OrganizationStatus.APPROVED,
        )
    ).first()
    return (row[0], row[1]) if row else None


def _add_referral(
    session: Session,
    *,
    resident: Resident,
    service: Service,
    answers_needs: list[str],
    reason: str,
    urgency: Urgency,
    consent_by: str,
    consent_method: ConsentMethod,
    consent_interpreter_language: str | None,
    referrer: User | None,
    idempotency_key: str | None,
    locale: str,
    now: datetime,
    status_token_hash: str | None = None,
) -> Referral:
    for _attempt in range(5):
        referral = Referral(
            reference=new_reference(),
            resident_id=resident.id,
            service_id=service.id,
            organization_id=service.organization_id,
            referrer_id=referrer.id if referrer else None,
            reason=reason.strip(),
            urgency=urgency,
            consent_by=consent_by.strip(),
            consent_method=consent_method,
            consent_interpreter_language=consent_interpreter_language or None,
            consent_recorded_by_id=referrer.id if referrer else None,
            consent_at=now,
            status_token_hash=status_token_hash,
            idempotency_key=idempotency_key,
            locale=locale,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(referral)
                session.flush()
        except IntegrityError:
            if idempotency_key and _by_idempotency_key(session, idempotency_key):
                raise
            continue  # a reference collision: draw another
        break
    else:  # pragma: no cover - 30^8 references make five collisions in a row all but impossible
        raise RuntimeError("Could not draw a unique referral reference.")
    for need in dict.fromkeys(answers_needs):
        if need in NEED_CODES:
            session.add(ReferralNeed(referral_id=referral.id, need=need))
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=now,
            kind=EventKind.CREATED,
            to_status=referral.status,
            actor_id=referrer.id if referrer else None,
            by_resident=referrer is None,
        )
    )
    session.flush()
    insight_facts.record(session, [referral.id])
    notifications.new_referral(session=session, referral=referral)
    return referral


def _by_idempotency_key(session: Session, key: str) -> Referral | None:
    return session.exec(select(Referral).where(Referral.idempotency_key == key)).first()


def send_draft(*, session: Session, user: User, draft: ReferralDraft, locale: str, now: datetime | None = None):
    """Turn a complete draft into a referral, once: a repeated send returns the first referral."""
    now = now or utcnow()
    key = str(draft.id)
    existing = _by_idempotency_key(session, key)
    if existing is not None:
        return existing
    answers = answers_of(draft)
    missing = answers.missing_step()
    if missing:
        raise DraftIncomplete(missing)
    found = referable_service(session=session, service_id=answers.service_id)
    if found is None:
        raise DraftIncomplete("service")
    service, _organization = found
    try:
        with session.begin_nested():
            referral = _add_referral(
                session,
                resident=_resident_from(session, user=user, answers=answers, now=now),
                service=service,
                answers_needs=answers.needs,
                reason=answers.reason,
                urgency=Urgency(answers.urgency),
                consent_by=answers.consent_by,
                consent_method=ConsentMethod(answers.consent_method),
                consent_interpreter_language=answers.consent_interpreter_language,
                referrer=user,
                idempotency_key=key,
                locale=locale,
                now=now,
            )
    except IntegrityError:  # the same draft sent at the same moment (a double click): the first one won
        existing = _by_idempotency_key(session, key)
        if existing is None:
            raise
        return existing
    except OperationalError as error:  # the same, on SQLite: this transaction cannot see the first one's commit
        if not lost_write_race(error):
            raise
        raise SendConflict() from error
    session.delete(draft)
    session.flush()
    return referral


def _resident_from(session: Session, *, user: User, answers: DraftAnswers, now: datetime) -> Resident:
    """The resident the draft is about, brought up to date with what was typed, or a new one."""
    resident = None
    if answers.resident_id:
        resident = resident_for(session=session, user=user, resident_id=uuid.UUID(answers.resident_id))
        if resident is None:
            raise DraftIncomplete("resident")
    if resident is None:
        resident = Resident(name="", created_by_id=user.id, created_at=now)
    answers.details.apply_to(resident)
    session.add(resident)
    session.flush()
    if answers.resident_id:
        insight_facts.record_resident(session, resident.id)  # their earlier referrals count where they now are
    return resident


@dataclass
class SelfReferral:
    referral: Referral
    token: str  # shown once, in the private link; only its hash is stored


def create_self_referral(
    *,
    session: Session,
    service: Service,
    details: ResidentDetails,
    reason: str,
    needs: list[str],
    locale: str,
    status_link_for,
    now: datetime | None = None,
) -> SelfReferral:
    """A resident refers themselves: no account, consent given on the form, a private link to follow it."""
    now = now or utcnow()
    resident = Resident(name="", created_at=now)
    details.apply_to(resident)
    session.add(resident)
    session.flush()
    token = secrets.token_urlsafe(32)
    referral = _add_referral(
        session,
        resident=resident,
        service=service,
        answers_needs=needs,
        reason=reason,
        urgency=Urgency.ROUTINE,
        consent_by=details.name,
        consent_method=ConsentMethod.ONLINE,
        consent_interpreter_language=None,
        referrer=None,
        idempotency_key=None,
        locale=locale,
        now=now,
        status_token_hash=token_hash(token),
    )
    notifications.self_referral_received(session=session, referral=referral, status_link=status_link_for(token))
    return SelfReferral(referral=referral, token=token)


def by_status_token(*, session: Session, token: str) -> Referral | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(Referral).where(Referral.status_token_hash == token_hash(token))).first()


def refer_elsewhere_answers(*, session: Session, referral: Referral) -> DraftAnswers:
    """A new draft from a declined referral: the same person and needs, a service still to choose,
    and consent to be asked again because the details would go to a different organisation."""
    resident = session.get(Resident, referral.resident_id)
    needs = session.exec(select(ReferralNeed.need).where(ReferralNeed.referral_id == referral.id)).all()
    return DraftAnswers(
        resident_id=str(referral.resident_id),
        resident_chosen=True,
        resident=ResidentDetails.of(resident).to_dict() if resident else {},
        details_done=True,
        communication_done=True,
        needs=list(needs),
        reason=referral.reason,
        urgency=referral.urgency.value,
        consent_by=referral.consent_by,
        consent_method=referral.consent_method.value,
        consent_interpreter_language=referral.consent_interpreter_language or "",
        previous_referral_id=str(referral.id),
    )
