"""What a list of search results shows about each service, read for a whole page at once.

Plain values rather than ORM objects: a results page is the hottest page of the directory, and loading
20 full `Service` and `Organization` entities (with every schedule and cost) cost more than its SQL.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, null, union_all
from sqlmodel import Session, select

from referral_app.models import (
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationTranslation,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
)
from referral_app.services.opening_times import Opening, opening
from referral_app.services.postcodes import Place, distance_km
from referral_app.services.search_filters import BSL_CODE


@dataclass(frozen=True)
class ServiceResult:
    service_id: uuid.UUID
    name: str  # in the reader's language when the organisation translated it, else English
    description: str
    name_locale: str  # the languages `name` and `description` are written in
    description_locale: str
    organization_name: str
    temporarily_closed: bool
    is_free: bool
    bsl: bool  # BSL-using staff, an interpreter, or BSL listed among the languages
    languages: tuple[str, ...]  # ISO 639 codes, BSL included
    charges: tuple[str, ...]  # what each cost option says it costs
    opening: Opening | None
    distance_km: float | None = None
    # Where to put the service on a map: its nearest location to `near`, else its first location by name.
    latitude: float | None = None
    longitude: float | None = None

    @property
    def spoken_languages(self) -> list[str]:
        return [code for code in self.languages if code != BSL_CODE]


# The statements are built once: building SQLAlchemy expressions for every page cost more than running them.
# `:ids` is the page's service ids, `:locale` the reader's language.
IDS = bindparam("ids", expanding=True)
LOCALE = bindparam("locale")

SERVICES = (
    select(
        Service.id,
        Service.name,
        Service.description,
        Service.status,
        Service.is_free,
        Service.bsl_staff,
        Service.bsl_interpreter,
        Organization.name.label("organization_name"),
        ServiceTranslation.name.label("translated_name"),
        ServiceTranslation.description.label("translated_description"),
        OrganizationTranslation.name.label("translated_organization_name"),
    )
    .join(Organization, Organization.id == Service.organization_id)
    .outerjoin(
        ServiceTranslation, and_(ServiceTranslation.service_id == Service.id, ServiceTranslation.locale == LOCALE)
    )
    .outerjoin(
        OrganizationTranslation,
        and_(OrganizationTranslation.organization_id == Organization.id, OrganizationTranslation.locale == LOCALE),
    )
    .where(Service.id.in_(IDS))
)
LANGUAGES = select(Language.service_id, Language.code).where(Language.service_id.in_(IDS)).order_by(Language.code)
CHARGES = select(
    CostOption.service_id, func.coalesce(func.nullif(CostOption.amount_description, ""), CostOption.option)
).where(CostOption.service_id.in_(IDS))
_PERIOD = (
    Schedule.opens_at,
    Schedule.closes_at,
    Schedule.valid_from,
    Schedule.valid_to,
    Schedule.freq,
    Schedule.byday,
    Schedule.bymonthday,
)
# The services' own schedules, then their locations' schedules. In the second part `own_service_id` is set
# when the schedule belongs to a service itself, which the first part reads (or which is another service's).
# Two indexed parts: one condition with OR made both databases read every schedule.
SCHEDULES = union_all(
    select(Schedule.service_id, null().label("own_service_id"), *_PERIOD).where(Schedule.service_id.in_(IDS)),
    select(ServiceAtLocation.service_id, Schedule.service_id.label("own_service_id"), *_PERIOD)
    .select_from(Schedule)
    .join(ServiceAtLocation, ServiceAtLocation.id == Schedule.service_at_location_id)
    .where(ServiceAtLocation.service_id.in_(IDS)),
)
PLACES = (
    select(ServiceAtLocation.service_id, Location.latitude, Location.longitude)
    .join(Location, Location.id == ServiceAtLocation.location_id)
    .where(ServiceAtLocation.service_id.in_(IDS), Location.latitude.is_not(None), Location.longitude.is_not(None))
    .order_by(Location.name, Location.id)
)


def load_results(
    *, session: Session, service_ids: list[uuid.UUID], locale: str, now: datetime, near: Place | None = None
) -> list[ServiceResult]:
    """What a results list shows about each service, in `service_ids` order, with a fixed number of queries."""
    if not service_ids:
        return []
    connection = session.connection()
    ids = {"ids": service_ids}
    services = {row.id: row for row in connection.execute(SERVICES, {**ids, "locale": locale})}
    languages, charges, schedules = defaultdict(list), defaultdict(list), defaultdict(list)
    for service_id, code in connection.execute(LANGUAGES, ids):
        languages[service_id].append(code)
    for service_id, charge in connection.execute(CHARGES, ids):
        if charge:
            charges[service_id].append(charge)
    for row in connection.execute(SCHEDULES, ids):
        if row.own_service_id is None:
            schedules[row.service_id].append(row)
    distances: dict[uuid.UUID, float] = {}
    places: dict[uuid.UUID, tuple[float, float]] = {}
    for service_id, lat, lon in connection.execute(PLACES, ids):
        if near is None:
            places.setdefault(service_id, (lat, lon))
            continue
        km = distance_km(near.latitude, near.longitude, lat, lon)
        if km < distances.get(service_id, math.inf):
            distances[service_id], places[service_id] = km, (lat, lon)
    results = []
    for service_id in service_ids:
        row = services[service_id]
        name, description = row.translated_name or None, row.translated_description or None
        latitude, longitude = places.get(service_id, (None, None))
        results.append(
            ServiceResult(
                service_id=service_id,
                name=name or row.name,
                description=description or row.description,
                name_locale=locale if name else "en",
                description_locale=locale if description else "en",
                organization_name=row.translated_organization_name or row.organization_name,
                temporarily_closed=row.status == ServiceStatus.TEMPORARILY_CLOSED,
                is_free=row.is_free,
                bsl=row.bsl_staff or row.bsl_interpreter or BSL_CODE in languages[service_id],
                languages=tuple(languages[service_id]),
                charges=tuple(charges[service_id]),
                opening=opening(schedules[service_id], now),
                distance_km=distances.get(service_id),
                latitude=latitude,
                longitude=longitude,
            )
        )
    return results
