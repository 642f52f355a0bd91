"""Demonstration history for the insights pages: a year of fictional, anonymous-looking self-referrals and searches.

Enough referrals that every breakdown shows numbers of 5 or more somewhere, with real patterns on purpose (Roma
residents in S4 mostly declined for capacity, few referrals from rural districts, Deaf residents who search but
are rarely referred). They go to services of organisations the demo accounts do not staff, so the demo inboxes
stay readable, and they carry no private link. Seeded, so every load makes the same history; fixed ids, so
loading twice adds nothing.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, select

from referral_app.models import (
    CLOSED_STATUSES,
    Attribute,
    ConsentMethod,
    ContactMethod,
    DeclineReason,
    EventKind,
    MeasureItem,
    Organization,
    OrganizationStatus,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    Referral,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    SearchLog,
    Service,
    ServiceStatus,
    TaxonomyTerm,
)
from referral_app.models._types import utcnow
from referral_app.services.outcomes import ONS4

_NAMESPACE = uuid.UUID("5c1d3e8a-2b4f-4e6a-9d0c-1f2a3b4c5d6e")
REFERRAL_COUNT = 900
SEARCH_COUNT = 1500
S = ReferralStatus
# Organisations whose staff have demo accounts keep their inboxes to the hand-written demo referrals.
STAFFED = ("Riverside Community Hub", "New Roots Refugee Welcome")
# Postcode districts of the three demo places, and how often their residents are referred.
AREAS = {"S3": 14, "S4": 22, "S5": 12, "NR30": 14, "NR31": 8, "LD1": 3, "LD6": 2, "SY16": 2, "SY18": 1}
LANGUAGES = {
    "en": 48, "ro": 9, "sk": 6, "cs": 4, "ar": 7, "fa": 5, "prs": 2, "ps": 3, "ckb": 3, "ti": 3, "uk": 4,
    "pl": 3, "cy": 2, "bfi": 1,
}  # fmt: skip
GROUPS = {
    "roma": 0.12, "refugee_migrant": 0.22, "homeless": 0.08, "deaf_bsl": 0.03, "young_mental_health": 0.1,
    "rural_coastal": 0.15, "disabled": 0.12, "carer": 0.08,
}  # fmt: skip
# How a referral ends up: (path of statuses after "sent", weight)
PATHS = [
    ((), 8),
    ((S.ACCEPTED,), 8),
    ((S.ACCEPTED, S.CONTACTED), 10),
    ((S.ACCEPTED, S.CONTACTED, S.ATTENDED), 10),
    ((S.ACCEPTED, S.CONTACTED, S.ATTENDED, S.COMPLETED), 30),
    ((S.ACCEPTED, S.CONTACTED, S.DID_NOT_ATTEND), 9),
    ((S.DECLINED,), 18),
    ((S.WITHDRAWN,), 4),
]
DECLINE_REASONS = {
    DeclineReason.NO_CAPACITY: 45, DeclineReason.NOT_ELIGIBLE: 20, DeclineReason.NOT_SUITABLE: 20,
    DeclineReason.COULD_NOT_CONTACT: 10, DeclineReason.OTHER: 5,
}  # fmt: skip
SEARCH_TERMS = [
    ("food bank", 40), ("english classes", 25), ("debt advice", 20), ("bsl", 12), ("deaf club", 8),
    ("roma support", 10), ("immigration advice", 15), ("counselling", 18), ("housing", 20), ("dentist", 6),
    ("legal aid", 6), ("youth club", 8), ("carers", 6), ("warm space", 8), ("transport", 5),
]  # fmt: skip


def demo_insight_id(kind: str, number: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{kind}/{number}")


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_demo_insights(*, session: Session, now: datetime | None = None) -> int:
    """Add the demonstration history if it is not there yet; returns how many referrals were added."""
    if session.get(Referral, demo_insight_id("referral", 0)) is not None:
        return 0
    now = now or utcnow()
    rng = random.Random(2026)  # noqa: S311 - a repeatable demo, nothing secret
    services = _referable_services(session)
    if not services:
        return 0
    made = [_make(rng, number, services, now) for number in range(REFERRAL_COUNT)]
    # In dependency order, each kind in one batch: residents, then referrals, then their needs and events.
    for position in range(3):
        session.add_all(record for records in made for record in records[position])
        session.flush()
    for _search in range(SEARCH_COUNT):
        _add_search(session, rng, now)
    session.flush()
    _add_wellbeing(session, made)
    return REFERRAL_COUNT


def _referable_services(session: Session) -> list[tuple[Service, list[str]]]:
    rows = session.exec(
        select(Service)
        .join(Organization, Organization.id == Service.organization_id)
        .where(
            Organization.status == OrganizationStatus.APPROVED,
            Organization.name.not_in(STAFFED),
            Service.status == ServiceStatus.ACTIVE,
        )
        .order_by(Service.name)
    ).all()
    needs = {}
    for service_id, code in session.exec(
        select(Attribute.link_id, TaxonomyTerm.code).join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
    ).all():
        needs.setdefault(service_id, []).append(code)
    return [(service, sorted(needs.get(service.id, []))) for service in rows if needs.get(service.id)]


def _make(rng: random.Random, number: int, services, now: datetime) -> tuple[list, list, list]:
    """One fictional resident, their referral, and the referral's needs and events."""
    outcode = _pick(rng, AREAS)
    language = _pick(rng, LANGUAGES)
    groups = [group for group, share in GROUPS.items() if rng.random() < share]
    if outcode in ("LD1", "LD6", "SY16", "SY18", "NR30", "NR31") and "rural_coastal" not in groups:
        groups.append("rural_coastal")
    if language == "bfi" and "deaf_bsl" not in groups:
        groups.append("deaf_bsl")
    service, service_needs = rng.choice(services)
    path = _pick(rng, dict(PATHS))
    sent_at = now - timedelta(days=rng.randint(1, 364), hours=rng.randint(0, 23))
    if not path and sent_at < now - timedelta(days=14):
        path = (S.ACCEPTED, S.CONTACTED)  # only recent referrals are still waiting for an answer
    decline_reason = None
    if S.DECLINED in path:
        # A pattern to find: Roma residents in S4 are mostly turned away for lack of capacity.
        decline_reason = DeclineReason.NO_CAPACITY if "roma" in groups else _pick(rng, DECLINE_REASONS)
    resident = Resident(
        id=demo_insight_id("resident", number),
        name=f"Demo resident {number + 1}",
        contact_method=ContactMethod.SMS if language == "bfi" else ContactMethod.PHONE,
        phone="07700 900" + f"{number % 1000:03d}",
        language=language,
        interpreter_language=language if language not in ("en", "cy", "bfi") and rng.random() < 0.6 else None,
        bsl_interpreter=language == "bfi",
        easy_read=rng.random() < 0.06,
        large_print=rng.random() < 0.04,
        outcode=outcode,
        age_band=rng.choice(["16_17", "18_24", "25_34", "35_49", "50_64", "65_plus"]),
        priority_groups=" ".join(groups),
        created_at=sent_at,
    )
    referral = Referral(
        id=demo_insight_id("referral", number),
        reference=f"DEMO-H{number:04d}",
        resident_id=resident.id,
        service_id=service.id,
        organization_id=service.organization_id,
        referrer_id=None,
        reason="Demonstration referral for the insights pages.",
        consent_by=resident.name,
        consent_method=ConsentMethod.ONLINE,
        consent_at=sent_at,
        locale=language if language in ("cy", "ar", "ro", "sk", "cs", "fa", "ps", "ckb", "ti", "uk", "pl") else "en",
        created_at=sent_at,
        updated_at=sent_at,
        decline_reason=decline_reason,
    )
    need_count = 1 if rng.random() < 0.7 else 2
    details: list = [
        ReferralNeed(referral_id=referral.id, need=need)
        for need in rng.sample(service_needs, min(need_count, len(service_needs)))
    ]
    details.append(ReferralEvent(referral_id=referral.id, at=sent_at, kind=EventKind.CREATED, to_status=S.SENT))
    at, status = sent_at, S.SENT
    for to_status in path:
        at = at + timedelta(hours=rng.choice([3, 20, 30, 50, 80, 130, 200]))
        details.append(
            ReferralEvent(
                referral_id=referral.id, at=at, kind=EventKind.STATUS, from_status=status, to_status=to_status,
                decline_reason=decline_reason if to_status == S.DECLINED else None,
            )
        )  # fmt: skip
        if to_status in (S.ACCEPTED, S.DECLINED) and referral.answered_at is None:
            referral.answered_at = at
        status = to_status
    referral.status = status
    referral.version = 1 + len(path)
    referral.updated_at = at
    if status in CLOSED_STATUSES:
        referral.closed_at = at
    return [resident], [referral], details


def _add_wellbeing(session: Session, made: list[tuple[list, list, list]]) -> None:
    """ONS4 answered at the start and again at the end by most people who finished: most feel a little better,
    people referred for mental health more so, and Roma residents (often turned away) least."""
    items = session.exec(select(MeasureItem).where(MeasureItem.measure_code == ONS4)).all()
    rng = random.Random(4)  # noqa: S311 - a repeatable demo, nothing secret
    pairs = []
    for (resident,), (referral,), details in made:
        if referral.status != S.COMPLETED or rng.random() >= 0.8:
            continue
        needs = {record.need for record in details if isinstance(record, ReferralNeed)}
        pair = {
            stage: Outcome(referral_id=referral.id, measure_code=ONS4, stage=stage, recorded_at=at, by_resident=True)
            for stage, at in (
                (OutcomeStage.BASELINE, referral.created_at),
                (OutcomeStage.FOLLOW_UP, referral.closed_at),
            )
        }
        session.add_all(pair.values())
        lift = 0 if "roma" in resident.priority_groups else 2 if "mental_health" in needs else 1
        pairs.append((lift, pair))
    session.flush()
    for lift, pair in pairs:
        for item in items:
            before = rng.randint(2, 7) if not item.lower_is_better else rng.randint(4, 9)
            change = lift + rng.choice([-1, 0, 0, 1, 1, 2])
            after = min(10, max(0, before - change if item.lower_is_better else before + change))
            session.add(OutcomeScore(outcome_id=pair[OutcomeStage.BASELINE].id, item_code=item.code, value=before))
            session.add(OutcomeScore(outcome_id=pair[OutcomeStage.FOLLOW_UP].id, item_code=item.code, value=after))
    session.flush()


def _add_search(session: Session, rng: random.Random, now: datetime) -> None:
    terms = _pick(rng, dict(SEARCH_TERMS))
    outcode = _pick(rng, AREAS) if rng.random() < 0.7 else None
    locale = _pick(rng, LANGUAGES)
    # Searches for BSL and Roma support outside Sheffield find nothing: gaps the insights pages show.
    finds_nothing = (terms in ("bsl", "deaf club", "roma support") and outcode not in ("S3", "S4", "S5")) or (
        terms in ("dentist", "legal aid", "transport")
    )
    session.add(
        SearchLog(
            created_at=now - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 23)),
            terms=terms,
            filters=json.dumps({}),
            outcode=outcode,
            locale=locale,
            result_count=0 if finds_nothing else rng.randint(1, 25),
        )
    )
