"""Finding services: every filter combines, results come a page at a time with a fixed number of queries."""

from __future__ import annotations

import json
import math
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, time

from sqlalchemy import ColumnElement, Select, exists, func, or_
from sqlmodel import Session, select

from referral_app.models import (
    Accessibility,
    Attribute,
    CostOption,
    Language,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Schedule,
    SearchLog,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
    ServiceStatus,
    ServiceTranslation,
    TaxonomyTerm,
)
from referral_app.models.location import Location
from referral_app.services import search_index
from referral_app.services.opening_times import DAY_CODES, UK_TIME, Opening, opening
from referral_app.services.postcodes import Place, distance_km
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


@dataclass
class ServiceResult:
    service: Service
    organization: Organization
    name: str
    description: str
    name_locale: str  # the languages `name` and `description` are written in
    description_locale: str
    organization_name: str
    distance_km: float | None = None
    languages: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    costs: list[CostOption] = field(default_factory=list)
    opening: Opening | None = None
    # Where to put the service on a map: its nearest location to `near`, else its first location by name.
    latitude: float | None = None
    longitude: float | None = None

    @property
    def bsl(self) -> bool:
        return self.service.bsl_staff or self.service.bsl_interpreter or BSL_CODE in self.languages


@dataclass(frozen=True)
class SearchResults:
    items: list[ServiceResult]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _service_schedules(service_ids):
    """Schedules attached to the service itself or to one of its locations."""
    via_location = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(service_ids))
    return or_(Schedule.service_id.in_(service_ids), Schedule.service_at_location_id.in_(via_location))


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


def _ranked_service_ids(query: SearchQuery, *, dialect: str, now: datetime) -> tuple[Select, list]:
    """Matching service ids and their order: nearest first when `near` is set, else by name."""
    base = filter_services(select(Service.id), query, dialect=dialect, now=now)
    order = [func.lower(Service.name), Service.id]
    if query.near is not None:
        nearest = _nearest_location(query.near)
        if query.within_km is not None:
            base = base.where(nearest <= query.within_km * query.within_km)
        order = [nearest, *order]
    return base, order


def find_service_ids(
    *, session: Session, query: SearchQuery, now: datetime, page: int = 1, page_size: int = 20
) -> tuple[list[uuid.UUID], int]:
    """One page of matching service ids in result order, and how many match (a page past the end is empty)."""
    base, order = _ranked_service_ids(query, dialect=session.get_bind().dialect.name, now=now)
    # The total comes with the page (a window count), so the filters run once; only a page past the end
    # needs a count of its own.
    rows = (
        session.connection()
        .execute(  # rows of (id, total); session.exec would return only the ids
            base.add_columns(func.count().over().label("total"))
            .order_by(*order)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        .all()
    )
    if rows:
        return [row[0] for row in rows], rows[0][1]
    total = 0 if page == 1 else session.exec(select(func.count()).select_from(base.subquery())).one()
    return [], total


def search_services(
    *, session: Session, query: SearchQuery, locale: str, now: datetime, page: int = 1, page_size: int = 20
) -> SearchResults:
    """Services matching every part of `query`: nearest first when `near` is set, else by name."""
    page = max(1, page)
    page_ids, total = find_service_ids(session=session, query=query, now=now, page=page, page_size=page_size)
    if not page_ids and total:  # past the last page (an old link): show the last page
        page = math.ceil(total / page_size)
        page_ids, total = find_service_ids(session=session, query=query, now=now, page=page, page_size=page_size)
    items = load_results(session=session, service_ids=page_ids, locale=locale, now=now, near=query.near)
    return SearchResults(items=items, total=total, page=page, page_size=page_size)


def load_results(
    *, session: Session, service_ids: list[uuid.UUID], locale: str, now: datetime, near: Place | None = None
) -> list[ServiceResult]:
    """What a results list shows about each service, in `service_ids` order, with a fixed number of queries."""
    if not service_ids:
        return []
    rows = {
        s.id: (s, o)
        for s, o in session.exec(select(Service, Organization).join(Organization).where(Service.id.in_(service_ids)))
    }
    translations = {
        t.service_id: t
        for t in session.exec(
            select(ServiceTranslation).where(
                ServiceTranslation.service_id.in_(service_ids), ServiceTranslation.locale == locale
            )
        )
    }
    org_ids = {org.id for _s, org in rows.values()}
    org_names = {
        t.organization_id: t.name
        for t in session.exec(
            select(OrganizationTranslation).where(
                OrganizationTranslation.organization_id.in_(org_ids), OrganizationTranslation.locale == locale
            )
        )
        if t.name
    }
    languages, needs, costs, schedules = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for service_id, code in session.exec(
        select(Language.service_id, Language.code).where(Language.service_id.in_(service_ids)).order_by(Language.code)
    ):
        languages[service_id].append(code)
    for link_id, code in session.exec(
        select(Attribute.link_id, TaxonomyTerm.code).join(TaxonomyTerm).where(Attribute.link_id.in_(service_ids))
    ):
        if code:
            needs[link_id].append(code)
    for cost in session.exec(select(CostOption).where(CostOption.service_id.in_(service_ids))):
        costs[cost.service_id].append(cost)
    location_of = dict(
        session.exec(
            select(ServiceAtLocation.id, ServiceAtLocation.service_id).where(
                ServiceAtLocation.service_id.in_(service_ids)
            )
        ).all()
    )
    for schedule in session.exec(select(Schedule).where(_service_schedules(service_ids))):
        schedules[schedule.service_id or location_of.get(schedule.service_at_location_id)].append(schedule)
    distances: dict[uuid.UUID, float] = {}
    places: dict[uuid.UUID, tuple[float, float]] = {}
    for service_id, lat, lon in session.exec(
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(
            ServiceAtLocation.service_id.in_(service_ids),
            Location.latitude.is_not(None),
            Location.longitude.is_not(None),
        )
        .order_by(Location.name, Location.id)
    ):
        if near is None:
            places.setdefault(service_id, (lat, lon))
            continue
        km = distance_km(near.latitude, near.longitude, lat, lon)
        if km < distances.get(service_id, math.inf):
            distances[service_id], places[service_id] = km, (lat, lon)
    results = []
    for service_id in service_ids:
        service, organization = rows[service_id]
        translation = translations.get(service_id)
        name = translation.name if translation and translation.name else None
        description = translation.description if translation and translation.description else None
        latitude, longitude = places.get(service_id, (None, None))
        results.append(
            ServiceResult(
                service=service,
                organization=organization,
                name=name or service.name,
                description=description or service.description,
                name_locale=locale if name else "en",
                description_locale=locale if description else "en",
                organization_name=org_names.get(organization.id, organization.name),
                distance_km=distances.get(service_id),
                languages=languages[service_id],
                needs=needs[service_id],
                costs=costs[service_id],
                opening=opening(schedules[service_id], now),
                latitude=latitude,
                longitude=longitude,
            )
        )
    return results


def log_search(*, session: Session, query: SearchQuery, locale: str, result_count: int, now: datetime) -> SearchLog:
    """Record a search anonymously for gap analysis: what was asked, never who asked."""
    filters = {
        key: value
        for key, value in asdict(query).items()
        if key not in {"text", "near"} and value not in (None, False, (), "")
    }
    entry = SearchLog(
        created_at=now,
        terms=query.text.replace("\x00", "")[:200],  # PostgreSQL cannot store a NUL, which nobody types
        filters=json.dumps(filters, default=str, sort_keys=True),
        outcode=query.near.outcode if query.near else None,
        locale=locale,
        result_count=result_count,
    )
    session.add(entry)
    session.flush()
    return entry
