"""Admins looking after every organisation: creating, editing and approving them.

Each change is recorded in the change log with who made it. Services `flush`; the view commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, case, func, select

from referral_app.models import Organization, OrganizationStatus, Service
from referral_app.models._types import utcnow
from referral_app.services.change_log import record_change
from referral_app.services.search_index import refresh_search_documents

ENTITY = "organization"
EDITABLE_FIELDS = ("name", "description", "email", "website")
# Fields whose words are part of each of the organisation's services' search text.
SEARCHED_FIELDS = frozenset({"name", "description"})


@dataclass(frozen=True)
class OrganizationDetails:
    """What an admin types about an organisation; empty optional values are stored as empty/None."""

    name: str
    description: str = ""
    email: str | None = None
    website: str | None = None

    def cleaned(self) -> OrganizationDetails:
        return OrganizationDetails(
            name=self.name.strip(),
            description=self.description.strip(),
            email=(self.email or "").strip() or None,
            website=(self.website or "").strip() or None,
        )


@dataclass(frozen=True)
class OrganizationRow:
    organization: Organization
    service_count: int

    @property
    def pending(self) -> bool:
        return self.organization.status == OrganizationStatus.PENDING


def list_organizations(*, session: Session) -> list[OrganizationRow]:
    """Every organisation with how many services it has: those awaiting approval first, then by name."""
    service_count = func.count(Service.id)
    pending_first = case((Organization.status == OrganizationStatus.PENDING, 0), else_=1)
    rows = session.exec(
        select(Organization, service_count)
        .join(Service, Service.organization_id == Organization.id, isouter=True)
        .group_by(Organization.id)
        .order_by(pending_first, func.lower(Organization.name), Organization.id)
    ).all()
    return [OrganizationRow(organization=organization, service_count=count) for organization, count in rows]


def get_organization(*, session: Session, organization_id: uuid.UUID) -> Organization | None:
    return session.get(Organization, organization_id)


def _service_ids(session: Session, organization_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(select(Service.id).where(Service.organization_id == organization_id)).all())


def create_organization(
    *, session: Session, user_id: int | None, details: OrganizationDetails, now: datetime | None = None
) -> Organization:
    """Add an organisation; one an admin creates is approved straight away."""
    details = details.cleaned()
    now = now or utcnow()
    organization = Organization(
        name=details.name,
        description=details.description,
        email=details.email,
        website=details.website,
        status=OrganizationStatus.APPROVED,
        created_at=now,
        updated_at=now,
    )
    session.add(organization)
    session.flush()
    record_change(
        session=session,
        user_id=user_id,
        entity=ENTITY,
        entity_id=organization.id,
        action="created",
        summary=f"Created {details.name}",
    )
    return organization


def update_organization(
    *,
    session: Session,
    user_id: int | None,
    organization: Organization,
    details: OrganizationDetails,
    now: datetime | None = None,
) -> list[str]:
    """Save an organisation's details; returns the names of the fields that changed (none: nothing recorded)."""
    details = details.cleaned()
    changed = [field for field in EDITABLE_FIELDS if getattr(organization, field) != getattr(details, field)]
    if not changed:
        return []
    for field in changed:
        setattr(organization, field, getattr(details, field))
    organization.updated_at = now or utcnow()
    session.add(organization)
    session.flush()
    record_change(
        session=session,
        user_id=user_id,
        entity=ENTITY,
        entity_id=organization.id,
        action="updated",
        summary="Changed " + ", ".join(changed),
    )
    if SEARCHED_FIELDS.intersection(changed):
        refresh_search_documents(session=session, service_ids=_service_ids(session, organization.id))
    return changed


def approve_organization(
    *, session: Session, user_id: int | None, organization: Organization, now: datetime | None = None
) -> bool:
    """Approve a pending organisation so its services are listed; False when it was already approved."""
    if organization.status == OrganizationStatus.APPROVED:
        return False
    organization.status = OrganizationStatus.APPROVED
    organization.updated_at = now or utcnow()
    session.add(organization)
    session.flush()
    record_change(
        session=session,
        user_id=user_id,
        entity=ENTITY,
        entity_id=organization.id,
        action="approved",
        summary=f"Approved {organization.name}",
    )
    return True
