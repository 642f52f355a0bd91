"""Demonstration referrals: fictional residents at every step of the lifecycle, so each screen has something.

Made by the demo link worker to the two demo organisations' services (and one self-referral), with fixed ids
so loading twice adds nothing. Dates are relative to the day the demo is loaded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from referral_app.models import (
    CLOSED_STATUSES,
    ONS4_ITEMS,
    ConsentMethod,
    ContactMethod,
    DeclineReason,
    EventKind,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    Referral,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Service,
    Urgency,
    User,
)
from referral_app.models._types import utcnow
from referral_app.services.referrals import token_hash
from referral_app.services.working_days import subtract_working_days

_NAMESPACE = uuid.UUID("0b7f6a43-58a1-4a39-9d7e-7c1b2f6e9a10")
S = ReferralStatus
# A demo self-referral's private link, published in the README so the status page can be tried.
DEMO_STATUS_TOKEN = "demo-self-referral-status-2026"  # noqa: S105 - demo only, in the README


@dataclass(frozen=True)
class DemoResident:
    key: str
    name: str
    language: str = "en"
    contact_method: ContactMethod = ContactMethod.PHONE
    phone: str = "07700 900000"
    email: str = ""
    outcode: str = "S4"
    age_band: str = "25_34"
    groups: str = ""
    interpreter_language: str | None = None
    bsl_interpreter: bool = False
    easy_read: bool = False
    large_print: bool = False


@dataclass(frozen=True)
class DemoReferral:
    key: str
    resident: str
    service: str  # "Organisation/Service name" as in demo_directory
    path: tuple[ReferralStatus, ...]  # statuses after "sent", in order
    working_days_ago: int
    needs: tuple[str, ...]
    reason: str
    urgency: Urgency = Urgency.ROUTINE
    decline_reason: DeclineReason | None = None
    baseline: tuple[int, ...] = ()
    follow_up: tuple[int, ...] = ()
    self_referral: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


RIVERSIDE = "Riverside Community Hub"
NEW_ROOTS = "New Roots Refugee Welcome"

RESIDENTS = [
    DemoResident(
        "ana",
        "Ana Lakatos",
        language="ro",
        contact_method=ContactMethod.SMS,
        phone="07700 900101",
        groups="roma",
        interpreter_language="ro",
        age_band="35_49",
    ),
    DemoResident(
        "samir",
        "Samir Haidari",
        language="prs",
        contact_method=ContactMethod.LINK_WORKER,
        phone="07700 900102",
        groups="refugee_migrant",
        interpreter_language="prs",
        age_band="18_24",
    ),
    DemoResident(
        "grace",
        "Grace Okafor",
        contact_method=ContactMethod.EMAIL,
        email="grace@example.com",
        outcode="S3",
        age_band="50_64",
        groups="carer",
    ),
    DemoResident(
        "tom",
        "Tom Hale",
        language="bfi",
        contact_method=ContactMethod.VIDEO_RELAY,
        phone="07700 900104",
        outcode="S5",
        groups="deaf_bsl",
        bsl_interpreter=True,
        age_band="65_plus",
        large_print=True,
    ),
    DemoResident(
        "mia",
        "Mia Clarke",
        contact_method=ContactMethod.SMS,
        phone="07700 900105",
        outcode="S4",
        age_band="16_17",
        groups="young_mental_health",
        easy_read=True,
    ),
    DemoResident(
        "olena",
        "Olena Kovalenko",
        language="uk",
        contact_method=ContactMethod.PHONE,
        phone="07700 900106",
        outcode="S3",
        groups="refugee_migrant",
        interpreter_language="uk",
        age_band="25_34",
    ),
    DemoResident(
        "dan",
        "Dan Moss",
        contact_method=ContactMethod.PHONE,
        phone="07700 900107",
        outcode="S4",
        groups="homeless",
        age_band="35_49",
    ),
    DemoResident(
        "leyla",
        "Leyla Ahmed",
        language="ar",
        contact_method=ContactMethod.SMS,
        phone="07700 900108",
        outcode="S5",
        groups="refugee_migrant",
        interpreter_language="ar",
        age_band="25_34",
    ),
]

REFERRALS = [
    DemoReferral(
        "ana-food",
        "ana",
        f"{RIVERSIDE}/Community food pantry",
        (),
        7,
        ("food",),
        "No money for food until her next payment. Three children at home.",
        Urgency.SOON,
    ),
    DemoReferral(
        "tom-digital",
        "tom",
        f"{RIVERSIDE}/Digital drop-in",
        (),
        1,
        ("digital", "deaf_community"),
        "Wants to set up video relay on his new tablet to call his GP.",
    ),
    DemoReferral(
        "dan-money",
        "dan",
        f"{RIVERSIDE}/Money and debt advice drop-in",
        (S.ACCEPTED,),
        4,
        ("money", "housing"),
        "Rent arrears letter from the council. Worried about eviction.",
        Urgency.URGENT,
    ),
    DemoReferral(
        "grace-money",
        "grace",
        f"{RIVERSIDE}/Money and debt advice drop-in",
        (S.ACCEPTED, S.CONTACTED),
        9,
        ("money", "carers"),
        "Cares for her husband; energy bills doubled.",
        baseline=(4, 6, 5, 7),
    ),
    DemoReferral(
        "olena-digital",
        "olena",
        f"{RIVERSIDE}/Digital drop-in",
        (S.ACCEPTED, S.CONTACTED, S.ATTENDED, S.COMPLETED),
        30,
        ("digital", "employment"),
        "Needs help with her Universal Credit journal and job search online.",
        baseline=(3, 5, 4, 8),
        follow_up=(6, 7, 6, 4),
        notes=("Came to three sessions; now confident.",),
    ),
    DemoReferral(
        "mia-food",
        "mia",
        f"{RIVERSIDE}/Community food pantry",
        (S.ACCEPTED, S.CONTACTED, S.DID_NOT_ATTEND),
        15,
        ("food", "mental_health"),
        "Lives alone at 17; skipping meals.",
        Urgency.SOON,
    ),
    DemoReferral(
        "samir-immigration",
        "samir",
        f"{NEW_ROOTS}/Immigration and asylum advice",
        (S.ACCEPTED,),
        3,
        ("immigration",),
        "Asylum interview next month; has no adviser.",
        Urgency.URGENT,
    ),
    DemoReferral(
        "leyla-english",
        "leyla",
        f"{NEW_ROOTS}/English conversation club",
        (S.DECLINED,),
        6,
        ("english_language",),
        "Wants to practise English for the school run.",
        decline_reason=DeclineReason.NO_CAPACITY,
        notes=("Our groups are full until March.",),
    ),
    DemoReferral(
        "ana-withdrawn",
        "ana",
        f"{RIVERSIDE}/Digital drop-in",
        (S.WITHDRAWN,),
        12,
        ("digital",),
        "Wanted help with a phone; her daughter is helping instead.",
    ),
    DemoReferral(
        "self-food",
        "leyla",
        f"{RIVERSIDE}/Community food pantry",
        (),
        2,
        (),
        "I need food for my family this week.",
        self_referral=True,
    ),
]


def demo_key_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{kind}/{key}")


def load_demo_referrals(*, session: Session, service_ids: dict[str, uuid.UUID], now: datetime | None = None) -> int:
    """Add the demo residents and referrals that are missing; returns how many referrals were added."""
    now = now or utcnow()
    link_worker = session.exec(select(User).where(User.email == "linkworker@example.org")).first()
    if link_worker is None:
        return 0
    residents = {}
    for spec in RESIDENTS:
        resident = session.get(Resident, demo_key_id("resident", spec.key))
        if resident is None:
            resident = Resident(
                id=demo_key_id("resident", spec.key),
                name=spec.name,
                phone=spec.phone or None,
                email=spec.email or None,
                contact_method=spec.contact_method,
                language=spec.language,
                interpreter_language=spec.interpreter_language,
                bsl_interpreter=spec.bsl_interpreter,
                easy_read=spec.easy_read,
                large_print=spec.large_print,
                outcode=spec.outcode,
                age_band=spec.age_band,
                priority_groups=spec.groups,
                created_by_id=link_worker.id,
            )
            session.add(resident)
        residents[spec.key] = resident
    session.flush()
    added = 0
    for spec in REFERRALS:
        if session.get(Referral, demo_key_id("referral", spec.key)) is not None:
            continue
        service = session.get(Service, service_ids[spec.service])
        _add_referral(session, spec, service, residents[spec.resident], link_worker, now)
        added += 1
    session.flush()
    return added


def _add_referral(session: Session, spec: DemoReferral, service, resident, link_worker, now: datetime) -> None:
    sent_at = subtract_working_days(now, spec.working_days_ago)
    referrer = None if spec.self_referral else link_worker
    referral = Referral(
        id=demo_key_id("referral", spec.key),
        reference=f"DEMO-{len(spec.key):02d}{spec.key[:2].upper()}",
        resident_id=resident.id,
        service_id=service.id,
        organization_id=service.organization_id,
        referrer_id=referrer.id if referrer else None,
        reason=spec.reason,
        urgency=spec.urgency,
        consent_by=resident.name,
        consent_method=ConsentMethod.ONLINE if spec.self_referral else ConsentMethod.IN_PERSON,
        consent_recorded_by_id=referrer.id if referrer else None,
        consent_at=sent_at,
        status_token_hash=token_hash(DEMO_STATUS_TOKEN) if spec.self_referral else None,
        created_at=sent_at,
        updated_at=sent_at,
    )
    session.add(referral)
    session.flush()
    for need in spec.needs:
        session.add(ReferralNeed(referral_id=referral.id, need=need))
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=sent_at,
            kind=EventKind.CREATED,
            to_status=S.SENT,
            actor_id=referrer.id if referrer else None,
            by_resident=spec.self_referral,
        )
    )
    staff = session.exec(
        select(User).where(User.organization_id == service.organization_id, User.active).order_by(User.id)
    ).first()
    at, status = sent_at, S.SENT
    for step, to_status in enumerate(spec.path, start=1):
        at = sent_at + timedelta(days=step, hours=2)
        by_referrer = to_status == S.WITHDRAWN
        session.add(
            ReferralEvent(
                referral_id=referral.id,
                at=at,
                kind=EventKind.STATUS,
                from_status=status,
                to_status=to_status,
                actor_id=link_worker.id if by_referrer else (staff.id if staff else None),
                decline_reason=spec.decline_reason if to_status == S.DECLINED else None,
                note=spec.notes[0] if spec.notes and step == len(spec.path) else "",
            )
        )
        if to_status in (S.ACCEPTED, S.DECLINED) and referral.answered_at is None:
            referral.answered_at = at
        status = to_status
    referral.status = status
    referral.version = 1 + len(spec.path)
    referral.updated_at = at
    referral.decline_reason = spec.decline_reason
    if status in CLOSED_STATUSES:
        referral.closed_at = at
    session.add(referral)
    for stage, values in ((OutcomeStage.BASELINE, spec.baseline), (OutcomeStage.FOLLOW_UP, spec.follow_up)):
        if values:
            outcome = Outcome(
                referral_id=referral.id, measure_code="ons4", stage=stage, recorded_at=at, recorded_by_id=link_worker.id
            )
            session.add(outcome)
            session.flush()
            for item, value in zip(ONS4_ITEMS, values, strict=True):
                session.add(OutcomeScore(outcome_id=outcome.id, item_code=item, value=value))
