"""The search page: filters combine, bad input gets a clear message, searches are logged anonymously."""

import pytest
from sqlmodel import select

from referral_app.models import SearchLog, ServiceTranslation
from referral_app.services.search_index import refresh_search_documents
from tests.conftest import count_queries
from tests.factories import add_location, add_schedule, make_organization, make_service, tag


@pytest.fixture
def wombats(db_session):
    org = make_organization(db_session, name="Wombat Aid")
    pantry = make_service(db_session, organization=org, name="Wombat pantry", description="Fresh food each week")
    tag(db_session, pantry, needs=["food"], languages=["ro"])
    add_location(db_session, pantry, latitude=53.40, longitude=-1.46, features=["step_free"])
    add_schedule(db_session, pantry, "MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")
    club = make_service(db_session, organization=org, name="Wombat signing club", bsl_interpreter=True, is_free=False)
    tag(db_session, club, needs=["deaf_community"], languages=["bfi"])
    add_location(db_session, club, latitude=52.61, longitude=1.73)
    db_session.add(
        ServiceTranslation(service_id=pantry.id, locale="cy", name="Pantri Wombat", description="Bwyd ffres")
    )
    db_session.flush()
    refresh_search_documents(session=db_session, service_ids=[pantry.id])
    return {"pantry": pantry, "club": club}


def test_text_search_lists_matches_with_what_people_need_to_decide(client, wombats):
    page = client.get("/services?q=wombat").text
    assert "2 services match “wombat”" in page
    assert "Wombat pantry" in page and "Wombat signing club" in page
    assert "Languages: Romanian" in page
    assert "British Sign Language users welcome" in page
    assert "There is a charge" in page
    assert "Open now" in page


def test_filters_combine_and_are_kept_in_the_form(client, wombats):
    page = client.get("/services?q=wombat&bsl=y&need=deaf_community").text
    assert "1 service matches “wombat”" in page
    assert "Wombat signing club" in page and "Wombat pantry" not in page
    assert 'value="wombat"' in page
    assert '<option value="deaf_community" selected>' in page
    assert "Filters (2 chosen)" in page


def test_near_a_postcode_sorts_by_distance_and_shows_miles(client, wombats):
    page = client.get("/services?q=wombat&postcode=nr30+1aa").text
    assert page.index("Wombat signing club") < page.index("Wombat pantry")
    assert "nearest to NR30 first" in page
    assert "miles away" in page
    assert 'value="nr30 1aa"' in page


@pytest.mark.parametrize(
    ("postcode", "message"),
    [("ZZ99 9ZZ", "We could not find that postcode"), ("not a postcode", "Enter a postcode, like S4 7AB")],
)
def test_bad_postcode_gets_a_clear_message_and_results_without_it(client, wombats, postcode, message):
    response = client.get("/services", query_string={"q": "wombat", "postcode": postcode})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'href="#postcode"' in response.text
    assert f'value="{postcode}"' in response.text
    assert "2 services match" in response.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"age": "twelve"}, "Enter an age as a number, like 16"),
        ({"age": "999"}, "Enter an age from 0 to 120"),
        ({"need": "flying"}, "Choose an option from the list"),
        ({"when": "someday"}, "Choose an option from the list"),
        ({"access": "lift-to-the-moon"}, "Choose an option from the list"),
    ],
)
def test_bad_filters_get_a_clear_message(client, wombats, args, message):
    response = client.get("/services", query_string={"q": "wombat", **args})
    assert response.status_code == 200
    assert message in response.text
    assert "<title>Error:" in response.text


def test_welsh_readers_see_the_welsh_text_and_can_search_it(client, wombats):
    page = client.get("/services?q=bwyd&lang=cy").text
    assert ">Pantri Wombat<" in page
    assert "Wombat signing club" not in page


def test_english_text_on_a_welsh_page_is_marked_english(client, wombats):
    page = client.get("/services?q=wombat&lang=cy").text
    assert 'lang="en" dir="ltr">Wombat signing club<' in page
    assert 'href="/services/' in page


def test_no_results_suggest_how_to_widen_the_search(client, wombats):
    page = client.get("/services?q=wombat&need=carers").text
    assert "No services match your search" in page
    assert "remove the filters" in page
    assert 'href="/services?q=wombat"' in page


def test_searches_are_logged_without_personal_data(client, wombats, db_session):
    client.get("/services?q=zebra+crossing&postcode=S4+7AB&bsl=y&lang=ar", headers={"User-Agent": "secret-agent"})
    entry = db_session.exec(select(SearchLog).order_by(SearchLog.id.desc())).first()
    assert (entry.terms, entry.outcode, entry.locale, entry.result_count) == ("zebra crossing", "S4", "ar", 0)
    assert entry.filters == '{"bsl": true}'
    assert "secret-agent" not in repr(entry.model_dump())


def test_live_typing_is_not_logged_but_a_submitted_search_is(client, wombats, db_session):
    def count():
        return len(db_session.exec(select(SearchLog)).all())

    before = count()
    client.get("/services?q=wom", headers={"HX-Request": "true", "HX-Trigger": "q"})
    assert count() == before
    client.get("/services?q=wombat", headers={"HX-Request": "true", "HX-Trigger": "search"})
    client.get("/services?q=wombat&page=2")
    assert count() == before + 1


def test_htmx_gets_the_results_and_out_of_band_updates(client, wombats):
    response = client.get("/services?q=wombat&age=x", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'id="results"' in response.text
    assert 'id="result-count" data-hx-swap-oob="innerHTML"' in response.text
    assert 'id="search-errors" data-hx-swap-oob="innerHTML"' in response.text
    assert "Enter an age as a number" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_pages_keep_the_filters(client, db_session):
    org = make_organization(db_session, name="Pangolin")
    for number in range(25):
        make_service(db_session, organization=org, name=f"Pangolin service {number:02d}")
    page = client.get("/services?q=pangolin&free=y").text
    assert "Page 1 of 2" in page
    assert "/services?q=pangolin&amp;free=y&amp;page=2" in page
    second = client.get("/services?q=pangolin&free=y&page=2").text
    assert "Pangolin service 24" in second and "Pangolin service 00" not in second


@pytest.mark.parametrize("query", ["delivery=", "access=", "delivery=&access=&need=&when=&language=", "age=", "page="])
def test_empty_parameters_are_ignored(client, query):
    """Found by the property-based test: an empty checkbox value once reached the filters."""
    assert client.get(f"/services?{query}").status_code == 200


@pytest.mark.parametrize(
    "text",
    ["'; DROP TABLE service; --", "<script>alert(1)</script>", "\u202e\u0627\u0644\u0639", "x" * 5000, "%00", '"*'],
)
def test_hostile_text_is_escaped_never_an_error(client, text):
    response = client.get("/services", query_string={"q": text, "page": "-1"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_home_page_offers_entry_points_by_need(client):
    page = client.get("/").text
    assert 'href="/services?need=food"' in page
    assert 'href="/services?need=deaf_community"' in page
    assert 'href="/services?bsl=y"' in page


def test_the_search_page_runs_the_same_number_of_queries_for_1_or_20_results(client, connection, db_session):
    org = make_organization(db_session, name="Narwhal")
    for number in range(20):
        service = make_service(db_session, organization=org, name=f"Narwhal {number:02d}")
        tag(db_session, service, needs=["food"], languages=["ro", "ar"])
        add_location(db_session, service, latitude=53.4, longitude=-1.46, features=["step_free"])
        add_schedule(db_session, service, "MO", "09:00", "12:00")
    one = count_queries(connection, lambda: client.get("/services?q=narwhal+07&postcode=S4"))
    twenty = count_queries(connection, lambda: client.get("/services?q=narwhal&postcode=S4"))
    assert "Narwhal 19" in client.get("/services?q=narwhal&postcode=S4").text
    assert one == twenty
    assert twenty <= 14
