"""Opening times, ways to get in touch and places of a service, edited by its organisation's staff.

The caller has already checked, with `listings.editable_service`, that the user may edit the service;
each removal also checks that the record belongs to that service, so no id reaches another's record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

from sqlmodel import Session, select

from referral_app.models import (
    Accessibility,
    Address,
    Contact,
    ContactKind,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    User,
)
from referral_app.services.change_log import record_change
from referral_app.services.postcodes import Place


def add_opening_period(
    *, session: Session, user: User, service: Service, days: list[str], opens: time, closes: time, notes: str = ""
) -> Schedule:
    schedule = Schedule(
        service_id=service.id,
        freq="WEEKLY",
        byday=",".join(days),
        opens_at=opens,
        closes_at=closes,
        notes=notes.strip() or None,
    )
    session.add(schedule)
    session.flush()
    record_change(
        session=session,
        user_id=user.id,
        entity="schedule",
        entity_id=schedule.id,
        action="created",
        summary=f"{schedule.byday} {opens:%H:%M}-{closes:%H:%M}",
    )
    return schedule


def remove_opening_period(*, session: Session, user: User, service: Service, schedule_id: uuid.UUID) -> bool:
    schedule = session.get(Schedule, schedule_id)
    if schedule is None or schedule.service_id != service.id:
        return False
    session.delete(schedule)
    record_change(session=session, user_id=user.id, entity="schedule", entity_id=schedule_id, action="deleted")
    return True


def contact_methods(*, session: Session, service: Service) -> list[Phone]:
    return list(
        session.exec(
            select(Phone)
            .join(Contact, Contact.id == Phone.contact_id)
            .where(Contact.service_id == service.id)
            .order_by(Phone.kind, Phone.number)
        ).all()
    )


def add_contact_method(
    *, session: Session, user: User, service: Service, kind: ContactKind, value: str, description: str = ""
) -> Phone:
    contact = session.exec(select(Contact).where(Contact.service_id == service.id)).first()
    if contact is None:
        contact = Contact(service_id=service.id, name=service.name)
        session.add(contact)
        session.flush()
    phone = Phone(contact_id=contact.id, kind=kind, number=value.strip(), description=description.strip() or None)
    session.add(phone)
    session.flush()
    record_change(
        session=session, user_id=user.id, entity="phone", entity_id=phone.id, action="created", summary=kind.value
    )
    return phone


def remove_contact_method(*, session: Session, user: User, service: Service, phone_id: uuid.UUID) -> bool:
    row = session.exec(
        select(Phone)
        .join(Contact, Contact.id == Phone.contact_id)
        .where(Phone.id == phone_id, Contact.service_id == service.id)
    ).first()
    if row is None:
        return False
    session.delete(row)
    record_change(session=session, user_id=user.id, entity="phone", entity_id=phone_id, action="deleted")
    return True


@dataclass
class PlaceDetails:
    name: str
    address_1: str
    address_2: str
    city: str
    postcode: str
    place: Place  # where the postcode's district is, for distances
    features: tuple[str, ...] = ()


def locations_of(*, session: Session, service: Service) -> list[tuple[ServiceAtLocation, Location, Address | None]]:
    rows = session.exec(
        select(ServiceAtLocation, Location, Address)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .join(Address, Address.location_id == Location.id, isouter=True)
        .where(ServiceAtLocation.service_id == service.id)
        .order_by(Location.name)
    ).all()
    return list(rows)


def add_location(*, session: Session, user: User, service: Service, details: PlaceDetails) -> Location:
    location = Location(
        organization_id=service.organization_id,
        name=details.name.strip() or None,
        latitude=details.place.latitude,
        longitude=details.place.longitude,
    )
    session.add(location)
    session.flush()
    session.add(
        Address(
            location_id=location.id,
            address_1=details.address_1.strip(),
            address_2=details.address_2.strip() or None,
            city=details.city.strip(),
            postal_code=details.postcode.strip().upper(),
            country="GB",
        )
    )
    for feature in details.features:
        session.add(Accessibility(location_id=location.id, feature=feature))
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()
    record_change(
        session=session,
        user_id=user.id,
        entity="location",
        entity_id=location.id,
        action="created",
        summary=details.postcode,
    )
    return location


def remove_location(*, session: Session, user: User, service: Service, service_at_location_id: uuid.UUID) -> bool:
    link = session.get(ServiceAtLocation, service_at_location_id)
    if link is None or link.service_id != service.id:
        return False
    session.delete(link)
    record_change(session=session, user_id=user.id, entity="service_at_location", entity_id=link.id, action="deleted")
    return True


def opening_periods(*, session: Session, service: Service) -> list[Schedule]:
    return list(
        session.exec(select(Schedule).where(Schedule.service_id == service.id).order_by(Schedule.opens_at)).all()
    )
