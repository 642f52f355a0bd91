"""The gap views: every figure checked against one worked out by hand on a small fixed set of referrals, searches
and services (in March 2031 and on the Isles of Scilly, so the demo data stays out), with small numbers suppressed
and the words people typed shown only when at least 5 searches that found nothing used them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import func, select

from referral_app.models import (
    Address,
    DeclineReason,
    Location,
    OrganizationStatus,
    ReferralStatus,
    SearchLog,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
    Video,
)
from referral_app.services import insight_gaps
from referral_app.services.demo_data import load_demo_data
from referral_app.services.insight_gaps import NO_WORDS, OTHER_WORDS, GapFilters, SupplyRow
from referral_app.services.listing_gaps import a_year_before, listing_gaps
from tests.factories import make_organization, make_referral, make_resident, make_service, tag

S = ReferralStatus
MARCH = GapFilters(since=date(2031, 3, 1), until=date(2031, 3, 31))
TODAY = date(2031, 3, 31)
DAY = datetime(2031, 3, 10, 12, tzinfo=UTC)


def search(session, *, terms="", outcode=None, locale="en", results=0, need=None, at=DAY, times=1):
    for _ in range(times):
        session.add(
            SearchLog(
                created_at=at,
                terms=terms,
                filters=json.dumps({"need": need} if need else {}, sort_keys=True),
                outcode=outcode,
                locale=locale,
                result_count=results,
            )
        )
    session.flush()


def refer(session, service, *, count, outcode, language="en", need, status=S.SENT, reason=None):
    for _ in range(count):
        resident = make_resident(session, outcode=outcode, language=language, name="Jane Example")
        make_referral(
            session, service=service, referrer=None, resident=resident, status=status, needs=(need,),
            created_at=DAY, decline_reason=reason,
        )  # fmt: skip


def place(session, service, postcode: str) -> None:
    location = Location(organization_id=service.organization_id, name="Hall")
    session.add(location)
    session.flush()
    session.add(Address(location_id=location.id, address_1="1 Quay", city="Hugh Town", postal_code=postcode))
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()


def area(session, service, outcode: str) -> None:
    session.add(ServiceArea(service_id=service.id, outcode=outcode))
    session.flush()


def food_service(session, organisation, *, verified=None, translated=False, video=False, **fields):
    service = tag(session, make_service(session, organization=organisation, last_verified_on=verified, **fields),
                  needs=("food",))  # fmt: skip
    if translated:
        session.add(ServiceTranslation(service_id=service.id, locale="cy", name="Banc bwyd"))
    if video:
        session.add(Video(service_id=service.id, file_name=f"{service.id}.mp4", content_type="video/mp4", size=1,
                          captions_file_name=f"{service.id}.vtt"))  # fmt: skip
    session.flush()
    return service


@pytest.fixture
def fixed_set(db_session):
    """Organisations A (food, TR21), B (housing, TR22), C (money, no place) and D (money), and searches."""
    session = db_session
    a, b, c, d = (make_organization(session, name=f"Gap test {letter}") for letter in "ABCD")
    pending = make_organization(session, name="Gap test pending", status=OrganizationStatus.PENDING)
    # Food in TR21: two by their address (one written without its space), three by their areas; one closed for
    # good and one of an organisation waiting for approval are not listed, so not counted.
    complete = food_service(session, a, verified=date(2031, 1, 1), translated=True, video=True, name="Complete")
    place(session, complete, "TR21 0AA")
    also_complete = food_service(session, a, verified=date(2031, 1, 1), translated=True, video=True)
    place(session, also_complete, "TR211AB")
    checked_a_year_ago = food_service(session, a, verified=date(2030, 3, 31), name="Checked a year ago")
    out_of_date = food_service(session, a, verified=date(2030, 3, 30), translated=True, name="Out of date")
    never_checked = food_service(session, a, name="Never checked")
    closed = food_service(session, a, status=ServiceStatus.DEFUNCT)
    unapproved = food_service(session, pending)
    for service in (checked_a_year_ago, out_of_date, never_checked, closed, unapproved):
        area(session, service, "TR21")
    housing = tag(session, make_service(session, organization=b), needs=("housing",))
    area(session, housing, "TR22")
    money_c = tag(session, make_service(session, organization=c), needs=("money",))
    money_d = tag(session, make_service(session, organization=d), needs=("money",))

    refer(
        session,
        complete,
        count=7,
        outcode="TR21",
        language="ro",
        need="food",
        status=S.DECLINED,
        reason=DeclineReason.NO_CAPACITY,
    )
    refer(session, complete, count=5, outcode="TR21", need="food", status=S.DECLINED, reason=DeclineReason.NOT_SUITABLE)
    refer(session, complete, count=8, outcode="TR21", need="food", status=S.COMPLETED)
    refer(
        session, housing, count=3, outcode="TR22", need="housing", status=S.DECLINED, reason=DeclineReason.NO_CAPACITY
    )
    refer(session, housing, count=6, outcode="TR22", need="housing", status=S.ACCEPTED)
    refer(session, money_c, count=5, outcode="TR21", language="ar", need="money")
    refer(session, money_d, count=5, outcode="TR23", need="money", status=S.DECLINED,
          reason=DeclineReason.NOT_SUITABLE)  # fmt: skip

    # Searches that found nothing: words in any case and with spaces around count as one.
    for words, times in (("Food Bank", 3), ("food bank ", 2), ("FOOD BANK", 1)):
        search(session, terms=words, outcode="TR21", times=times)
    for words, times in (("Tłumacz", 3), ("tłumacz", 2)):  # only Python folds the case of Ł
        search(session, terms=words, outcode="TR22", locale="pl", times=times)
    search(session, terms="dentist", outcode="TR21", times=4)
    search(session, terms="Jane Smith 07700 900123", times=1)  # typed by someone: never shown
    search(session, terms="", outcode="TR23", locale="cy", times=5)
    # Searches that found something, some of them for a chosen need.
    search(session, terms="food bank", outcode="TR21", results=3, times=10)
    search(session, need="food", outcode="TR21", results=2, times=4)
    search(session, need="money", outcode="TR21", results=2, times=5)
    search(session, need="domestic_abuse", outcode="TR22", results=1, times=6)
    search(session, need="food", results=2, times=3)  # near no district: in no area's row
    search(session, terms="warm space", outcode="TR23", results=1, times=14)
    search(session, terms="warm space", outcode="TR23", results=1, at=datetime(2031, 3, 31, 23, 30, tzinfo=UTC))
    # Outside March: counted nowhere.
    search(session, need="food", outcode="TR21", results=2, at=datetime(2031, 2, 28, 23, 59, tzinfo=UTC), times=3)
    search(session, terms="dentist", outcode="TR21", at=datetime(2031, 4, 1, tzinfo=UTC), times=3)
    return {"A": str(a.id), "B": str(b.id), "C": str(c.id), "D": str(d.id)}


def test_supply_against_demand_fewest_services_first(db_session, fixed_set):
    rows = insight_gaps.supply_and_demand(session=db_session, filters=MARCH)
    assert rows == [
        SupplyRow("money", "TR21", services=0, referrals=5, searches=5),
        SupplyRow("domestic_abuse", "TR22", services=0, referrals=0, searches=6),
        SupplyRow("money", "TR23", services=0, referrals=5, searches=0),
        SupplyRow("housing", "TR22", services=None, referrals=9, searches=0),  # 1 service
        SupplyRow("food", "TR21", services=5, referrals=20, searches=None),  # 4 searches in March
    ]


def test_supply_filters_by_area_and_need(db_session, fixed_set):
    in_tr21 = insight_gaps.supply_and_demand(session=db_session, filters=replace(MARCH, outcode="TR21"))
    assert [(row.need, row.outcode) for row in in_tr21] == [("money", "TR21"), ("food", "TR21")]
    food = insight_gaps.supply_and_demand(session=db_session, filters=replace(MARCH, need="food"))
    assert food == [SupplyRow("food", "TR21", services=5, referrals=20, searches=None)]


def test_declines_by_need_and_organisation(db_session, fixed_set):
    by_need = insight_gaps.declines_by_need(session=db_session, filters=MARCH)
    assert [(row.key, row.referrals, row.no_capacity, row.not_suitable) for row in by_need] == [
        ("food", 20, 7, 5),
        ("money", 10, 0, 5),
        # 3 declined for capacity, hidden; 6 others are not shown but 9 - 0 - 6 would give the 3 away, so the 6
        # is hidden too (it is never shown, so nothing more is).
        ("housing", 9, None, 0),
    ]
    by_organisation = {
        row.key: (row.referrals, row.no_capacity, row.not_suitable)
        for row in insight_gaps.declines_by_organisation(session=db_session, filters=MARCH)
        if row.key in fixed_set.values()
    }
    assert by_organisation == {
        fixed_set["A"]: (20, 7, 5),
        fixed_set["B"]: (9, None, 0),
        fixed_set["D"]: (5, 0, 5),
    }  # C declined nobody: not listed
    only_food = insight_gaps.declines_by_organisation(session=db_session, filters=replace(MARCH, need="food"))
    assert [row.key for row in only_food if row.key in fixed_set.values()] == [fixed_set["A"]]


def test_words_are_shown_only_when_5_searches_that_found_nothing_used_them(db_session, fixed_set):
    found = insight_gaps.no_results_by_words(session=db_session, filters=MARCH)
    assert found.rows == [("food bank", 6), ("tłumacz", 5), (OTHER_WORDS, 5), (NO_WORDS, 5)]  # dentist 4 + 1 other
    assert found.total == 21


@pytest.mark.parametrize(("times", "shown"), [(4, False), (5, True)])
def test_a_word_needs_5_searches(db_session, times, shown):
    search(db_session, terms="Warm hub", outcode="TR24", times=times)
    search(db_session, terms="warm HUB", outcode="TR24", results=3, times=5)  # found something: not counted
    found = insight_gaps.no_results_by_words(session=db_session, filters=MARCH)
    assert dict(found.rows) == ({"warm hub": 5} if shown else {OTHER_WORDS: None})
    assert found.total == (5 if shown else None)


def test_searches_that_found_nothing_by_area_and_language(db_session, fixed_set):
    by_area = insight_gaps.no_results_by_area(session=db_session, filters=MARCH)
    # 1 with no area is hidden, and so is the next smallest (TR22's 5 before TR23's 5, in order of the key).
    assert by_area.rows == [("TR21", 10), ("TR23", 5), ("TR22", None), ("", None)]
    assert by_area.total == 21
    by_language = insight_gaps.no_results_by_language(session=db_session, filters=MARCH)
    assert by_language.rows == [("en", 11), ("cy", 5), ("pl", 5)]
    in_tr22 = insight_gaps.no_results_by_language(session=db_session, filters=replace(MARCH, outcode="TR22"))
    assert in_tr22.rows == [("pl", 5)]


@pytest.mark.parametrize(
    ("count", "rows", "total"),
    [
        (0, [("TR25", 10)], 10),
        (1, [("TR24", None), ("TR25", None)], 11),  # 11 - 10 would give the 1 away: the 10 is hidden too
        (4, [("TR24", None), ("TR25", None)], 14),
        (5, [("TR25", 10), ("TR24", 5)], 15),
    ],
)
def test_small_counts_are_suppressed_and_cannot_be_subtracted(db_session, count, rows, total):
    search(db_session, terms="x", outcode="TR24", times=count)
    search(db_session, terms="x", outcode="TR25", times=10)
    found = insight_gaps.no_results_by_area(session=db_session, filters=MARCH)
    assert found.rows == rows
    assert found.total == total


def test_referrals_for_the_searches_by_area(db_session, fixed_set):
    reach = insight_gaps.reach_by_area(session=db_session, filters=MARCH)
    # Searches: TR21 6 + 4 + 10 + 4 + 5 = 29, TR22 5 + 6 = 11, TR23 5 + 15 = 20; referrals 25, 9 and 5.
    assert (reach.searches, reach.referrals, reach.per_100_searches) == (60, 39, 65.0)
    assert [(r.key, r.searches, r.referrals, r.per_100_searches, r.well_below_average) for r in reach.rows] == [
        ("TR23", 20, 5, 25.0, True),  # under 3/4 of 65
        ("TR22", 11, 9, 81.8, False),
        ("TR21", 29, 25, 86.2, False),
    ]


def test_referrals_for_the_searches_by_language(db_session, fixed_set):
    reach = insight_gaps.reach_by_language(session=db_session, filters=MARCH)
    # en: 6 + 4 + 1 + 10 + 4 + 5 + 6 + 3 + 15 = 54 searches and 5 + 8 + 9 + 5 = 27 referrals.
    assert (reach.searches, reach.referrals, reach.per_100_searches) == (64, 39, 60.9)
    assert [(r.key, r.searches, r.referrals, r.per_100_searches, r.well_below_average) for r in reach.rows] == [
        ("cy", 5, 0, 0.0, True),
        ("pl", 5, 0, 0.0, True),
        ("en", 54, 27, 50.0, False),
        ("ar", 0, 5, None, False),  # no searches in Arabic: no ratio
        ("ro", 0, 7, None, False),
    ]


def test_listings_with_a_gap_oldest_check_first(db_session, fixed_set):
    in_tr21 = {"outcode": "TR21", "need": None}
    found = listing_gaps(session=db_session, **in_tr21, today=TODAY)
    assert found.count == 3
    assert [(g.name, g.translated, g.has_video, g.last_checked, g.out_of_date) for g in found.rows] == [
        ("Never checked", False, False, None, True),
        ("Out of date", True, False, date(2030, 3, 30), True),
        ("Checked a year ago", False, False, date(2030, 3, 31), False),  # exactly 12 months: still in date
    ]
    first = listing_gaps(session=db_session, **in_tr21, today=TODAY, limit=2)
    assert (first.count, [gap.name for gap in first.rows]) == (3, ["Never checked", "Out of date"])
    money = {"outcode": "TR21", "need": "money"}
    assert listing_gaps(session=db_session, **money, today=TODAY).count == 0
    a_day_later = listing_gaps(session=db_session, **in_tr21, today=TODAY + timedelta(days=1))
    assert [gap.out_of_date for gap in a_day_later.rows] == [True, True, True]


def test_a_year_before_29_february():
    assert a_year_before(date(2032, 2, 29)) == date(2031, 2, 28)


def test_the_whole_page_holds_no_name_and_no_words_used_fewer_than_5_times(db_session, fixed_set):
    found = insight_gaps.gaps(session=db_session, filters=MARCH, today=TODAY)
    text = repr(found)
    for private in ("Jane", "07700", "dentist"):
        assert private not in text


def test_loading_the_demo_data_again_adds_no_searches(db_session):
    count = select(func.count()).select_from(SearchLog)
    before = db_session.exec(count).one()
    assert before >= 1500 + 400  # the insights' demo searches and the gap views' own
    load_demo_data(session=db_session)
    assert db_session.exec(count).one() == before
