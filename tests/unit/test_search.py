from datetime import UTC, datetime

import pytest

from referral_app.models import OrganizationStatus, ServiceStatus
from referral_app.services.postcodes import locate
from referral_app.services.search import SearchQuery, search_log_row, search_services
from tests.conftest import make_test_app
from tests.factories import add_location, add_schedule, make_organization, make_service, tag

TUESDAY_11 = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def names(db_session, locale="en", **query):
    results = search_services(
        session=db_session, query=SearchQuery(**query), locale=locale, now=TUESDAY_11, page_size=100
    )
    return [item.name for item in results.items]


@pytest.fixture
def services(db_session):
    org = make_organization(db_session, name="Quokka Trust")
    food = make_service(db_session, organization=org, name="Quokka food bank", description="Free food parcels")
    tag(db_session, food, needs=["food"], languages=["ro", "sk"])
    add_location(db_session, food, latitude=53.40, longitude=-1.46, features=["step_free"])  # Sheffield
    add_schedule(db_session, food, "TU", "10:00", "12:00")
    bsl = make_service(db_session, organization=org, name="Quokka signing club", bsl_staff=True, is_free=False)
    tag(db_session, bsl, needs=["deaf_community", "loneliness"], languages=["bfi"])
    add_location(db_session, bsl, latitude=52.61, longitude=1.73)  # Great Yarmouth
    add_schedule(db_session, bsl, "WE", "18:00", "20:00")
    youth = make_service(db_session, organization=org, name="Quokka youth talk", minimum_age=11, maximum_age=25,
                         in_person=False, online=True)  # fmt: skip
    tag(db_session, youth, needs=["mental_health"], languages=["en", "ar"])
    return {"food": food, "bsl": bsl, "youth": youth}


def test_text_matches_words_as_prefixes(db_session, services):
    assert names(db_session, text="quokka parc") == ["Quokka food bank"]
    assert names(db_session, text="QUOKKA") == ["Quokka food bank", "Quokka signing club", "Quokka youth talk"]


def test_text_finds_needs_and_languages_by_name_in_any_language(db_session, services):
    assert names(db_session, text="quokka loneliness") == ["Quokka signing club"]
    assert names(db_session, text="quokka romanian") == ["Quokka food bank"]
    assert names(db_session, text="quokka BSL") == ["Quokka signing club"]
    assert names(db_session, text="quokka العربية") == ["Quokka youth talk"]


def test_text_with_punctuation_and_operators_is_safe(db_session, services):
    for text in ['quokka" OR 1=1 --', "quokka*", "quokka & | ! :*", "(quokka)", "quokka NEAR"]:
        assert "Quokka food bank" in names(db_session, text=text) or names(db_session, text=text) == []


def test_filters_combine(db_session, services):
    assert names(db_session, text="quokka", need="food") == ["Quokka food bank"]
    assert names(db_session, text="quokka", language="sk") == ["Quokka food bank"]
    assert names(db_session, text="quokka", bsl=True) == ["Quokka signing club"]
    assert names(db_session, text="quokka", free_only=True) == ["Quokka food bank", "Quokka youth talk"]
    assert names(db_session, text="quokka", accessibility=("step_free",)) == ["Quokka food bank"]
    assert names(db_session, text="quokka", age=8) == ["Quokka food bank", "Quokka signing club"]
    assert names(db_session, text="quokka", delivery=("online",)) == ["Quokka youth talk"]
    assert names(db_session, text="quokka", open_now=True) == ["Quokka food bank"]
    assert names(db_session, text="quokka", day="WE") == ["Quokka signing club"]
    assert names(db_session, text="quokka", need="food", bsl=True) == []


def test_near_a_postcode_sorts_by_distance_and_shows_it(db_session, services):
    results = search_services(
        session=db_session, query=SearchQuery(text="quokka", near=locate("NR30 1AA")), locale="en", now=TUESDAY_11
    )
    assert [item.name for item in results.items] == [
        "Quokka signing club",
        "Quokka food bank",
        "Quokka youth talk",
    ]
    assert results.items[0].distance_km < 5
    assert 200 < results.items[1].distance_km < 260
    assert results.items[2].distance_km is None  # online only: no location


def test_within_a_distance(db_session, services):
    assert names(db_session, text="quokka", near=locate("S4"), within_km=20) == ["Quokka food bank"]


def test_hidden_services_and_organisations(db_session, services):
    org = make_organization(db_session, name="Quokka pending", status=OrganizationStatus.PENDING)
    make_service(db_session, organization=org, name="Quokka waiting")
    make_service(db_session, name="Quokka defunct", status=ServiceStatus.DEFUNCT)
    closed = make_service(db_session, name="Quokka paused", status=ServiceStatus.TEMPORARILY_CLOSED)
    assert "Quokka waiting" not in names(db_session, text="quokka")
    assert "Quokka defunct" not in names(db_session, text="quokka")
    assert closed.name in names(db_session, text="quokka")


def test_results_carry_what_a_person_needs_to_decide(db_session, services):
    results = search_services(session=db_session, query=SearchQuery(text="quokka"), locale="en", now=TUESDAY_11)
    food, bsl, _youth = results.items
    assert food.organization_name == "Quokka Trust"
    assert food.languages == ("ro", "sk")
    assert (food.is_free, bsl.is_free) == (True, False)
    assert food.opening.open_now
    assert bsl.bsl and not food.bsl
    assert not bsl.opening.open_now and bsl.opening.opens_at.hour == 18


def test_translations_are_used_and_marked(db_session, services):
    from referral_app.models import ServiceTranslation
    from referral_app.services.search_index import refresh_search_documents

    db_session.add(
        ServiceTranslation(service_id=services["food"].id, locale="cy", name="Banc bwyd Quokka", description="")
    )
    db_session.flush()
    refresh_search_documents(session=db_session, service_ids=[services["food"].id])
    results = search_services(session=db_session, query=SearchQuery(text="bwyd quokka"), locale="cy", now=TUESDAY_11)
    [item] = results.items
    assert (item.name, item.name_locale) == ("Banc bwyd Quokka", "cy")
    assert (item.description, item.description_locale) == ("Free food parcels", "en")


def test_pages(db_session, services):
    first = search_services(
        session=db_session, query=SearchQuery(text="quokka"), locale="en", now=TUESDAY_11, page_size=2
    )
    last = search_services(
        session=db_session, query=SearchQuery(text="quokka"), locale="en", now=TUESDAY_11, page=9, page_size=2
    )
    assert (first.total, first.page_count, len(first.items)) == (3, 2, 2)
    assert (last.page, len(last.items)) == (2, 1)


def test_search_log_keeps_no_personal_data():
    entry = search_log_row(
        query=SearchQuery(text="food", bsl=True, near=locate("S4 7AB")),
        locale="ar",
        result_count=0,
        now=TUESDAY_11,
    )
    assert (entry["terms"], entry["outcode"], entry["locale"], entry["result_count"]) == ("food", "S4", "ar", 0)
    assert entry["filters"] == '{"bsl": true}'


def test_arabic_matches_with_or_without_the_article_and_vowel_marks(db_session):
    from referral_app.models import ServiceTranslation
    from referral_app.services.search_index import refresh_search_documents

    service = make_service(db_session, name="Quokka Arabic pantry")
    db_session.add(
        ServiceTranslation(service_id=service.id, locale="ar", name="مخزن كوكا للطعام والمشورة", description="")
    )
    db_session.flush()
    refresh_search_documents(session=db_session, service_ids=[service.id])
    for query in ["كوكا طعام", "كوكا الطعام", "كوكا الطَّعام", "كوكا مشورة", "كوكا والمشورة", "quokka الطعام"]:
        assert names(db_session, text=query) == ["Quokka Arabic pantry"], query


def test_english_as_a_language_does_not_match_every_service(db_session, services):
    assert names(db_session, text="quokka english") == []  # the youth service speaks English; that is no match
    assert names(db_session, text="quokka arabic") == ["Quokka youth talk"]


def test_health_check_reads_the_migration_scripts_once(migrated_engine, connection, monkeypatch):
    from referral_app.pages import routes

    calls = []
    monkeypatch.setattr(routes, "migration_heads", lambda: calls.append(1) or frozenset({"0003"}))
    client = make_test_app(migrated_engine, connection).test_client()  # a new app: none read yet
    client.get("/healthz")
    client.get("/healthz")
    assert len(calls) == 1


def test_languages_offered_are_every_distinct_code_in_order(db_session, services):
    from sqlmodel import select

    from referral_app.models import Language
    from referral_app.services.directory import languages_offered

    every = {code for code in db_session.exec(select(Language.code)).all()}
    assert {"ro", "sk", "bfi"} <= every
    assert languages_offered(session=db_session) == sorted(every)
