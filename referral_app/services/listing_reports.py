"""Anonymous reports of problems with a listing, seen and resolved by its organisation and by admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from referral_app.models import ListingReport, Organization, ReportReason, Role, Service, User
from referral_app.models._types import utcnow
from referral_app.services.change_log import record_change

MAX_DETAILS = 1000


@dataclass(frozen=True)
class ReportRow:
    report: ListingReport
    service: Service
    organization: Organization


def create_report(
    *, session: Session, service_id: uuid.UUID, reason: ReportReason, details: str, locale: str
) -> ListingReport:
    report = ListingReport(service_id=service_id, reason=reason, details=details.strip()[:MAX_DETAILS], locale=locale)
    session.add(report)
    session.flush()
    return report


def _visible_to(user: User):
    statement = (
        select(ListingReport, Service, Organization)
        .join(Service, Service.id == ListingReport.service_id)
        .join(Organization, Organization.id == Service.organization_id)
    )
    if user.role == Role.ADMIN:
        return statement
    if user.role == Role.ORG_STAFF and user.organization_id:
        return statement.where(Service.organization_id == user.organization_id)
    return statement.where(False)


def reports_for(*, session: Session, user: User, resolved: bool) -> list[ReportRow]:
    """Open (or resolved) reports about services this user looks after: their organisation's, or all for admins."""
    done = ListingReport.resolved_at.is_not(None) if resolved else ListingReport.resolved_at.is_(None)
    rows = session.exec(_visible_to(user).where(done).order_by(ListingReport.created_at.desc(), ListingReport.id))
    return [ReportRow(report=r, service=s, organization=o) for r, s, o in rows]


def resolve_report(
    *, session: Session, user: User, report_id: int, note: str, now: datetime | None = None
) -> ListingReport | None:
    """Mark a report resolved; None when this user may not see it (so the caller answers 404)."""
    row = session.exec(_visible_to(user).where(ListingReport.id == report_id)).first()
    if row is None:
        return None
    report = row[0]
    if report.resolved_at is None:
        report.resolved_at = now or utcnow()
        report.resolved_by_id = user.id
        report.resolution_note = note.strip()[:MAX_DETAILS]
        session.add(report)
        record_change(session=session, user_id=user.id, entity="listing_report", entity_id=report.id, action="resolved")
    return report
