"""What each Open Referral UK API endpoint answers: the directory read a page at a time, as ORUK dicts.

Filtering services always goes through `search_filters.filter_services`/`search.find_service_ids`, so the API finds
exactly what the search page finds. Every function runs a fixed number of queries.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, or_
from sqlmodel import Session, select

from referral_app.models import (
    Attribute,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from referral_app.services import oruk_api, search_index
from referral_app.services.search import SearchQuery, find_service_ids
from referral_app.services.search_filters import filter_services, squared_distance_km
from referral_app.services.service_records import AttributeRecord, ServiceRecord, load_service_records


def _page(session: Session, statement: Select, order: list, *, page: int, per_page: int) -> tuple[list, int]:
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = list(session.exec(statement.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all())
    return rows, total


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def services_page(*, session: Session, query: SearchQuery, now: datetime, page: int, per_page: int) -> dict:
    """Listed services matching `query` (nearest first when it has a place), one-to-one fields only."""
    ids, total = find_service_ids(session=session, query=query, now=now, page=page, page_size=per_page)
    rows = {
        service.id: (service, organization)
        for service, organization in session.exec(
            select(Service, Organization)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Service.id.in_(ids))
        )
    }
    contents = [oruk_api.service_item(*rows[service_id]) for service_id in ids]
    return oruk_api.page_envelope(contents, total=total, page=page, per_page=per_page)


def _shown_service(session: Session, service_id: uuid.UUID) -> ServiceRecord | None:
    """The whole record of a service of an approved organisation (whatever the service's status)."""
    record = load_service_records(session=session, service_ids=[service_id]).get(service_id)
    if record is None or record.organization.status != OrganizationStatus.APPROVED:
        return None
    return record


def service_detail(*, session: Session, service_id: uuid.UUID) -> dict | None:
    record = _shown_service(session, service_id)
    return oruk_api.service_full(record) if record else None


def service_at_locations_page(*, session: Session, query: SearchQuery, now: datetime, page: int, per_page: int) -> dict:
    """Each place a listed service matching `query` is offered: nearest first when `query.near` is set."""
    statement = filter_services(
        select(ServiceAtLocation.id)
        .select_from(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id),
        query,
        dialect=session.get_bind().dialect.name,
        now=now,
    )
    order = [func.lower(Service.name), func.lower(func.coalesce(Location.name, "")), ServiceAtLocation.id]
    if query.near is not None:
        d2 = squared_distance_km(query.near)
        if query.within_km is not None:
            statement = statement.where(
                Location.latitude.is_not(None), Location.longitude.is_not(None), d2 <= query.within_km**2
            )
        order = [or_(Location.latitude.is_(None), Location.longitude.is_(None)), d2, *order]
    ids, total = _page(session, statement, order, page=page, per_page=per_page)
    rows = {
        row[0].id: row
        for row in session.exec(
            select(ServiceAtLocation, Location, Service, Organization)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .join(Organization, Organization.id == Service.organization_id)
            .where(ServiceAtLocation.id.in_(ids))
        )
    }
    contents = [oruk_api.service_at_location_item(*rows[sal_id]) for sal_id in ids]
    return oruk_api.page_envelope(contents, total=total, page=page, per_page=per_page)


def service_at_location_detail(*, session: Session, service_at_location_id: uuid.UUID) -> dict | None:
    service_id = session.exec(
        select(ServiceAtLocation.service_id).where(ServiceAtLocation.id == service_at_location_id)
    ).first()
    record = _shown_service(session, service_id) if service_id else None
    if record is None:
        return None
    [sal] = [s for s in record.service_at_locations if s.service_at_location.id == service_at_location_id]
    return oruk_api.service_at_location_full(record, sal)


def organizations_page(*, session: Session, search: str, page: int, per_page: int) -> dict:
    """Approved organisations whose name or description contains every word of `search`, by name."""
    statement = select(Organization).where(Organization.status == OrganizationStatus.APPROVED)
    for word in search_index.search_words(search):
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            or_(
                func.lower(Organization.name).like(pattern, escape="\\"),
                func.lower(Organization.description).like(pattern, escape="\\"),
            )
        )
    rows, total = _page(
        session, statement, [func.lower(Organization.name), Organization.id], page=page, per_page=per_page
    )
    contents = [oruk_api.organization_item(organization) for organization in rows]
    return oruk_api.page_envelope(contents, total=total, page=page, per_page=per_page)


def organization_detail(*, session: Session, organization_id: uuid.UUID) -> dict | None:
    """An approved organisation with all its services in full, whatever their status."""
    organization = session.get(Organization, organization_id)
    if organization is None or organization.status != OrganizationStatus.APPROVED:
        return None
    service_ids = session.exec(
        select(Service.id)
        .where(Service.organization_id == organization_id)
        .order_by(func.lower(Service.name), Service.id)
    ).all()
    records = load_service_records(session=session, service_ids=list(service_ids))
    translations = session.exec(
        select(OrganizationTranslation)
        .where(OrganizationTranslation.organization_id == organization_id)
        .order_by(OrganizationTranslation.locale)
    ).all()
    attributes = [
        AttributeRecord(attribute=item, term=term, taxonomy=taxonomy)
        for item, term, taxonomy in session.exec(
            select(Attribute, TaxonomyTerm, Taxonomy)
            .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
            .outerjoin(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Attribute.link_id == organization_id)
            .order_by(TaxonomyTerm.name, Attribute.id)
        )
    ]
    return oruk_api.organization_full(
        organization, translations=list(translations), attributes=attributes, services=list(records.values())
    )


def taxonomies_page(*, session: Session, page: int, per_page: int) -> dict:
    rows, total = _page(
        session, select(Taxonomy), [func.lower(Taxonomy.name), Taxonomy.id], page=page, per_page=per_page
    )
    contents = [oruk_api.taxonomy_item(taxonomy) for taxonomy in rows]
    return oruk_api.page_envelope(contents, total=total, page=page, per_page=per_page)


def taxonomy_detail(*, session: Session, taxonomy_id: uuid.UUID) -> dict | None:
    """A taxonomy with all its terms."""
    taxonomy = session.get(Taxonomy, taxonomy_id)
    if taxonomy is None:
        return None
    terms = session.exec(
        select(TaxonomyTerm)
        .where(TaxonomyTerm.taxonomy_id == taxonomy_id)
        .order_by(func.lower(TaxonomyTerm.name), TaxonomyTerm.id)
    ).all()
    return oruk_api.taxonomy_item(taxonomy, list(terms))


def taxonomy_terms_page(*, session: Session, taxonomy_id: uuid.UUID | None, page: int, per_page: int) -> dict:
    statement = select(TaxonomyTerm, Taxonomy).outerjoin(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
    if taxonomy_id is not None:
        statement = statement.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    order = [func.lower(func.coalesce(Taxonomy.name, "")), func.lower(TaxonomyTerm.name), TaxonomyTerm.id]
    rows, total = _page(session, statement, order, page=page, per_page=per_page)
    contents = [oruk_api.taxonomy_term(term, taxonomy) for term, taxonomy in rows]
    return oruk_api.page_envelope(contents, total=total, page=page, per_page=per_page)


def taxonomy_term_detail(*, session: Session, term_id: uuid.UUID) -> dict | None:
    row = session.exec(
        select(TaxonomyTerm, Taxonomy)
        .outerjoin(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(TaxonomyTerm.id == term_id)
    ).first()
    return oruk_api.taxonomy_term(*row) if row else None
