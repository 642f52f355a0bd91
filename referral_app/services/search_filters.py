"""Which services match a search, and in which order: the SQL condition for each filter.

Both the search page and the Open Referral UK API filter through `filter_services`, so they find the same
services for the same question.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_
from sqlmodel import select

from referral_app.models import (
    Accessibility,
    Attribute,
    Contact,
    Language,
    Organization,
    OrganizationStatus,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
    ServiceStatus,
    TaxonomyTerm,
)
from referral_app.models.location import Location
from referral_app.services import search_index
from referral_app.services.opening_times import DAY_CODES, UK_TIME
from referral_app.services.postcodes import Place
from referral_app.services.taxonomy import need_term_id

LISTED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
DELIVERY_MODES = ("in_person", "online", "phone")
BSL_CODE = "bfi"


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    need: str | None = None  # a needs-taxonomy code
    term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    language: str | None = None  # ISO 639 code
    bsl: bool = False  # BSL-using staff, an interpreter, or BSL listed
    accessibility: tuple[str, ...] = ()
    contact: tuple[str, ...] = ()  # ways to get in touch the service offers, all of them: any of CONTACT_WAYS
    free_only: bool = False
    age: int | None = None  # eligible at this age
    open_now: bool = False
    day: str | None = None  # MO..SU
    opens_by: time | None = None  # with `day`: open at some point between opens_by and closes_after
    closes_after: time | None = None
    delivery: tuple[str, ...] = ()  # any of DELIVERY_MODES
    near: Place | None = None
    within_km: float | None = None
    # Open Referral UK filters, read literally from its API: the service's own age limits lie within these
    # bounds (no minimum counts as 0, no maximum as unbounded) ...
    minimum_age_at_least: float | None = None
    maximum_age_at_most: float | None = None
    # ... a session (on `day`, when given) starts at or after `starts_from` and ends by `ends_by` ...
    starts_from: time | None = None
    ends_by: time | None = None
    # ... and a postcode district is inside the service's areas, when it lists areas by district.
    covers_outcode: str | None = None


def _has_schedule(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    own = exists().where(Schedule.service_id == Service.id, *conditions)
    at_location = exists().where(
        Schedule.service_at_location_id == ServiceAtLocation.id, ServiceAtLocation.service_id == Service.id, *conditions
    )
    return or_(own, at_location)


def _runs_on_day(code: str, today=None) -> list[ColumnElement[bool]]:
    conditions = [func.upper(Schedule.byday).like(f"%{code}%")]
    if today is not None:
        conditions += [
            or_(Schedule.valid_from.is_(None), Schedule.valid_from <= today),
            or_(Schedule.valid_to.is_(None), Schedule.valid_to >= today),
        ]
    return conditions


def _session_window(query: SearchQuery) -> list[ColumnElement[bool]]:
    window = []
    if query.starts_from is not None:
        window.append(Schedule.opens_at >= query.starts_from)
    if query.ends_by is not None:
        window.append(Schedule.closes_at <= query.ends_by)
    return window


# Deaf-friendly ways to get in touch a search can ask for: email, or a `phone` record of these kinds.
CONTACT_WAYS = ("sms", "email", "video_relay", "relay_uk")


def _offers_contact(way: str) -> ColumnElement[bool]:
    if way == "email":
        return and_(Service.email.is_not(None), Service.email != "")
    return exists().where(Contact.service_id == Service.id, Phone.contact_id == Contact.id, Phone.kind == way)


def conditions_for(query: SearchQuery, *, dialect: str, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Service.status.in_(LISTED_STATUSES),
        Organization.status == OrganizationStatus.APPROVED,
    ]
    words = search_index.search_words(query.text)
    if words:
        conditions.append(search_index.matches_text(dialect=dialect, words=words))
    term_ids = [tid for tid in (query.term_id, need_term_id(query.need) if query.need else None) if tid]
    for term_id in term_ids:
        conditions.append(exists().where(Attribute.link_id == Service.id, Attribute.taxonomy_term_id == term_id))
    if query.taxonomy_id:
        conditions.append(
            exists().where(
                Attribute.link_id == Service.id,
                Attribute.taxonomy_term_id == TaxonomyTerm.id,
                TaxonomyTerm.taxonomy_id == query.taxonomy_id,
            )
        )
    if query.language:
        conditions.append(exists().where(Language.service_id == Service.id, Language.code == query.language))
    if query.bsl:
        conditions.append(
            or_(
                Service.bsl_staff,
                Service.bsl_interpreter,
                exists().where(Language.service_id == Service.id, Language.code == BSL_CODE),
            )
        )
    for way in query.contact:
        conditions.append(_offers_contact(way))
    for feature in query.accessibility:
        conditions.append(
            exists().where(
                ServiceAtLocation.service_id == Service.id,
                Accessibility.location_id == ServiceAtLocation.location_id,
                Accessibility.feature == feature,
            )
        )
    if query.free_only:
        conditions.append(Service.is_free)
    if query.age is not None:
        conditions += [
            or_(Service.minimum_age.is_(None), Service.minimum_age <= query.age),
            or_(Service.maximum_age.is_(None), Service.maximum_age >= query.age),
        ]
    if query.open_now:
        local = now.astimezone(UK_TIME)
        clock = local.time().replace(tzinfo=None, microsecond=0)
        conditions.append(
            _has_schedule(
                *_runs_on_day(DAY_CODES[local.weekday()], local.date()),
                Schedule.opens_at <= clock,
                Schedule.closes_at > clock,
            )
        )
    if query.day:
        extra = []
        if query.opens_by is not None:
            extra.append(Schedule.opens_at <= query.opens_by)
        if query.closes_after is not None:
            extra.append(Schedule.closes_at >= query.closes_after)
        conditions.append(_has_schedule(*_runs_on_day(query.day), *extra, *_session_window(query)))
    elif _session_window(query):
        conditions.append(_has_schedule(*_session_window(query)))
    if query.minimum_age_at_least is not None:
        conditions.append(func.coalesce(Service.minimum_age, 0) >= query.minimum_age_at_least)
    if query.maximum_age_at_most is not None:
        conditions.append(Service.maximum_age <= query.maximum_age_at_most)
    if query.covers_outcode:
        conditions.append(
            or_(
                ~exists().where(ServiceArea.service_id == Service.id, ServiceArea.outcode.is_not(None)),
                exists().where(
                    ServiceArea.service_id == Service.id, func.upper(ServiceArea.outcode) == query.covers_outcode
                ),
            )
        )
    if query.delivery:
        columns = {"in_person": Service.in_person, "online": Service.online, "phone": Service.by_phone}
        conditions.append(or_(*(columns[mode] for mode in query.delivery)))
    return conditions


def squared_distance_km(place: Place) -> ColumnElement[float]:
    """A location's squared flat-earth distance to `place` in km² (degrees scaled to km, for ordering)."""
    km_per_degree = 111.195
    scale = math.cos(math.radians(place.latitude))
    return ((Location.latitude - place.latitude) * km_per_degree) * (
        (Location.latitude - place.latitude) * km_per_degree
    ) + ((Location.longitude - place.longitude) * km_per_degree * scale) * (
        (Location.longitude - place.longitude) * km_per_degree * scale
    )


NO_LOCATION_KM2 = 1e12  # sorts services without a location (online, phone) after every place


def _nearest_location(place: Place) -> ColumnElement[float]:
    """The service's smallest squared distance to `place`, as a correlated subquery.

    Evaluated only for services that pass the filters, through the service_at_location index: far
    cheaper than grouping every location in the directory before filtering.
    """
    return func.coalesce(
        select(func.min(squared_distance_km(place)))
        .select_from(ServiceAtLocation)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(
            ServiceAtLocation.service_id == Service.id,
            Location.latitude.is_not(None),
            Location.longitude.is_not(None),
        )
        .correlate(Service)
        .scalar_subquery(),
        NO_LOCATION_KM2,
    )


def filter_services(statement: Select, query: SearchQuery, *, dialect: str, now: datetime) -> Select:
    """`statement` (which selects from Service) joined to what `query` needs and keeping only matching services."""
    statement = statement.join(Organization, Organization.id == Service.organization_id)
    if search_index.search_words(query.text):
        statement = statement.join(ServiceSearch, ServiceSearch.service_id == Service.id)
    return statement.where(*conditions_for(query, dialect=dialect, now=now))


def ranked_service_ids(query: SearchQuery, *, dialect: str, now: datetime) -> tuple[Select, list]:
    """Matching service ids and their order: nearest first when `near` is set, else by name."""
    base = filter_services(select(Service.id), query, dialect=dialect, now=now)
    order = [func.lower(Service.name), Service.id]
    if query.near is not None:
        nearest = _nearest_location(query.near)
        if query.within_km is not None:
            base = base.where(nearest <= query.within_km * query.within_km)
        order = [nearest, *order]
    return base, order
