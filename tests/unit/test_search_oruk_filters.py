"""The search filters the Open Referral UK API needs, read as its openapi.json words them."""

from datetime import UTC, datetime, time

import pytest

from referral_app.models import ServiceArea
from referral_app.services.search import SearchQuery, find_service_ids, search_services
from tests.factories import add_schedule, make_organization, make_service

TUESDAY_11 = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def names(db_session, **query):
    ids, _total = find_service_ids(session=db_session, query=SearchQuery(text="numbat", **query), now=TUESDAY_11)
    results = search_services(
        session=db_session, query=SearchQuery(text="numbat", **query), locale="en", now=TUESDAY_11, page_size=100
    )
    found = [item.name for item in results.items]
    assert [item.service_id for item in results.items] == ids  # both read the same filters the same way
    return found


@pytest.fixture
def services(db_session):
    org = make_organization(db_session, name="Numbat Trust")
    adults = make_service(db_session, organization=org, name="Numbat adults", minimum_age=18)
    add_schedule(db_session, adults, "MO,TU", "09:00", "12:00")
    youth = make_service(db_session, organization=org, name="Numbat youth", minimum_age=11, maximum_age=25)
    add_schedule(db_session, youth, "TU", "16:00", "18:00")
    anyone = make_service(db_session, organization=org, name="Numbat anyone")
    add_schedule(db_session, anyone, "SA", "08:00", "20:00")
    db_session.add(ServiceArea(service_id=adults.id, name="Pitsmoor", outcode="S4"))
    db_session.add(ServiceArea(service_id=youth.id, name="Somewhere", outcode=None))
    db_session.flush()


def test_minimum_age_at_least_counts_no_minimum_as_zero(db_session, services):
    assert names(db_session, minimum_age_at_least=11) == ["Numbat adults", "Numbat youth"]
    assert names(db_session, minimum_age_at_least=18) == ["Numbat adults"]
    assert names(db_session, minimum_age_at_least=0) == ["Numbat adults", "Numbat anyone", "Numbat youth"]


def test_maximum_age_at_most_leaves_out_services_without_a_maximum(db_session, services):
    assert names(db_session, maximum_age_at_most=25) == ["Numbat youth"]
    assert names(db_session, maximum_age_at_most=24) == []


def test_session_window_with_and_without_a_day(db_session, services):
    assert names(db_session, starts_from=time(9, 0), ends_by=time(12, 0)) == ["Numbat adults"]
    assert names(db_session, starts_from=time(10, 0)) == ["Numbat youth"]
    assert names(db_session, ends_by=time(20, 0)) == ["Numbat adults", "Numbat anyone", "Numbat youth"]
    assert names(db_session, day="TU", starts_from=time(12, 0)) == ["Numbat youth"]
    assert names(db_session, day="SA", ends_by=time(18, 0)) == []


def test_the_day_filter_is_unchanged_by_the_window_fields(db_session, services):
    assert names(db_session, day="TU") == ["Numbat adults", "Numbat youth"]
    assert names(db_session, day="TU", opens_by=time(9, 30), closes_after=time(11, 0)) == ["Numbat adults"]


def test_covers_outcode_keeps_services_without_district_areas(db_session, services):
    assert names(db_session, covers_outcode="S4") == ["Numbat adults", "Numbat anyone", "Numbat youth"]
    assert names(db_session, covers_outcode="NR30") == ["Numbat anyone", "Numbat youth"]


def test_find_service_ids_does_not_move_a_page_past_the_end(db_session, services):
    query = SearchQuery(text="numbat")
    first, total = find_service_ids(session=db_session, query=query, now=TUESDAY_11, page=1, page_size=2)
    past, _ = find_service_ids(session=db_session, query=query, now=TUESDAY_11, page=5, page_size=2)
    assert (len(first), total, past) == (2, 3, [])
