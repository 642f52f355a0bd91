"""The directory's side of the gaps: which postcode districts each service is in, and listings that leave people
out (no translation, no BSL video, or not checked in the last 12 months).

Listings are public records, so they are named; nothing here counts people.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, exists, func, not_, or_, select, union
from sqlmodel import Session

from referral_app.models import (
    Address,
    Attribute,
    Organization,
    OrganizationStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    TaxonomyTerm,
    Video,
)
from referral_app.services.search_filters import LISTED_STATUSES
from referral_app.services.taxonomy import NEEDS_TAXONOMY_ID


@dataclass(frozen=True)
class ListingGap:
    service_id: uuid.UUID
    name: str
    organisation: str
    translated: bool
    has_video: bool
    last_checked: date | None
    out_of_date: bool  # not checked in the last 12 months


@dataclass(frozen=True)
class ListingGaps:
    rows: list[ListingGap]  # checked longest ago first; at most `limit` of them
    count: int  # how many listings have a gap


def outcode_of(postcode: ColumnElement) -> ColumnElement:
    """A full postcode's district: all but its last 3 characters, spaces aside ("S4 7LG" -> "S4")."""
    compact = func.replace(func.upper(postcode), " ", "")
    return case((func.length(compact) > 4, func.substr(compact, 1, func.length(compact) - 3)), else_=compact)


def service_districts():
    """A subquery of (service_id, outcode): each district a service has a place in or lists among its areas."""
    at_places = select(
        ServiceAtLocation.service_id.label("service_id"), outcode_of(Address.postal_code).label("outcode")
    ).join(Address, Address.location_id == ServiceAtLocation.location_id)
    in_areas = select(ServiceArea.service_id, func.upper(ServiceArea.outcode)).where(ServiceArea.outcode.is_not(None))
    return union(at_places, in_areas).subquery("districts")


def listed() -> list[ColumnElement[bool]]:
    """Services the directory shows (as its search does), given a join to their organisation."""
    return [Service.status.in_(LISTED_STATUSES), Organization.status == OrganizationStatus.APPROVED]


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def listing_gaps(
    *, session: Session, outcode: str | None, need: str | None, today: date, limit: int | None = None
) -> ListingGaps:
    """Listed services (in this district, offering this need) with no translation, no BSL video, or not checked
    in the 12 months before `today`."""
    translated = exists().where(ServiceTranslation.service_id == Service.id)
    has_video = exists().where(Video.service_id == Service.id)
    out_of_date = or_(Service.last_verified_on.is_(None), Service.last_verified_on < a_year_before(today))
    conditions = [*listed(), or_(not_(translated), not_(has_video), out_of_date)]
    if outcode:
        districts = service_districts()
        conditions.append(exists().where(districts.c.service_id == Service.id, districts.c.outcode == outcode))
    if need:
        conditions.append(
            exists().where(
                Attribute.link_id == Service.id,
                Attribute.taxonomy_term_id == TaxonomyTerm.id,
                TaxonomyTerm.taxonomy_id == NEEDS_TAXONOMY_ID,
                TaxonomyTerm.code == need,
            )
        )
    joined = select(Service.id).join(Organization, Organization.id == Service.organization_id).where(*conditions)
    count = session.execute(select(func.count()).select_from(joined.subquery())).scalar_one()
    statement = (
        select(
            Service.id, Service.name, Organization.name, translated.label("translated"),
            has_video.label("has_video"), Service.last_verified_on, out_of_date.label("out_of_date"),
        )
        .join(Organization, Organization.id == Service.organization_id)
        .where(*conditions)
        .order_by(
            Service.last_verified_on.is_not(None), Service.last_verified_on,
            func.lower(Organization.name), func.lower(Service.name), Service.id,
        )
        .limit(limit)
    )  # fmt: skip
    return ListingGaps(rows=[ListingGap(*row) for row in session.execute(statement)], count=count)
