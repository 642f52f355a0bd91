"""Small builders for test data, added inside the test's transaction."""

from __future__ import annotations

import itertools
from datetime import time

from sqlmodel import Session

from referral_app.models import (
    Accessibility,
    Attribute,
    Language,
    Location,
    Organization,
    Role,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    User,
)
from referral_app.services import users
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
