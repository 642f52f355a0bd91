"""The asset map: how many services each postcode district has, by need, and where each district is.

Every figure is a COUNT(DISTINCT service) grouped in the database, never rows loaded to be counted. Only the
services the public directory lists are counted (`search_filters.filter_services`: active or temporarily closed,
from an approved organisation). A service is in every district where it has a physical place (a location with an
address); the district comes from the address's postcode. A service with no such place (by phone, online, or
visiting people at home) is counted once, in the "no fixed place" row (`outcode` None), and is not on the map.

Counts of services describe what organisations offer, never a person, so nothing is suppressed here (unlike
referral insights, where counts from 1 to 4 are hidden).
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, distinct, func, select
from sqlmodel import Session

from referral_app.models import Address, Attribute, Location, Organization, Service, ServiceAtLocation
from referral_app.services.postcodes import Place, PostcodeError, locate
from referral_app.services.search_filters import SearchQuery, filter_services
from referral_app.services.taxonomy import NEEDS, need_term_id

NEED_BY_TERM = {need_term_id(code): code for code, _name, _description in NEEDS}
_DISTRICT = re.compile(r"([A-Z]+)([0-9]+)(.*)")


@dataclass(frozen=True)
class AssetFilters:
    need: str | None = None  # a needs-taxonomy code
    outcode: str | None = None  # a postcode district: only services with a place there
    organization_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AreaRow:
    outcode: str | None  # None: services with no fixed place
    total: int  # services, each once
    by_need: dict[str, int]  # need code -> services meeting it (a service can meet several)
    place: Place | None  # the district's centre, when the district is known


@dataclass(frozen=True)
class AssetMap:
    rows: list[AreaRow]  # districts in postcode order, then the "no fixed place" row if it has services
    needs: list[str]  # the needs at least one counted service meets, in the taxonomy's order
    total: int  # services counted, each once however many districts it is in
    by_need: dict[str, int]

    @property
    def districts(self) -> list[AreaRow]:
        return [row for row in self.rows if row.outcode is not None]


def outcode_of(postal_code: ColumnElement[str]) -> ColumnElement[str]:
    """SQL for a postcode's district: "s4 7lg", "S47LG" -> "S4" (the inward part is always 3 characters);
    a district alone ("S4") stays as it is."""
    compact = func.upper(func.replace(func.trim(postal_code), " ", ""))
    return case((func.length(compact) > 4, func.substr(compact, 1, func.length(compact) - 3)), else_=compact)


def _places() -> Select:
    """(service id, district) for every physical place of a service that has a postcode."""
    return (
        select(ServiceAtLocation.service_id, outcode_of(Address.postal_code).label("outcode"))
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .join(Address, Address.location_id == Location.id)
        .where(Location.location_type == "physical", func.trim(Address.postal_code) != "")
    )


def _counted(session: Session, filters: AssetFilters) -> Subquery:
    """(service id, district or NULL) for each counted service: one row per district it is in, or one NULL row."""
    places = _places().subquery()
    statement = select(Service.id.label("service_id"), places.c.outcode).outerjoin(
        places, places.c.service_id == Service.id
    )
    # The directory's own conditions, so the map counts exactly what people can find.
    statement = filter_services(
        statement, SearchQuery(need=filters.need), dialect=session.get_bind().dialect.name, now=datetime.now(UTC)
    )
    if filters.outcode:
        statement = statement.where(places.c.outcode == filters.outcode)
    if filters.organization_id:
        statement = statement.where(Service.organization_id == filters.organization_id)
    return statement.subquery()


def _district_order(outcode: str | None) -> tuple:
    """S3, S4, S10, NR30, then anything unusual, then no fixed place."""
    if outcode is None:
        return (2,)
    match = _DISTRICT.fullmatch(outcode)
    return (0, match[1], int(match[2]), match[3]) if match else (1, outcode)


def _place(outcode: str | None) -> Place | None:
    try:
        return locate(outcode) if outcode else None
    except PostcodeError:  # a postcode typed wrongly or a district not in the centroid data: in the table only
        return None


def asset_map(*, session: Session, filters: AssetFilters) -> AssetMap:
    """Services per postcode district and per need (four aggregate queries)."""
    counted = _counted(session, filters)
    services = func.count(distinct(counted.c.service_id))
    need_links = (Attribute.link_id == counted.c.service_id, Attribute.taxonomy_term_id.in_(list(NEED_BY_TERM)))

    per_area = session.exec(select(counted.c.outcode, services).group_by(counted.c.outcode)).all()
    per_area_need = session.exec(
        select(counted.c.outcode, Attribute.taxonomy_term_id, services)
        .select_from(counted)
        .join(Attribute, and_(*need_links))
        .group_by(counted.c.outcode, Attribute.taxonomy_term_id)
    ).all()
    per_need = session.exec(
        select(Attribute.taxonomy_term_id, services)
        .select_from(counted)
        .join(Attribute, and_(*need_links))
        .group_by(Attribute.taxonomy_term_id)
    ).all()
    total = session.exec(select(services)).scalar_one()

    by_area_need: dict[str | None, dict[str, int]] = defaultdict(dict)
    for outcode, term_id, count in per_area_need:
        by_area_need[outcode][NEED_BY_TERM[term_id]] = count
    rows = [
        AreaRow(outcode=outcode, total=count, by_need=by_area_need[outcode], place=_place(outcode))
        for outcode, count in sorted(per_area, key=lambda row: _district_order(row[0]))
    ]
    by_need = {NEED_BY_TERM[term_id]: count for term_id, count in per_need}
    needs = [code for code, _name, _description in NEEDS if code in by_need]
    return AssetMap(rows=rows, needs=needs, total=total, by_need=by_need)


def organisations_listed(*, session: Session) -> list[tuple[uuid.UUID, str]]:
    """Approved organisations with at least one listed service, by name (for the organisation filter)."""
    statement = filter_services(
        select(Organization.id, Organization.name).select_from(Service).distinct(),
        SearchQuery(),
        dialect=session.get_bind().dialect.name,
        now=datetime.now(UTC),
    )
    return list(session.exec(statement.order_by(Organization.name)).all())
