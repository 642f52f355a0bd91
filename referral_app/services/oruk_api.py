"""Open Referral UK 3.0 JSON (the UK profile of HSDS 3.0) from our records, and the paging envelope.

Pure functions: records in, dicts ready for `jsonify` out. Empty values are left out rather than sent
as null, because the schemas type them as strings or numbers. Fields the UK profile dropped or never had
(language name and code, phones, translations, how to apply, who it is for, BSL...) are added: the
schemas allow extra properties, and consumers need them.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from babel import Locale

from referral_app.languages import NAMES_MISSING_FROM_CLDR
from referral_app.models import (
    Accessibility,
    Address,
    ContactKind,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationTranslation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)
from referral_app.services.service_records import (
    AttributeRecord,
    ContactRecord,
    LocationRecord,
    PhoneRecord,
    ServiceAtLocationRecord,
    ServiceRecord,
)
from referral_app.services.taxonomy import ACCESSIBILITY_FEATURES

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/developers"
LOCATION_TYPES = ("physical", "postal", "virtual")
SCHEDULE_FREQUENCIES = ("WEEKLY", "MONTHLY")
PHONE_KINDS = {
    ContactKind.SMS: "Text message (SMS)",
    ContactKind.RELAY_UK: "Relay UK: dial 18001 then the number",
    ContactKind.VIDEO_RELAY: "BSL video relay service",
    ContactKind.VIDEO_CALL: "Video call",
    ContactKind.WHATSAPP: "WhatsApp",
}
ACCESSIBILITY_NAMES = dict(ACCESSIBILITY_FEATURES)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def page_envelope(contents: list[dict], *, total: int, page: int, per_page: int) -> dict:
    """The ORUK paging fields around one page of `contents` (`size` is how many are on this page)."""
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None and value != ""}


def _uri(value: str | None) -> str | None:
    """An absolute http(s) address, adding https:// to a bare domain; None if it is not one."""
    text = (value or "").strip()
    if not text:
        return None
    if "://" not in text and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", text):
        text = f"https://{text}"
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc and " " not in text else None


def _email(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if _EMAIL.match(text) else None


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _datetime(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with milliseconds; SQLite gives back naive datetimes, which were stored in UTC."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@cache
def _english_language_names() -> dict[str, str]:
    return dict(Locale("en").languages)


def language_name(code: str) -> str:
    """The English name of a language code (ISO 639), falling back to the code itself."""
    if code in NAMES_MISSING_FROM_CLDR:
        return NAMES_MISSING_FROM_CLDR[code]
    names = _english_language_names()
    return names.get(code) or names.get(code.replace("-", "_")) or code


def organization_item(organization: Organization) -> dict:
    """An organisation's one-to-one fields (organization_list.json)."""
    return _clean(
        {
            "id": str(organization.id),
            "name": organization.name,
            "description": organization.description or "",
            "email": _email(organization.email),
            "website": _uri(organization.website),
            "logo": organization.logo,
            "uri": _uri(organization.uri),
            "parent_organization_id": str(organization.parent_organization_id)
            if organization.parent_organization_id
            else None,
        }
    ) | {"description": organization.description or ""}


def _organization_translation(translation: OrganizationTranslation) -> dict:
    return _clean({"locale": translation.locale, "name": translation.name, "description": translation.description})


def organization_full(
    organization: Organization,
    *,
    translations: list[OrganizationTranslation],
    attributes: list[AttributeRecord],
    services: list[ServiceRecord],
) -> dict:
    """A fully nested organisation (organization.json) with its services in full."""
    return organization_item(organization) | {
        "translations": [_organization_translation(t) for t in translations],
        "attributes": [attribute(a) for a in attributes],
        "services": [service_full(record, with_organization=False) for record in services],
    }


def taxonomy_item(taxonomy: Taxonomy, terms: list[TaxonomyTerm] | None = None) -> dict:
    """A taxonomy (taxonomy.json), with its terms when given."""
    fields = _clean(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "uri": _uri(taxonomy.uri),
            "version": taxonomy.version,
        }
    ) | {"description": taxonomy.description or ""}
    if terms is not None:
        fields["taxonomy_terms"] = [taxonomy_term(term, taxonomy) for term in terms]
    return fields


def taxonomy_term(term: TaxonomyTerm, taxonomy: Taxonomy | None) -> dict:
    """A taxonomy term (taxonomy_term.json); `term` is our code, `taxonomy` the taxonomy's name."""
    return _clean(
        {
            "id": str(term.id),
            "name": term.name,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": taxonomy.name if taxonomy else None,
            "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
            "term_uri": _uri(term.term_uri),
            "term": term.code,
        }
    ) | {"description": term.description or ""}


def attribute(linked: AttributeRecord) -> dict:
    item = linked.attribute
    return _clean(
        {
            "id": str(item.id),
            "link_id": str(item.link_id),
            "taxonomy_term_id": str(item.taxonomy_term_id),
            "link_type": item.link_type,
            "link_entity": item.link_entity,
            "value": item.value,
            "taxonomy_term": taxonomy_term(linked.term, linked.taxonomy),
        }
    )


def service_item(service: Service, organization: Organization | None = None) -> dict:
    """A service's one-to-one fields (service_list.json), with its organisation when given."""
    fields = _clean(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "description": service.description,
            "url": _uri(service.url),
            "email": _email(service.email),
            "status": service.status.value,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _date(service.last_verified_on),
            "assurer_email": _email(service.assurer_email),
            "alert": service.alert,
            "last_modified": _datetime(service.updated_at),
            "application_process": service.application_process,
            "eligibility_description": service.eligibility_description,
        }
    )
    fields |= {
        "is_free": service.is_free,
        "bsl_staff": service.bsl_staff,
        "bsl_interpreter": service.bsl_interpreter,
        "in_person": service.in_person,
        "online": service.online,
        "by_phone": service.by_phone,
    }
    if organization is not None:
        fields["organization"] = organization_item(organization)
    return fields


def _service_translation(translation: ServiceTranslation) -> dict:
    return _clean(
        {
            "locale": translation.locale,
            "name": translation.name,
            "description": translation.description,
            "application_process": translation.application_process,
            "eligibility_description": translation.eligibility_description,
        }
    )


def schedule(item: Schedule) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "service_id": str(item.service_id) if item.service_id else None,
            "service_at_location_id": str(item.service_at_location_id) if item.service_at_location_id else None,
            "valid_from": _date(item.valid_from),
            "valid_to": _date(item.valid_to),
            "dtstart": _date(item.dtstart),
            "freq": (item.freq or "").upper() if (item.freq or "").upper() in SCHEDULE_FREQUENCIES else None,
            "interval": item.interval,
            "byday": item.byday,
            "bymonthday": item.bymonthday,
            "description": item.description,
            "opens_at": _time(item.opens_at),
            "closes_at": _time(item.closes_at),
            "schedule_link": _uri(item.schedule_link),
            "attending_type": item.attending_type,
            "notes": item.notes,
        }
    )


def language(item: Language) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "service_id": str(item.service_id) if item.service_id else None,
            "phone_id": str(item.phone_id) if item.phone_id else None,
            "name": item.name or language_name(item.code),
            "code": item.code,
            "note": item.note,
        }
    )


def _phone(record: PhoneRecord) -> dict:
    item = record.phone
    label = PHONE_KINDS.get(item.kind)
    description = ": ".join(part for part in (label, item.description) if part)
    return _clean(
        {
            "id": str(item.id),
            "contact_id": str(item.contact_id) if item.contact_id else None,
            "number": item.number,
            "description": description,
            "kind": item.kind.value,
            "languages": [language(lang) for lang in record.languages],
        }
    )


def _contact(record: ContactRecord) -> dict:
    item = record.contact
    return _clean(
        {
            "id": str(item.id),
            "service_id": str(item.service_id) if item.service_id else None,
            "name": item.name,
            "title": item.title,
            "phones": [_phone(phone) for phone in record.phones],
            "attributes": [attribute(a) for a in record.attributes],
        }
    )


def _cost_option(item: CostOption) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "service_id": str(item.service_id),
            "valid_from": _date(item.valid_from),
            "valid_to": _date(item.valid_to),
            "option": item.option,
            "amount": item.amount,
            "amount_description": item.amount_description,
        }
    )


def _service_area(item: ServiceArea) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "service_id": str(item.service_id),
            "name": item.name,
            "extent": item.extent,
            "extent_type": item.extent_type,
            "uri": item.uri,
            "service_area": item.service_area,
            "outcode": item.outcode,
        }
    )


def _address(item: Address) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "location_id": str(item.location_id),
            "attention": item.attention,
            "address_2": item.address_2,
            "region": item.region,
        }
    ) | {
        "address_1": item.address_1 or "",
        "city": item.city or "",
        "state_province": item.state_province or "",
        "postal_code": item.postal_code or "",
        "country": item.country or "GB",
        "address_type": item.address_type if item.address_type in LOCATION_TYPES else "physical",
    }


def _accessibility(item: Accessibility) -> dict:
    return _clean(
        {
            "id": str(item.id),
            "location_id": str(item.location_id),
            "accessibility": ACCESSIBILITY_NAMES.get(item.feature or "", item.feature),
            "feature": item.feature,
            "description": item.description,
            "details": item.details,
            "url": _uri(item.url),
        }
    )


def location_item(item: Location) -> dict:
    """A location's one-to-one fields."""
    return _clean(
        {
            "id": str(item.id),
            "location_type": item.location_type if item.location_type in LOCATION_TYPES else "physical",
            "name": item.name,
            "description": item.description,
            "latitude": item.latitude,
            "longitude": item.longitude,
            "external_identifier": item.external_identifier,
            "external_identifier_type": item.external_identifier_type,
        }
    )


def location_full(record: LocationRecord) -> dict:
    return location_item(record.location) | {
        "addresses": [_address(a) for a in record.addresses],
        "accessibility": [_accessibility(a) for a in record.accessibility],
        "attributes": [attribute(a) for a in record.attributes],
    }


def _service_at_location(record: ServiceAtLocationRecord) -> dict:
    sal = record.service_at_location
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_full(record.location),
        "schedules": [schedule(s) for s in record.schedules],
    }


def service_full(record: ServiceRecord, *, with_organization: bool = True, with_locations: bool = True) -> dict:
    """A fully nested service (compiled/service.json).

    `schedules` holds all of the service's schedules, its own and those of each of its locations (these
    carry `service_at_location_id`), so a consumer reading only the service still sees every opening time;
    each service_at_location also lists its own.
    """
    fields = service_item(record.service, record.organization if with_organization else None) | {
        "translations": [_service_translation(t) for t in record.translations.values()],
        "schedules": [schedule(s) for s in record.all_schedules],
        "service_areas": [_service_area(a) for a in record.service_areas],
        "languages": [language(item) for item in record.languages],
        "cost_options": [_cost_option(c) for c in record.cost_options],
        "contacts": [_contact(c) for c in record.contacts],
        "attributes": [attribute(a) for a in record.attributes],
    }
    if with_organization:
        fields["organization"] |= {
            "translations": [_organization_translation(t) for t in record.organization_translations.values()]
        }
    if with_locations:
        fields["service_at_locations"] = [_service_at_location(sal) for sal in record.service_at_locations]
    return fields


def service_at_location_item(
    sal: ServiceAtLocation, location: Location, service: Service, organization: Organization
) -> dict:
    """A service at a location's one-to-one fields (service_at_location_list.json)."""
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_item(location),
        "service": service_item(service, organization),
    }


def service_at_location_full(record: ServiceRecord, sal: ServiceAtLocationRecord) -> dict:
    """A fully nested service at a location (compiled/service_at_location.json)."""
    return _service_at_location(sal) | {"service": service_full(record, with_locations=False)}
