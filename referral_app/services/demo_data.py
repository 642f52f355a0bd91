"""Demonstration data: the directory in `demo_directory` plus one account per role.

Loading twice changes nothing: every record has a fixed id derived from a stable name and is only added
when missing. Demo accounts exist only through this module. Never load it into a real deployment.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import date, time, timedelta

from sqlmodel import Session, SQLModel, select

from referral_app.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Phone,
    Role,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
)
from referral_app.services import insight_facts, media, users
from referral_app.services.demo_directory import (
    AREA_NAMES,
    LANGUAGE_NAMES,
    ORGANIZATIONS,
    SERVICES,
    VENUES,
    Listing,
    Org,
    Venue,
)
from referral_app.services.demo_gaps import load_demo_gaps
from referral_app.services.demo_insights import load_demo_insights
from referral_app.services.demo_media import load_demo_videos
from referral_app.services.demo_referrals import load_demo_referrals
from referral_app.services.postcodes import locate
from referral_app.services.search_index import refresh_search_documents
from referral_app.services.taxonomy import ACCESSIBILITY_FEATURES, ensure_needs_taxonomy, need_term_id

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published in the README, demo only
VERIFIED_ON = date(2026, 10, 1)  # when most listings were last checked; each listing is dated relative to it
_NAMESPACE = uuid.UUID("6f1c7a52-3d1e-4b8e-9c59-0d5f0e1a2b3c")
_FEATURE_NAMES = dict(ACCESSIBILITY_FEATURES)

ACCOUNTS = [
    ("admin@example.org", "Ada Admin", Role.ADMIN, None),
    ("linkworker@example.org", "Lee Linkworker", Role.LINK_WORKER, None),
    ("orgstaff@example.org", "Olu Riverside", Role.ORG_STAFF, "Riverside Community Hub"),
    ("orgstaff2@example.org", "Nadia Newroots", Role.ORG_STAFF, "New Roots Refugee Welcome"),
    ("commissioner@example.org", "Cam Commissioner", Role.COMMISSIONER, None),
]


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


def service_key(listing: Listing) -> str:
    return f"{listing.org}/{listing.name}"


def demo_service_ids() -> list[uuid.UUID]:
    return [demo_id(service_key(listing)) for listing in SERVICES]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _organization_records(org: Org) -> list[SQLModel]:
    status = OrganizationStatus.PENDING if org.pending else OrganizationStatus.APPROVED
    return [
        Organization(
            id=demo_id(org.name),
            name=org.name,
            description=org.description,
            email=org.email,
            website=org.website,
            status=status,
        )
    ]


def _venue_records(venue: Venue) -> list[SQLModel]:
    key = f"location/{venue.key}"
    place = locate(venue.postal_code)
    location_id = demo_id(key)
    records: list[SQLModel] = [
        Location(
            id=location_id,
            organization_id=demo_id(venue.org),
            name=venue.name,
            latitude=round(place.latitude + venue.offset[0], 6),
            longitude=round(place.longitude + venue.offset[1], 6),
        ),
        Address(
            id=demo_id(f"{key}/address"),
            location_id=location_id,
            address_1=venue.address_1,
            city=venue.city,
            postal_code=venue.postal_code,
            country="GB",
        ),
    ]
    records += [
        Accessibility(
            id=demo_id(f"{key}/accessibility/{feature}"),
            location_id=location_id,
            feature=feature,
            description=_FEATURE_NAMES[feature],
        )
        for feature in venue.features
    ]
    return records


def _service_records(listing: Listing, org: Org, verified_on: date) -> list[SQLModel]:
    key = service_key(listing)
    service_id = demo_id(key)
    records: list[SQLModel] = [
        Service(
            id=service_id,
            organization_id=demo_id(listing.org),
            name=listing.name,
            description=listing.description,
            url=f"{org.website}/{_slug(listing.name)}",
            email=listing.email or org.email,
            status=listing.status,
            application_process=listing.application_process,
            eligibility_description=listing.eligibility,
            minimum_age=listing.minimum_age,
            maximum_age=listing.maximum_age,
            is_free=listing.cost is None,
            bsl_staff=listing.bsl_staff,
            bsl_interpreter=listing.bsl_interpreter,
            in_person=listing.in_person,
            online=listing.online,
            by_phone=listing.by_phone,
            last_verified_on=verified_on + timedelta(days=listing.verified),
        )
    ]
    at_ids = {venue: demo_id(f"{key}/at/{venue}") for venue in listing.venues}
    records += [
        ServiceAtLocation(id=at_id, service_id=service_id, location_id=demo_id(f"location/{venue}"))
        for venue, at_id in at_ids.items()
    ]
    records += [
        Schedule(
            id=demo_id(f"{key}/schedule/{number}"),
            service_id=None if hours.at else service_id,
            service_at_location_id=at_ids[hours.at] if hours.at else None,
            freq="WEEKLY",
            byday=hours.byday,
            opens_at=time.fromisoformat(hours.opens),
            closes_at=time.fromisoformat(hours.closes),
            notes=hours.notes,
        )
        for number, hours in enumerate(listing.hours)
    ]
    if listing.phones:
        contact_id = demo_id(f"{key}/contact")
        records.append(Contact(id=contact_id, service_id=service_id, name=listing.contact))
        records += [
            Phone(
                id=demo_id(f"{key}/phone/{number}"),
                contact_id=contact_id,
                number=reach.number,
                description=reach.description,
                kind=reach.kind,
            )
            for number, reach in enumerate(listing.phones)
        ]
    records += [
        Language(id=demo_id(f"{key}/language/{code}"), service_id=service_id, code=code, name=LANGUAGE_NAMES[code])
        for code in listing.languages
    ]
    if listing.cost:
        option, amount, description = listing.cost
        records.append(
            CostOption(
                id=demo_id(f"{key}/cost"),
                service_id=service_id,
                option=option,
                amount=amount,
                amount_description=description,
            )
        )
    records += [
        ServiceArea(
            id=demo_id(f"{key}/area/{outcode}"), service_id=service_id, name=AREA_NAMES[outcode], outcode=outcode
        )
        for outcode in listing.areas
    ]
    records += [
        Attribute(
            id=demo_id(f"{key}/need/{code}"),
            link_id=service_id,
            link_type="service",
            link_entity="service",
            taxonomy_term_id=need_term_id(code),
        )
        for code in listing.needs
    ]
    return records


# Parents before children, so each flush satisfies the foreign keys.
_INSERT_ORDER: list[type[SQLModel]] = [
    Organization, Location, Address, Accessibility, Service, ServiceAtLocation, Schedule, Contact, Phone, Language,
    CostOption, ServiceArea, Attribute,
]  # fmt: skip


def _existing_ids(session: Session, model: type[SQLModel], ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        found.update(session.exec(select(model.id).where(model.id.in_(ids[start : start + 500]))).all())
    return found


def _add_missing(session: Session, records: Iterable[SQLModel]) -> dict[type[SQLModel], int]:
    """Add the records whose id is not in the database yet, a table at a time, parents first."""
    by_model: dict[type[SQLModel], list[SQLModel]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    added = {}
    for model in _INSERT_ORDER:
        rows = by_model.get(model, [])
        existing = _existing_ids(session, model, [row.id for row in rows])
        missing = [row for row in rows if row.id not in existing]
        session.add_all(missing)
        session.flush()
        added[model] = len(missing)
    return added


def _add_translations(session: Session) -> None:
    org_ids = [demo_id(org.name) for org in ORGANIZATIONS]
    have_org = set(
        session.exec(
            select(OrganizationTranslation.organization_id, OrganizationTranslation.locale).where(
                OrganizationTranslation.organization_id.in_(org_ids)
            )
        ).all()
    )
    for org in ORGANIZATIONS:
        for locale, text in org.translations.items():
            if (demo_id(org.name), locale) not in have_org:
                session.add(
                    OrganizationTranslation(
                        organization_id=demo_id(org.name), locale=locale, name=text.name, description=text.description
                    )
                )
    have_service = set(
        session.exec(
            select(ServiceTranslation.service_id, ServiceTranslation.locale).where(
                ServiceTranslation.service_id.in_(demo_service_ids())
            )
        ).all()
    )
    for listing in SERVICES:
        service_id = demo_id(service_key(listing))
        for locale, text in listing.translations.items():
            if (service_id, locale) not in have_service:
                session.add(
                    ServiceTranslation(
                        service_id=service_id,
                        locale=locale,
                        name=text.name,
                        description=text.description,
                        application_process=text.application_process,
                        eligibility_description=text.eligibility_description,
                    )
                )
    session.flush()


def load_demo_data(
    *, session: Session, verified_on: date | None = None, media_store: media.MediaStore | None = None
) -> str:
    """Add whatever demonstration records are missing; returns a one-line report.

    With a `media_store`, demonstration BSL videos are added too (generated sample clips, labelled as such).

    `verified_on` is when most listings were last checked (default VERIFIED_ON); the others are dated
    relative to it, a few of them more than a year earlier.
    """
    verified_on = verified_on or VERIFIED_ON
    ensure_needs_taxonomy(session=session)
    orgs = {org.name: org for org in ORGANIZATIONS}
    records: list[SQLModel] = []
    for org in ORGANIZATIONS:
        records += _organization_records(org)
    for venue in VENUES:
        records += _venue_records(venue)
    for listing in SERVICES:
        records += _service_records(listing, orgs[listing.org], verified_on)
    added = _add_missing(session, records)
    _add_translations(session)
    accounts = 0
    for email, name, role, org_name in ACCOUNTS:
        if users.get_user_by_email(session=session, email=email) is None:
            users.create_user(
                session=session,
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                organization_id=demo_id(org_name) if org_name else None,
            )
            accounts += 1
    refresh_search_documents(session=session, service_ids=demo_service_ids())
    referrals = load_demo_referrals(
        session=session, service_ids={service_key(listing): demo_id(service_key(listing)) for listing in SERVICES}
    )
    history = load_demo_insights(session=session)
    if history:
        load_demo_gaps(session=session)  # searches for the gap views, added once with the history
    if referrals or history:
        insight_facts.rebuild(session)  # made row by row above, outside the services that record them
    videos = 0
    if media_store is not None:
        service_ids = {service_key(listing): demo_id(service_key(listing)) for listing in SERVICES}
        videos = load_demo_videos(session=session, store=media_store, service_ids=service_ids)
    return (
        f"Demo data: added {added[Organization]} organisations, {added[Service]} services, {accounts} accounts, "
        f"{referrals} referrals (and {history} for the insights pages), {videos} demonstration BSL videos."
    )
