"""Whole service records: each service with everything that hangs off it, for many services at once.

`load_service_records` runs the same 13 queries however many services it is asked for (batch `IN`
queries and subqueries, never one query per row), so a page of 5 or of 100 costs the same number of
round trips. It returns the SQLModel objects themselves, grouped in plain dataclasses; how they are
shown (JSON for the API, HTML for the service page) is up to the caller.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, select

from referral_app.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationTranslation,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)


@dataclass
class AttributeRecord:
    """A link from a record to a taxonomy term, with the term and its taxonomy (None if it has none)."""

    attribute: Attribute
    term: TaxonomyTerm
    taxonomy: Taxonomy | None


@dataclass
class PhoneRecord:
    phone: Phone
    languages: list[Language] = field(default_factory=list)


@dataclass
class ContactRecord:
    contact: Contact
    phones: list[PhoneRecord] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)


@dataclass
class LocationRecord:
    location: Location
    addresses: list[Address] = field(default_factory=list)
    accessibility: list[Accessibility] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)


@dataclass
class ServiceAtLocationRecord:
    service_at_location: ServiceAtLocation
    location: LocationRecord
    schedules: list[Schedule] = field(default_factory=list)  # those attached to this service at this location


@dataclass
class ServiceRecord:
    service: Service
    organization: Organization
    translations: dict[str, ServiceTranslation] = field(default_factory=dict)  # by locale
    organization_translations: dict[str, OrganizationTranslation] = field(default_factory=dict)
    organization_attributes: list[AttributeRecord] = field(default_factory=list)
    cost_options: list[CostOption] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    service_areas: list[ServiceArea] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)  # the service's own (Schedule.service_id)
    service_at_locations: list[ServiceAtLocationRecord] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)

    @property
    def all_schedules(self) -> list[Schedule]:
        """The service's own schedules, then those of each of its locations."""
        return [*self.schedules, *(s for sal in self.service_at_locations for s in sal.schedules)]


def load_service_records(*, session: Session, service_ids: list[uuid.UUID]) -> dict[uuid.UUID, ServiceRecord]:
    """Every service in `service_ids` that exists, with all its parts, keyed by id in `service_ids` order."""
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return {}
    rows = {
        service.id: (service, organization)
        for service, organization in session.exec(
            select(Service, Organization)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Service.id.in_(ids))
        )
    }
    records = {sid: ServiceRecord(service=rows[sid][0], organization=rows[sid][1]) for sid in ids if sid in rows}
    if not records:
        return {}
    by_organization = defaultdict(list)
    for record in records.values():
        by_organization[record.organization.id].append(record)

    # Subqueries rather than lists of child ids, so that no query depends on an earlier one's size.
    organization_ids = select(Service.organization_id).where(Service.id.in_(ids))
    location_ids = select(ServiceAtLocation.location_id).where(ServiceAtLocation.service_id.in_(ids))
    sal_ids = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(ids))
    contact_ids = select(Contact.id).where(Contact.service_id.in_(ids))
    phone_ids = select(Phone.id).where(Phone.contact_id.in_(contact_ids))

    for translation in session.exec(
        select(ServiceTranslation).where(ServiceTranslation.service_id.in_(ids)).order_by(ServiceTranslation.locale)
    ):
        records[translation.service_id].translations[translation.locale] = translation
    for translation in session.exec(
        select(OrganizationTranslation)
        .where(OrganizationTranslation.organization_id.in_(organization_ids))
        .order_by(OrganizationTranslation.locale)
    ):
        for record in by_organization[translation.organization_id]:
            record.organization_translations[translation.locale] = translation
    for cost in session.exec(
        select(CostOption).where(CostOption.service_id.in_(ids)).order_by(CostOption.option, CostOption.id)
    ):
        records[cost.service_id].cost_options.append(cost)
    for area in session.exec(
        select(ServiceArea).where(ServiceArea.service_id.in_(ids)).order_by(ServiceArea.name, ServiceArea.id)
    ):
        records[area.service_id].service_areas.append(area)

    contacts: dict[uuid.UUID, ContactRecord] = {}
    for contact in session.exec(select(Contact).where(Contact.service_id.in_(ids)).order_by(Contact.name, Contact.id)):
        contacts[contact.id] = ContactRecord(contact=contact)
        records[contact.service_id].contacts.append(contacts[contact.id])
    phones: dict[uuid.UUID, PhoneRecord] = {}
    for phone in session.exec(select(Phone).where(Phone.contact_id.in_(contact_ids)).order_by(Phone.id)):
        phones[phone.id] = PhoneRecord(phone=phone)
        contacts[phone.contact_id].phones.append(phones[phone.id])
    for language in session.exec(
        select(Language)
        .where(or_(Language.service_id.in_(ids), Language.phone_id.in_(phone_ids)))
        .order_by(Language.code, Language.id)
    ):
        if language.phone_id in phones:
            phones[language.phone_id].languages.append(language)
        elif language.service_id in records:
            records[language.service_id].languages.append(language)

    sals: dict[uuid.UUID, ServiceAtLocationRecord] = {}
    locations: dict[uuid.UUID, list[LocationRecord]] = defaultdict(list)
    for sal, location in session.exec(
        select(ServiceAtLocation, Location)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(ids))
        .order_by(func.lower(func.coalesce(Location.name, "")), ServiceAtLocation.id)
    ):
        # A location shared by two services gets one LocationRecord each; the model objects are shared.
        location_record = LocationRecord(location=location)
        locations[location.id].append(location_record)
        sals[sal.id] = ServiceAtLocationRecord(service_at_location=sal, location=location_record)
        records[sal.service_id].service_at_locations.append(sals[sal.id])
    for address in session.exec(
        select(Address).where(Address.location_id.in_(location_ids)).order_by(Address.address_type, Address.id)
    ):
        for location_record in locations[address.location_id]:
            location_record.addresses.append(address)
    for feature in session.exec(
        select(Accessibility)
        .where(Accessibility.location_id.in_(location_ids))
        .order_by(Accessibility.feature, Accessibility.id)
    ):
        for location_record in locations[feature.location_id]:
            location_record.accessibility.append(feature)

    for schedule in session.exec(
        select(Schedule)
        .where(or_(Schedule.service_id.in_(ids), Schedule.service_at_location_id.in_(sal_ids)))
        .order_by(Schedule.opens_at, Schedule.byday, Schedule.id)
    ):
        if schedule.service_at_location_id in sals:
            sals[schedule.service_at_location_id].schedules.append(schedule)
        elif schedule.service_id in records:
            records[schedule.service_id].schedules.append(schedule)

    for attribute, term, taxonomy in session.exec(
        select(Attribute, TaxonomyTerm, Taxonomy)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .outerjoin(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(
            or_(
                Attribute.link_id.in_(ids),
                Attribute.link_id.in_(location_ids),
                Attribute.link_id.in_(contact_ids),
                Attribute.link_id.in_(organization_ids),
            )
        )
        .order_by(TaxonomyTerm.name, Attribute.id)
    ):
        linked = AttributeRecord(attribute=attribute, term=term, taxonomy=taxonomy)
        if attribute.link_id in records:
            records[attribute.link_id].attributes.append(linked)
        if attribute.link_id in contacts:
            contacts[attribute.link_id].attributes.append(linked)
        for location_record in locations.get(attribute.link_id, []):
            location_record.attributes.append(linked)
        for record in by_organization.get(attribute.link_id, []):
            record.organization_attributes.append(linked)
    return records
