"""Small builders for test data, added inside the test's transaction."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime, time

from sqlmodel import Session
from werkzeug.security import generate_password_hash

from referral_app.models import (
    Accessibility,
    Attribute,
    ConsentMethod,
    Language,
    Location,
    Organization,
    Referral,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Role,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    User,
)
from referral_app.services import insight_facts, users
from referral_app.services.referral_drafts import DraftAnswers
from referral_app.services.referrals import SelfReferral, create_self_referral, new_reference
from referral_app.services.residents import ResidentDetails
from referral_app.services.search_index import refresh_search_documents
from referral_app.services.taxonomy import ensure_needs_taxonomy, need_term_id

_sequence = itertools.count(1)
PASSWORD = "a-long-test-password"


def make_organization(session: Session, *, name: str | None = None, **fields) -> Organization:
    organization = Organization(name=name or f"Test organisation {next(_sequence)}", **fields)
    session.add(organization)
    session.flush()
    return organization


def make_service(
    session: Session,
    *,
    organization: Organization | None = None,
    name: str | None = None,
    status: ServiceStatus = ServiceStatus.ACTIVE,
    **fields,
) -> Service:
    organization = organization or make_organization(session)
    service = Service(
        organization_id=organization.id, name=name or f"Test service {next(_sequence)}", status=status, **fields
    )
    session.add(service)
    session.flush()
    refresh_search_documents(session=session, service_ids=[service.id])
    return service


def make_user(
    session: Session, *, role: Role = Role.LINK_WORKER, organization: Organization | None = None, **fields
) -> User:
    if role == Role.ORG_STAFF and organization is None:
        organization = make_organization(session)
    return users.create_user(
        session=session,
        email=fields.pop("email", f"user{next(_sequence)}@example.net"),
        name=fields.pop("name", "Test User"),
        password=fields.pop("password", PASSWORD),
        role=role,
        organization_id=organization.id if organization else None,
    )


def add_location(session: Session, service: Service, *, latitude: float, longitude: float, features=()) -> Location:
    location = Location(organization_id=service.organization_id, latitude=latitude, longitude=longitude, name="Hall")
    session.add(location)
    session.flush()
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    for feature in features:
        session.add(Accessibility(location_id=location.id, feature=feature))
    session.flush()
    return location


def add_schedule(session: Session, service: Service, byday: str, opens: str, closes: str, **fields) -> Schedule:
    schedule = Schedule(
        service_id=service.id,
        byday=byday,
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
        **fields,
    )
    session.add(schedule)
    session.flush()
    return schedule


def tag(session: Session, service: Service, *, needs=(), languages=()) -> Service:
    """Give a service needs-taxonomy terms and languages, and refresh its search text."""
    ensure_needs_taxonomy(session=session)
    for code in needs:
        session.add(Attribute(link_id=service.id, link_type="service", taxonomy_term_id=need_term_id(code)))
    for code in languages:
        session.add(Language(service_id=service.id, code=code))
    session.flush()
    refresh_search_documents(session=session, service_ids=[service.id])
    return service


@functools.cache
def password_hash() -> str:
    """One hash of PASSWORD for every fast account (hashing is slow on purpose)."""
    return generate_password_hash(PASSWORD)


def make_account(
    session: Session, *, role: Role = Role.LINK_WORKER, organization: Organization | None = None, **fields
) -> User:
    """A user made directly, with PASSWORD hashed once per run: for tests that need many accounts."""
    if "organization_id" not in fields:  # organization_id=None makes staff without an organisation
        if role == Role.ORG_STAFF and organization is None:
            organization = make_organization(session)
        fields["organization_id"] = organization.id if organization else None
    number = next(_sequence)
    user = User(
        email=fields.pop("email", f"account{number}@example.net"),
        name=fields.pop("name", f"Test Account {number}"),
        password_hash=password_hash(),
        role=role,
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def make_resident(session: Session, *, created_by: User | None = None, **fields) -> Resident:
    fields.setdefault("name", f"Test Resident {next(_sequence)}")
    fields.setdefault("phone", "07700 900123")
    resident = Resident(created_by_id=created_by.id if created_by else None, **fields)
    session.add(resident)
    session.flush()
    return resident


def make_referral(
    session: Session,
    *,
    service: Service,
    referrer: User | None,
    resident: Resident | None = None,
    status: ReferralStatus = ReferralStatus.SENT,
    needs: tuple[str, ...] = (),
    **fields,
) -> Referral:
    """A referral already at `status` (version 1); `referrer=None` makes a self-referral."""
    now = fields.pop("created_at", None) or datetime.now(UTC)
    resident = resident or make_resident(session, created_by=referrer)
    referral = Referral(
        reference=new_reference(),
        resident_id=resident.id,
        service_id=service.id,
        organization_id=service.organization_id,
        referrer_id=referrer.id if referrer else None,
        status=status,
        consent_by=resident.name,
        consent_method=ConsentMethod.ONLINE if referrer is None else ConsentMethod.IN_PERSON,
        consent_recorded_by_id=referrer.id if referrer else None,
        consent_at=now,
        created_at=now,
        **{"updated_at": now, **fields},
    )
    session.add(referral)
    session.flush()
    for need in needs:
        session.add(ReferralNeed(referral_id=referral.id, need=need))
    insight_facts.record(session, [referral.id])  # as the service that makes a referral does
    return referral


def complete_answers(service_id, *, name: str = "Test Resident", **changes) -> DraftAnswers:
    """A draft's answers with every page answered for a new resident, ready to send."""
    answers = DraftAnswers(
        service_id=str(service_id),
        resident_chosen=True,
        resident={"name": name, "phone": "07700 900111", "contact_method": "phone"},
        details_done=True,
        communication_done=True,
        needs=["food"],
        reason="Needs food this week",
        urgency="routine",
        consent_by=name,
        consent_method="in_person",
        consent_given=True,
    )
    for field, value in changes.items():
        setattr(answers, field, value)
    return answers


STATUS_LINK = "https://referrals.example.org/requests/{}"


def make_self_referral(session: Session, *, service: Service, locale: str = "en", now=None, **details) -> SelfReferral:
    """A resident's own request (in an app context: it writes their confirmation); its link is STATUS_LINK."""
    details = {"name": "Ion Popescu", "phone": "07700 900777", "contact_method": "sms", "language": "en", **details}
    return create_self_referral(
        session=session,
        service=service,
        details=ResidentDetails(**details),
        reason="I need a food parcel",
        needs=[],
        locale=locale,
        status_link_for=STATUS_LINK.format,
        now=now,
    )
