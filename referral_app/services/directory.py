"""Reading the directory of organisations and services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, func, select

from referral_app.models import Organization, Service, ServiceStatus

LISTED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


@dataclass(frozen=True)
class ServicePage:
    items: list[tuple[Service, Organization]]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_services(*, session: Session, text: str = "", page: int = 1, page_size: int = 20) -> ServicePage:
    """Listed services whose name, description or organisation name contains every word of `text`."""
    conditions = [Service.status.in_(LISTED_STATUSES)]
    for word in text.split()[:10]:
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(
            or_(
                func.lower(Service.name).like(pattern, escape="\\"),
                func.lower(Service.description).like(pattern, escape="\\"),
                func.lower(Organization.name).like(pattern, escape="\\"),
            )
        )
    base = select(Service, Organization).join(Organization).where(*conditions)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    page = max(1, page)
    rows = session.exec(
        base.order_by(func.lower(Service.name), Service.id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return ServicePage(items=[(s, o) for s, o in rows], total=total, page=page, page_size=page_size)


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
