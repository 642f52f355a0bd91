"""What the results map needs from the search page: each result's place, and the tile settings."""

import re

import pytest

from referral_app.config import settings_from_environment
from tests.conftest import make_test_app
from tests.factories import add_location, make_organization, make_service, tag
from tests.integration.test_search_page import count_queries


def result_items(page: str) -> dict[str, str]:
    """Each result's opening `<li>` tag, by the service's name."""
    items = re.findall(r'(<li class="app-result"[^>]*>)\s*<h2[^>]*><a[^>]*>([^<]+)</a>', page)
    return {name: tag for tag, name in items}


@pytest.fixture
def quokkas(db_session):
    org = make_organization(db_session, name="Quokka Trust")
    cafe = make_service(db_session, organization=org, name="Quokka cafe")
    tag(db_session, cafe, needs=["food"])
    sheffield = add_location(db_session, cafe, latitude=53.4, longitude=-1.46)
    sheffield.name = "B Sheffield hall"
    yarmouth = add_location(db_session, cafe, latitude=52.61, longitude=1.73)
    yarmouth.name = "A Yarmouth hall"
    helpline = make_service(db_session, organization=org, name="Quokka helpline", in_person=False, by_phone=True)
    tag(db_session, helpline, needs=["food"])
    db_session.flush()
    return {"cafe": cafe, "helpline": helpline}


def test_each_result_carries_its_nearest_place_after_a_postcode(client, quokkas):
    items = result_items(client.get("/services?q=quokka&postcode=S4+7AB").text)
    assert 'data-lat="53.4" data-lng="-1.46"' in items["Quokka cafe"]
    items = result_items(client.get("/services?q=quokka&postcode=NR30").text)
    assert 'data-lat="52.61" data-lng="1.73"' in items["Quokka cafe"]


def test_without_a_postcode_a_result_carries_its_first_place_by_name(client, quokkas):
    items = result_items(client.get("/services?q=quokka").text)
    assert 'data-lat="52.61" data-lng="1.73"' in items["Quokka cafe"]


def test_a_service_with_no_place_has_no_coordinates(client, quokkas):
    items = result_items(client.get("/services?q=quokka").text)
    assert "data-lat" not in items["Quokka helpline"]


def test_htmx_results_carry_places_and_leave_the_map_in_the_page(client, quokkas):
    partial = client.get("/services?q=quokka&postcode=S4", headers={"HX-Request": "true"}).text
    assert 'data-lat="53.4"' in partial
    assert "app-results-map" not in partial  # the map outlives the swap and moves its markers


def test_the_map_control_is_hidden_until_javascript_shows_it(client, quokkas):
    page = client.get("/services?q=quokka").text
    control = re.search(r'<div class="app-results-map"[^>]*>', page).group(0)
    assert " hidden" in control
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in control
    assert 'data-attribution="© OpenStreetMap contributors"' in control
    assert 'aria-expanded="false" aria-controls="results-map-panel">Show results on a map</button>' in page
    assert 'role="region" aria-label="Map of the results on this page" dir="ltr"' in page
    assert "The map needs an internet connection. The list below has the same results." in page
    assert "<script>" not in page  # the map reads the list: nothing inline for a Content-Security-Policy to refuse


def test_the_tile_settings_reach_the_page(migrated_engine, connection, quokkas):
    app = make_test_app(
        migrated_engine,
        connection,
        MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png?key=a&b",
        MAP_ATTRIBUTION='Tiles © Example <Maps> & "friends"',
    )
    page = app.test_client().get("/services?q=quokka").text
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png?key=a&amp;b"' in page
    assert 'data-attribution="Tiles © Example &lt;Maps&gt; &amp; &#34;friends&#34;"' in page


def test_the_tile_settings_come_from_the_environment(tmp_path):
    defaults = settings_from_environment({}, instance_path=tmp_path)
    assert defaults["MAP_TILE_URL"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert defaults["MAP_ATTRIBUTION"] == "© OpenStreetMap contributors"
    chosen = settings_from_environment(
        {
            "REFERRAL_APP_MAP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
            "REFERRAL_APP_MAP_ATTRIBUTION": "Ours",
        },
        instance_path=tmp_path,
    )
    assert (chosen["MAP_TILE_URL"], chosen["MAP_ATTRIBUTION"]) == ("https://tiles.example.org/{z}/{x}/{y}.png", "Ours")


def test_places_cost_the_same_queries_for_1_or_20_results_without_a_postcode(client, connection, db_session):
    org = make_organization(db_session, name="Numbat")
    for number in range(20):
        service = make_service(db_session, organization=org, name=f"Numbat {number:02d}")
        tag(db_session, service, needs=["food"])
        add_location(db_session, service, latitude=53.4 + number / 100, longitude=-1.46)
    one = count_queries(connection, lambda: client.get("/services?q=numbat+07"))
    twenty = count_queries(connection, lambda: client.get("/services?q=numbat"))
    assert one == twenty
    assert client.get("/services?q=numbat").text.count("data-lat=") == 20
