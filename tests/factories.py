"""Small builders for test data, added inside the test's transaction."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from referral_app.models import Organization, Role, Service, ServiceStatus, User
from referral_app.services import users

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
