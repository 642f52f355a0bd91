"""The demonstration directory: realistic, complete enough to demo every journey, and honest about its gaps."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from referral_app.models import (
    Address,
    Attribute,
    ContactKind,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
    ServiceStatus,
    ServiceTranslation,
    TaxonomyTerm,
)
from referral_app.services import demo_directory as directory
from referral_app.services.demo_data import VERIFIED_ON, demo_id, demo_service_ids, load_demo_data, service_key
from referral_app.services.opening_times import day_codes
from referral_app.services.postcodes import distance_km, locate, normalise_outcode
from referral_app.services.taxonomy import ACCESSIBILITY_CODES, NEED_CODES

TODAY = date(2026, 11, 24)
DRAMA_NUMBER = re.compile(r"^(0114 496 0\d{3}|01632 960\d{3}|07700 900\d{3}|0808 157 0\d{3})$")
KEPT_SERVICES = {
    "Riverside Community Hub/Community food pantry": ServiceStatus.ACTIVE,
    "Riverside Community Hub/Money and debt advice drop-in": ServiceStatus.ACTIVE,
    "Riverside Community Hub/Tuesday lunch club": ServiceStatus.TEMPORARILY_CLOSED,
    "New Roots Refugee Welcome/Immigration and asylum advice": ServiceStatus.ACTIVE,
    "New Roots Refugee Welcome/English conversation club": ServiceStatus.ACTIVE,
    "Deaf Connect/BSL social club": ServiceStatus.ACTIVE,
    "Deaf Connect/Deaf advocacy service": ServiceStatus.ACTIVE,
    "Open Door Youth Wellbeing/Young people's peer support group": ServiceStatus.ACTIVE,
    "Open Door Youth Wellbeing/Evening text support": ServiceStatus.INACTIVE,
}


def services_in(session: Session, outcodes: tuple[str, ...]) -> list[Service]:
    """Every service (any status) that covers one of these districts or has a venue in one."""
    by_area = select(ServiceArea.service_id).where(ServiceArea.outcode.in_(outcodes))
    postcodes = session.exec(
        select(ServiceAtLocation.service_id, Address.postal_code).join(
            Address, Address.location_id == ServiceAtLocation.location_id
        )
    ).all()
    by_venue = {service_id for service_id, postcode in postcodes if normalise_outcode(postcode) in outcodes}
    return list(session.exec(select(Service).where(Service.id.in_(by_area) | Service.id.in_(by_venue))).all())


def need_codes(session: Session, service_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    codes = defaultdict(set)
    rows = session.exec(
        select(Attribute.link_id, TaxonomyTerm.code).join(TaxonomyTerm).where(Attribute.link_id.in_(service_ids))
    ).all()
    for service_id, code in rows:
        codes[service_id].add(code)
    return codes


def language_codes(session: Session, service_ids: list[uuid.UUID]) -> set[str]:
    return set(session.exec(select(Language.code).where(Language.service_id.in_(service_ids))).all())


# --- In the database -----------------------------------------------------------------------------------------------


def test_loading_again_adds_nothing(db_session):
    schedules = db_session.exec(select(func.count()).select_from(Schedule)).one()
    report = load_demo_data(session=db_session)
    assert report == (
        "Demo data: added 0 organisations, 0 services, 0 accounts, 0 referrals (and 0 for the insights pages), "
        "0 demonstration BSL videos."
    )
    assert db_session.exec(select(func.count()).select_from(Schedule)).one() == schedules


def test_every_need_is_met_somewhere(db_session):
    used = set().union(*need_codes(db_session, demo_service_ids()).values())
    assert used == NEED_CODES


@pytest.mark.parametrize("place", directory.PLACES)
def test_each_place_has_services_with_venues(db_session, place):
    services = services_in(db_session, directory.PLACES[place])
    listed = [s for s in services if s.status in (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)]
    assert len(listed) >= 12
    located = db_session.exec(
        select(Location.latitude, Location.longitude)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(ServiceAtLocation.service_id.in_([s.id for s in services]))
    ).all()
    assert located
    for latitude, longitude in located:
        nearest = min(distance_km(latitude, longitude, *_centroid(outcode)) for outcode in directory.PLACES[place])
        assert nearest < 2


def _centroid(outcode: str) -> tuple[float, float]:
    place = locate(outcode)
    return place.latitude, place.longitude


def test_languages_cover_the_communities_served(db_session):
    codes = language_codes(db_session, demo_service_ids())
    assert {"bfi", "rom", "sk", "cs", "ar", "prs", "fa", "ps", "ckb", "ti", "uk", "ro", "pl", "cy"} <= codes


def test_bsl_services_say_so(db_session):
    club = db_session.get(Service, demo_id("Deaf Connect/BSL social club"))
    assert club.bsl_staff
    assert language_codes(db_session, [club.id]) == {"bfi"}
    in_bsl = db_session.exec(
        select(Service).join(Language).where(Language.service_id.in_(demo_service_ids()), Language.code == "bfi")
    ).all()
    assert len(in_bsl) >= 3
    assert all(service.bsl_staff for service in in_bsl)


def test_an_organisation_awaits_approval_with_a_service(db_session):
    pending = db_session.exec(select(Organization).where(Organization.status == OrganizationStatus.PENDING)).all()
    assert pending
    assert db_session.exec(select(Service).where(Service.organization_id.in_([o.id for o in pending]))).first()


def test_some_service_opens_twice_in_one_day(db_session):
    periods = Counter()
    for schedule in db_session.exec(select(Schedule).where(Schedule.service_id.in_(demo_service_ids()))):
        for code in day_codes(schedule.byday):
            periods[schedule.service_id, code] += 1
    assert max(periods.values()) >= 2


def test_schedules_can_belong_to_one_venue(db_session):
    service_id = demo_id("Llanidloes Food Hub/Mobile food pantry")
    at_ids = db_session.exec(select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == service_id)).all()
    schedules = db_session.exec(select(Schedule).where(Schedule.service_at_location_id.in_(at_ids))).all()
    assert sorted(s.byday for s in schedules) == ["TH", "TU"]


def test_translations_exist_in_welsh_and_arabic(db_session):
    service_locales = Counter(db_session.exec(select(ServiceTranslation.locale)).all())
    org_locales = Counter(db_session.exec(select(OrganizationTranslation.locale)).all())
    assert service_locales["cy"] >= 5
    assert service_locales["ar"] >= 3
    assert org_locales["cy"] >= 3
    assert org_locales["ar"] >= 1
    arabic = db_session.exec(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id == demo_id("New Roots Refugee Welcome/Immigration and asylum advice"),
            ServiceTranslation.locale == "ar",
        )
    ).one()
    assert arabic.name == "استشارات الهجرة واللجوء"


def test_kept_services_are_as_before(db_session):
    for key, status in KEPT_SERVICES.items():
        service = db_session.get(Service, demo_id(key))
        assert service is not None, key
        assert service.status == status, key
    pantry = db_session.get(Service, demo_id("Riverside Community Hub/Community food pantry"))
    assert pantry.is_free
    assert pantry.last_verified_on == VERIFIED_ON
    assert need_codes(db_session, [pantry.id])[pantry.id] == {"food"}


def test_search_index_has_every_demo_service(db_session):
    ids = demo_service_ids()
    indexed = db_session.exec(select(ServiceSearch).where(ServiceSearch.service_id.in_(ids))).all()
    assert {row.service_id for row in indexed} == set(ids)
    welsh = next(row for row in indexed if row.service_id == demo_id("Mid Wales Farm Support Network/Farmers' "
                                                                      "listening line"))  # fmt: skip
    assert "Llinell wrando" in welsh.body


# --- The gaps the module documents really are gaps ------------------------------------------------------------------


def test_gap_no_mental_health_service_for_young_people_in_great_yarmouth(db_session):
    services = services_in(db_session, directory.GREAT_YARMOUTH)
    needs = need_codes(db_session, [s.id for s in services])
    mental_health = [s for s in services if "mental_health" in needs[s.id]]
    assert mental_health  # adults have some
    assert all(s.minimum_age is not None and s.minimum_age >= 18 for s in mental_health)


def test_gap_nothing_bsl_friendly_in_powys(db_session):
    services = services_in(db_session, directory.POWYS)
    assert services
    assert not any(s.bsl_staff or s.bsl_interpreter for s in services)
    assert "bfi" not in language_codes(db_session, [s.id for s in services])


def test_gap_no_immigration_advice_in_powys(db_session):
    services = services_in(db_session, directory.POWYS)
    needs = need_codes(db_session, [s.id for s in services])
    assert not any("immigration" in needs[s.id] for s in services)


def test_gap_no_romani_on_the_coast(db_session):
    services = services_in(db_session, directory.GREAT_YARMOUTH)
    assert "rom" not in language_codes(db_session, [s.id for s in services])


def test_gap_domestic_abuse_support_only_in_sheffield(db_session):
    for outcodes in (directory.GREAT_YARMOUTH, directory.POWYS):
        services = services_in(db_session, outcodes)
        needs = need_codes(db_session, [s.id for s in services])
        assert not any("domestic_abuse" in needs[s.id] for s in services)


# --- The data itself -----------------------------------------------------------------------------------------------


def test_names_are_unique():
    assert len({org.name for org in directory.ORGANIZATIONS}) == len(directory.ORGANIZATIONS)
    assert len({service_key(s) for s in directory.SERVICES}) == len(directory.SERVICES)
    assert len({venue.key for venue in directory.VENUES}) == len(directory.VENUES)


def test_every_reference_resolves():
    orgs = {org.name for org in directory.ORGANIZATIONS}
    venues = {venue.key for venue in directory.VENUES}
    for listing in directory.SERVICES:
        assert listing.org in orgs
        assert set(listing.venues) <= venues
        assert {hours.at for hours in listing.hours if hours.at} <= set(listing.venues)
        assert 1 <= len(listing.needs) <= 3 and set(listing.needs) <= NEED_CODES, listing.name
        assert set(listing.languages) <= set(directory.LANGUAGE_NAMES)
        assert set(listing.areas) <= set(directory.AREA_NAMES)
        assert listing.in_person or not listing.venues, listing.name
    assert {venue.org for venue in directory.VENUES} <= orgs


def test_venues_are_distinct_and_in_their_district():
    places = {outcode for outcodes in directory.PLACES.values() for outcode in outcodes}
    positions = set()
    for venue in directory.VENUES:
        assert re.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}", venue.postal_code), venue.postal_code
        assert normalise_outcode(venue.postal_code) in places
        assert set(venue.features) <= ACCESSIBILITY_CODES
        assert max(abs(venue.offset[0]), abs(venue.offset[1])) < 0.015
        positions.add((*venue.offset, venue.postal_code))
    assert len(positions) == len(directory.VENUES)
    assert sum(1 for venue in directory.VENUES if venue.features) >= len(directory.VENUES) - 2


def test_contact_details_are_fictional():
    for listing in directory.SERVICES:
        assert listing.email is None or listing.email.endswith(".example.org")
        for reach in listing.phones:
            if reach.kind in (ContactKind.VIDEO_RELAY, ContactKind.VIDEO_CALL):
                assert re.fullmatch(r"https://[a-z.]+\.example\.org(/[a-z-]*)?", reach.number), reach.number
            else:
                assert DRAMA_NUMBER.match(reach.number.removeprefix("18001 ")), reach.number
    for org in directory.ORGANIZATIONS:
        assert org.email.endswith(".example.org") and org.website.endswith(".example.org")
    kinds = {reach.kind for listing in directory.SERVICES for reach in listing.phones}
    assert kinds == set(ContactKind)


def test_statuses_costs_and_checks_are_a_realistic_mix():
    statuses = Counter(listing.status for listing in directory.SERVICES)
    assert 2 <= statuses[ServiceStatus.TEMPORARILY_CLOSED] <= 3
    assert 1 <= statuses[ServiceStatus.INACTIVE] <= 2
    paid = [listing for listing in directory.SERVICES if listing.cost]
    assert 3 <= len(paid) <= len(directory.SERVICES) // 4
    assert all(amount > 0 and text for _option, amount, text in (listing.cost for listing in paid))
    checked = [VERIFIED_ON + timedelta(days=listing.verified) for listing in directory.SERVICES]
    assert all(day <= TODAY for day in checked)
    stale = [day for day in checked if day < TODAY - timedelta(days=365)]
    assert 2 <= len(stale) <= 6


def test_ages_make_sense():
    for listing in directory.SERVICES:
        low, high = listing.minimum_age, listing.maximum_age
        assert low is None or high is None or low <= high, listing.name
