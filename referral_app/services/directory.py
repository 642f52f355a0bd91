"""Reading the directory of organisations and services."""

from __future__ import annotations

import uuid

from sqlmodel import Session, func, select

from referral_app.models import Language, Organization, Service, ServiceStatus

LISTED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


def get_service(*, session: Session, service_id: uuid.UUID) -> tuple[Service, Organization] | None:
    row = session.exec(select(Service, Organization).join(Organization).where(Service.id == service_id)).first()
    return (row[0], row[1]) if row else None


def get_organization(*, session: Session, organization_id: uuid.UUID) -> Organization | None:
    return session.get(Organization, organization_id)


def services_of_organization(*, session: Session, organization_id: uuid.UUID) -> list[Service]:
    return list(
        session.exec(
            select(Service).where(Service.organization_id == organization_id).order_by(func.lower(Service.name))
        ).all()
    )


def languages_offered(*, session: Session) -> list[str]:
    """The language codes at least one listed service is offered in."""
    return list(
        session.exec(
            select(Language.code)
            .join(Service, Service.id == Language.service_id)
            .where(Service.status.in_(LISTED_STATUSES))
            .distinct()
        ).all()
    )
