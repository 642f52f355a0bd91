"""Everything held about one resident, for a subject access request: the page admins read and the JSON they send.

The same conditions say what erasure removes (services/erasure.py), so what is shown is what is erased.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlmodel import Session, select

from referral_app.models import (
    AuditLog,
    Measure,
    MeasureItem,
    Organization,
    OutboxMessage,
    Outcome,
    OutcomeScore,
    Referral,
    ReferralDraft,
    ReferralEvent,
    ReferralNeed,
    Resident,
    Service,
    User,
)
from referral_app.models._types import aware, utcnow
from referral_app.services.referral_drafts import DraftAnswers

# The messages notifications.py writes to a resident (only self-referrals have no referrer to tell instead).
RESIDENT_MESSAGE_KINDS = ("self_referral_received", "referral_answered")
AUDIT_LIMIT = 10_000  # far more than one person's record gathers; the page says when there are more
JSON_FORMAT = "referral-app-subject-access/1"


def messages_to_resident(referrals: ColumnElement[bool]) -> ColumnElement[bool]:
    """Outbox messages sent (or waiting) to the resident of the referrals chosen by `referrals`: to their own
    address or number, or the kinds only a self-referring resident is sent. Messages to staff carry no
    resident's details (services/notifications.py) and are not theirs."""
    return exists().where(
        Referral.id == OutboxMessage.referral_id,
        Resident.id == Referral.resident_id,
        referrals,
        or_(
            and_(Referral.referrer_id.is_(None), OutboxMessage.kind.in_(RESIDENT_MESSAGE_KINDS)),
            OutboxMessage.recipient == Resident.email,
            OutboxMessage.recipient == Resident.phone,
        ),
    )


def drafts_about(ids: Iterable[uuid.UUID]) -> ColumnElement[bool]:
    """Unsent drafts that name this resident or one of their referrals ("refer elsewhere")."""
    return or_(*(ReferralDraft.data.contains(str(value)) for value in ids))


SEARCH_LIMIT = 50  # rows on the page: a search that finds more should be narrower
_PHONE = re.compile(r"\+?\d{4,}")
_REFERENCE = re.compile(r"[A-Z0-9]{8}")


@dataclass(frozen=True)
class FoundResident:
    resident: Resident
    referrals: int
    last_referral_at: datetime | None


def _phone_digits(column) -> ColumnElement:
    return func.replace(func.replace(func.replace(func.replace(column, " ", ""), "-", ""), "(", ""), ")", "")


def _search_conditions(text: str) -> list[ColumnElement[bool]]:
    text = text.replace("\x00", "").strip()
    lowered = text.lower()
    # SQLite's lower() knows only ASCII letters: the name as typed, and capitalised, catches "Ştefan" too.
    conditions = [func.lower(Resident.name).contains(lowered, autoescape=True)]
    conditions += [Resident.name.contains(variant, autoescape=True) for variant in {text, text.title(), text.upper()}]
    conditions.append(func.lower(Resident.email).contains(lowered, autoescape=True))
    compact = re.sub(r"[\s().-]", "", text)
    if _PHONE.fullmatch(compact):
        numbers = {compact}
        if compact.startswith("+44"):
            numbers.add("0" + compact[3:])
        elif compact.startswith("0"):
            numbers.add("+44" + compact[1:])
        conditions += [_phone_digits(Resident.phone).contains(number, autoescape=True) for number in numbers]
    reference = compact.upper()
    if _REFERENCE.fullmatch(reference):
        referred = select(Referral.resident_id).where(Referral.reference == f"{reference[:4]}-{reference[4:]}")
        conditions.append(Resident.id.in_(referred))
    with contextlib.suppress(ValueError):  # the resident ID shown on referral pages to admins
        conditions.append(Resident.id == uuid.UUID(text))
    return conditions


def find_residents(*, session: Session, text: str, limit: int = SEARCH_LIMIT) -> tuple[list[FoundResident], bool]:
    """Residents whose name, email, phone number, referral reference or ID matches, case-insensitively; most
    recently changed first, at most `limit` (the second value says whether there were more)."""
    residents = session.exec(
        select(Resident)
        .where(or_(*_search_conditions(text)))
        .order_by(Resident.updated_at.desc(), Resident.id)
        .limit(limit + 1)
    ).all()
    more = len(residents) > limit
    residents = residents[:limit]
    counts: dict[uuid.UUID, tuple[int, datetime | None]] = {}
    if residents:
        rows = session.exec(
            select(Referral.resident_id, func.count(), func.max(Referral.created_at))
            .where(Referral.resident_id.in_([resident.id for resident in residents]))
            .group_by(Referral.resident_id)
        ).all()
        counts = {resident_id: (count, last) for resident_id, count, last in rows}
    found = [FoundResident(resident, *counts.get(resident.id, (0, None))) for resident in residents]
    return found, more


@dataclass(frozen=True)
class OutcomeRecord:
    outcome: Outcome
    measure: Measure | None
    answers: list[tuple[MeasureItem | None, str, int]]  # (item, item code, value), in the measure's order
    recorded_by: User | None


@dataclass(frozen=True)
class ReferralRecord:
    referral: Referral
    service: Service | None
    organization: Organization | None
    referrer: User | None
    needs: list[str]
    events: list[tuple[ReferralEvent, User | None]]
    outcomes: list[OutcomeRecord]


@dataclass(frozen=True)
class AuditRecord:
    entry: AuditLog
    user: User | None
    referral_reference: str | None


@dataclass
class SubjectAccess:
    resident: Resident
    created_by: User | None
    erased_by: User | None
    referrals: list[ReferralRecord] = field(default_factory=list)
    messages: list[tuple[OutboxMessage, str | None]] = field(default_factory=list)  # (message, referral reference)
    drafts: list[tuple[ReferralDraft, User | None, DraftAnswers]] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)
    audit_complete: bool = True  # False: more than AUDIT_LIMIT entries, the newest shown

    @property
    def open_referrals(self) -> int:
        return sum(1 for record in self.referrals if not record.referral.is_closed)


def _users(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {value for value in ids if value is not None}
    if not wanted:
        return {}
    return {user.id: user for user in session.exec(select(User).where(User.id.in_(wanted))).all()}


def gather(*, session: Session, resident_id: uuid.UUID) -> SubjectAccess | None:
    """Everything held about the resident, in a fixed number of queries; None if there is no such resident."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        return None
    rows = session.exec(
        select(Referral, Service, Organization)
        .join(Service, Service.id == Referral.service_id, isouter=True)
        .join(Organization, Organization.id == Referral.organization_id, isouter=True)
        .where(Referral.resident_id == resident.id)
        .order_by(Referral.created_at, Referral.id)
    ).all()
    ids = [referral.id for referral, _service, _organization in rows]
    references = {referral.id: referral.reference for referral, _service, _organization in rows}

    needs: dict[uuid.UUID, list[str]] = defaultdict(list)
    events: dict[uuid.UUID, list[ReferralEvent]] = defaultdict(list)
    outcome_rows: list[Outcome] = []
    if ids:
        for need in session.exec(
            select(ReferralNeed).where(ReferralNeed.referral_id.in_(ids)).order_by(ReferralNeed.id)
        ):
            needs[need.referral_id].append(need.need)
        for event in session.exec(
            select(ReferralEvent).where(ReferralEvent.referral_id.in_(ids)).order_by(ReferralEvent.at, ReferralEvent.id)
        ):
            events[event.referral_id].append(event)
        outcome_rows = list(
            session.exec(select(Outcome).where(Outcome.referral_id.in_(ids)).order_by(Outcome.recorded_at)).all()
        )
    outcomes = _outcomes(session, outcome_rows)

    messages = session.exec(
        select(OutboxMessage)
        .where(messages_to_resident(Referral.resident_id == resident.id))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    drafts = session.exec(
        select(ReferralDraft).where(drafts_about([resident.id, *ids])).order_by(ReferralDraft.created_at)
    ).all()
    audit_rows = session.exec(
        select(AuditLog, Referral.reference)
        .join(Referral, Referral.id == AuditLog.referral_id, isouter=True)
        .where(AuditLog.resident_id == resident.id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(AUDIT_LIMIT + 1)
    ).all()

    user_ids = [resident.created_by_id, resident.erased_by_id]
    user_ids += [referral.referrer_id for referral, _service, _organization in rows]
    user_ids += [event.actor_id for found in events.values() for event in found]
    user_ids += [record.outcome.recorded_by_id for found in outcomes.values() for record in found]
    user_ids += [draft.user_id for draft in drafts] + [entry.user_id for entry, _reference in audit_rows]
    people = _users(session, user_ids)

    def person(user_id: int | None) -> User | None:
        return people.get(user_id) if user_id is not None else None

    return SubjectAccess(
        resident=resident,
        created_by=person(resident.created_by_id),
        erased_by=person(resident.erased_by_id),
        referrals=[
            ReferralRecord(
                referral=referral,
                service=service,
                organization=organization,
                referrer=person(referral.referrer_id),
                needs=needs[referral.id],
                events=[(event, person(event.actor_id)) for event in events[referral.id]],
                outcomes=[
                    OutcomeRecord(record.outcome, record.measure, record.answers, person(record.outcome.recorded_by_id))
                    for record in outcomes[referral.id]
                ],
            )
            for referral, service, organization in rows
        ],
        messages=[(message, references.get(message.referral_id)) for message in messages],
        drafts=[(draft, person(draft.user_id), DraftAnswers.from_json(draft.data)) for draft in drafts],
        audit=[
            AuditRecord(entry=entry, user=person(entry.user_id), referral_reference=reference)
            for entry, reference in audit_rows[:AUDIT_LIMIT]
        ],
        audit_complete=len(audit_rows) <= AUDIT_LIMIT,
    )


def _outcomes(session: Session, outcome_rows: list[Outcome]) -> dict[uuid.UUID, list[OutcomeRecord]]:
    """Each questionnaire with its answers in the measure's order, whether or not the measure is still in use."""
    found: dict[uuid.UUID, list[OutcomeRecord]] = defaultdict(list)
    if not outcome_rows:
        return found
    codes = {outcome.measure_code for outcome in outcome_rows}
    measures = {measure.code: measure for measure in session.exec(select(Measure).where(Measure.code.in_(codes)))}
    items = {
        (item.measure_code, item.code): item
        for item in session.exec(select(MeasureItem).where(MeasureItem.measure_code.in_(codes)))
    }
    scores: dict[int, list[OutcomeScore]] = defaultdict(list)
    for score in session.exec(
        select(OutcomeScore).where(OutcomeScore.outcome_id.in_([outcome.id for outcome in outcome_rows]))
    ):
        scores[score.outcome_id].append(score)
    for outcome in outcome_rows:

        def position(score: OutcomeScore, outcome=outcome) -> tuple[int, str]:
            item = items.get((outcome.measure_code, score.item_code))
            return (item.position if item else 10_000, score.item_code)

        answers = [
            (items.get((outcome.measure_code, score.item_code)), score.item_code, score.value)
            for score in sorted(scores[outcome.id], key=position)
        ]
        found[outcome.referral_id].append(OutcomeRecord(outcome, measures.get(outcome.measure_code), answers, None))
    return found


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    return aware(value).isoformat() if isinstance(value, datetime) else value.isoformat()


def _code(value) -> str | None:
    return value.value if value is not None and hasattr(value, "value") else value


def _person(user: User | None) -> dict | None:
    return {"name": user.name, "email": user.email, "role": user.role.value} if user else None


def as_json(found: SubjectAccess, *, now: datetime | None = None) -> dict:
    """The same content as the page, as plain JSON values: ISO 8601 moments, codes rather than words."""
    resident = found.resident
    return {
        "format": JSON_FORMAT,
        "generated_at": _when(now or utcnow()),
        "resident": {
            "id": str(resident.id),
            "name": resident.name,
            "phone": resident.phone,
            "email": resident.email,
            "contact_method": _code(resident.contact_method),
            "times_to_avoid": resident.times_to_avoid,
            "language": resident.language,
            "interpreter_language": resident.interpreter_language,
            "bsl_interpreter": resident.bsl_interpreter,
            "easy_read": resident.easy_read,
            "large_print": resident.large_print,
            "other_communication": resident.other_communication,
            "postcode_district": resident.outcode,
            "age_band": _code(resident.age_band),
            "priority_groups": [group.value for group in resident.groups],
            "recorded_by": _person(found.created_by),
            "created_at": _when(resident.created_at),
            "updated_at": _when(resident.updated_at),
            "erased_at": _when(resident.erased_at),
            "erased_by": _person(found.erased_by),
            "erasure_reason": resident.erasure_reason,
        },
        "referrals": [_referral_json(record) for record in found.referrals],
        "messages": [
            {
                "id": message.id,
                "referral_reference": reference,
                "kind": message.kind,
                "channel": _code(message.channel),
                "recipient": message.recipient,
                "subject": message.subject,
                "body": message.body,
                "language": message.locale,
                "status": _code(message.status),
                "created_at": _when(message.created_at),
                "sent_at": _when(message.sent_at),
            }
            for message, reference in found.messages
        ],
        "drafts": [
            {
                "id": str(draft.id),
                "started_by": _person(user),
                "created_at": _when(draft.created_at),
                "updated_at": _when(draft.updated_at),
                "answers": asdict(answers),
            }
            for draft, user, answers in found.drafts
        ],
        "audit": [
            {
                "at": _when(record.entry.at),
                "action": record.entry.action,
                "by": _person(record.user),
                "referral_reference": record.referral_reference,
            }
            for record in found.audit
        ],
        "audit_complete": found.audit_complete,
    }


def _referral_json(record: ReferralRecord) -> dict:
    referral = record.referral
    return {
        "id": str(referral.id),
        "reference": referral.reference,
        "service": record.service.name if record.service else None,
        "organisation": record.organization.name if record.organization else None,
        "referred_by": _person(record.referrer),
        "self_referral": referral.is_self_referral,
        "status": _code(referral.status),
        "urgency": _code(referral.urgency),
        "needs": record.needs,
        "reason": referral.reason,
        "decline_reason": _code(referral.decline_reason),
        "consent": {
            "given_by": referral.consent_by,
            "method": _code(referral.consent_method),
            "interpreter_language": referral.consent_interpreter_language,
            "at": _when(referral.consent_at),
            "withdrawn_at": _when(referral.consent_withdrawn_at),
        },
        "private_status_link_active": referral.status_token_hash is not None,
        "language": referral.locale,
        "created_at": _when(referral.created_at),
        "updated_at": _when(referral.updated_at),
        "answered_at": _when(referral.answered_at),
        "closed_at": _when(referral.closed_at),
        "anonymised_at": _when(referral.anonymised_at),
        "events": [
            {
                "at": _when(event.at),
                "kind": _code(event.kind),
                "from_status": _code(event.from_status),
                "to_status": _code(event.to_status),
                "by": _person(user),
                "by_resident": event.by_resident,
                "decline_reason": _code(event.decline_reason),
                "note": event.note,
            }
            for event, user in record.events
        ],
        "outcomes": [
            {
                "measure": outcome.outcome.measure_code,
                "measure_name": outcome.measure.name if outcome.measure else None,
                "stage": _code(outcome.outcome.stage),
                "recorded_at": _when(outcome.outcome.recorded_at),
                "recorded_by": _person(outcome.recorded_by),
                "by_resident": outcome.outcome.by_resident,
                "answers": {code: value for _item, code, value in outcome.answers},
            }
            for outcome in record.outcomes
        ],
    }
