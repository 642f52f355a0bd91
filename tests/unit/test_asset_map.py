"""The asset map's counts, checked against figures worked out by hand on a small fixed directory."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from referral_app.models import Address, Location, OrganizationStatus, Service, ServiceAtLocation, ServiceStatus
from referral_app.services.asset_map import AssetFilters, asset_map, organisations_listed, outcode_of
from referral_app.services.postcodes import locate
from tests.conftest import count_queries
from tests.factories import make_organization, make_service, tag


def place(session, service: Service, postcode: str, *, location_type: str = "physical") -> None:
    location = Location(organization_id=service.organization_id, name="Hall", location_type=location_type)
    session.add(location)
    session.flush()
    session.add(Address(location_id=location.id, address_1="1 High Street", city="Town", postal_code=postcode))
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()


@pytest.fixture
def directory(db_session):
    """One new organisation (the demo directory is filtered out by it):

    A: S4, food and money          B: S4 and NR30, food          C: NR30, housing
    D: no place (by phone), money  E: S4, food, but inactive     F: only an online "place", housing
    """
    organization = make_organization(db_session)

    def service(*postcodes: str, needs: tuple[str, ...], **fields) -> Service:
        made = tag(db_session, make_service(db_session, organization=organization, **fields), needs=needs)
        for postcode in postcodes:
            place(db_session, made, postcode)
        return made

    service("S4 7LG", needs=("food", "money"))
    service("s4 8gt", "NR302PN", needs=("food",))  # postcodes as people type them
    service("NR30 1PB", needs=("housing",))
    service(needs=("money",), in_person=False, by_phone=True)
    service("S4 7AT", needs=("food",), status=ServiceStatus.INACTIVE)
    online = service(needs=("housing",), in_person=False, online=True)
    place(db_session, online, "S4 7LB", location_type="virtual")
    return organization


def figures(found) -> dict:
    return {row.outcode: (row.total, row.by_need) for row in found.rows}


def test_the_counts_match_the_hand_counted_figures(db_session, directory):
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id))
    assert figures(found) == {
        "NR30": (2, {"food": 1, "housing": 1}),
        "S4": (2, {"food": 2, "money": 1}),
        None: (2, {"money": 1, "housing": 1}),  # D, and F (online only)
    }
    assert [row.outcode for row in found.rows] == ["NR30", "S4", None]  # districts in order, no fixed place last
    assert found.total == 5  # B is in two districts but one service; E is inactive
    assert found.by_need == {"food": 2, "money": 2, "housing": 2}
    assert found.needs == ["food", "housing", "money"]  # the taxonomy's order
    assert [row.outcode for row in found.districts] == ["NR30", "S4"]


def test_each_district_has_its_centre_and_no_fixed_place_has_none(db_session, directory):
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id))
    places = {row.outcode: row.place for row in found.rows}
    assert places == {"NR30": locate("NR30"), "S4": locate("S4"), None: None}


def test_a_need_keeps_the_services_that_meet_it(db_session, directory):
    # The services counted keep their other needs (A's money); the page shows only their total then.
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id, need="food"))
    assert figures(found) == {"NR30": (1, {"food": 1}), "S4": (2, {"food": 2, "money": 1})}
    assert found.total == 2
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id, need="money"))
    assert figures(found) == {"S4": (1, {"food": 1, "money": 1}), None: (1, {"money": 1})}
    assert found.total == 2


def test_an_area_keeps_the_services_with_a_place_there(db_session, directory):
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id, outcode="S4"))
    assert figures(found) == {"S4": (2, {"food": 2, "money": 1})}  # no "no fixed place" row: it is nowhere
    assert found.total == 2
    assert found.by_need == {"food": 2, "money": 1}
    both = AssetFilters(organization_id=directory.id, outcode="NR30", need="housing")
    assert figures(asset_map(session=db_session, filters=both)) == {"NR30": (1, {"housing": 1})}


def test_nothing_matches_an_empty_area_or_an_organisation_not_yet_approved(db_session, directory):
    empty = asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id, outcode="LD1"))
    assert (empty.rows, empty.total, empty.by_need, empty.needs) == ([], 0, {}, [])
    directory.status = OrganizationStatus.PENDING
    db_session.flush()
    assert asset_map(session=db_session, filters=AssetFilters(organization_id=directory.id)).total == 0
    assert directory.id not in {id_ for id_, _name in organisations_listed(session=db_session)}


def test_a_district_missing_from_the_centroids_is_counted_but_not_placed(db_session):
    organization = make_organization(db_session)
    place(db_session, make_service(db_session, organization=organization), "ZZ9 9ZZ")
    found = asset_map(session=db_session, filters=AssetFilters(organization_id=organization.id))
    assert [(row.outcode, row.total, row.place) for row in found.rows] == [("ZZ9", 1, None)]


def test_the_demo_directory_is_spread_over_its_nine_districts(db_session):
    found = asset_map(session=db_session, filters=AssetFilters())
    assert {row.outcode for row in found.districts} == {"S3", "S4", "S5", "NR30", "NR31", "LD1", "LD6", "SY16", "SY18"}
    assert all(row.place for row in found.districts)
    assert found.rows[-1].outcode is None and found.rows[-1].total > 0  # phone and online services


def test_the_counting_is_done_by_the_database_in_four_queries(connection, db_session, directory):
    filters = AssetFilters(organization_id=directory.id)
    assert count_queries(connection, lambda: asset_map(session=db_session, filters=filters)) == 4


@pytest.mark.parametrize(
    ("postcode", "district"),
    [("S4 7LG", "S4"), ("s47lg", "S4"), (" SW1A 1AA ", "SW1A"), ("NR30 2PN", "NR30"), ("M1 1AE", "M1"), ("S4", "S4")],
)
def test_a_postcodes_district_is_worked_out_in_sql(db_session, postcode, district):
    assert db_session.exec(select(outcode_of(literal(postcode)))).scalar_one() == district
