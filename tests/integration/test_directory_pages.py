import uuid

from referral_app.services.demo_data import demo_id


def test_find_services_lists_demo_services(client):
    response = client.get("/services")
    assert response.status_code == 200
    assert "Community food pantry" in response.text
    assert "Evening text support" not in response.text  # inactive services are not listed
    assert "62 services" in response.text  # 65 demo services: 2 inactive, 1 awaiting approval


def test_search_filters_and_keeps_what_was_typed(client):
    response = client.get("/services?q=deaf")
    assert "BSL social club" in response.text
    assert "Community food pantry" not in response.text
    assert 'value="deaf"' in response.text
    assert "4 services match “deaf”" in response.text


def test_search_with_no_results_suggests_what_to_try(client):
    response = client.get("/services?q=zzzzzz")
    assert response.status_code == 200
    assert "0 services match" in response.text
    assert "No services match your search" in response.text


def test_htmx_request_gets_only_the_results(client):
    response = client.get("/services?q=food", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text
    assert 'data-hx-swap-oob="innerHTML"' in response.text
    assert "Community food pantry" in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_also_varies_on_htmx_header(client):
    response = client.get("/services?q=food")
    assert "<html" in response.text
    assert "HX-Request" in response.headers["Vary"]
    assert 'data-hx-get="/services"' in response.text
    assert 'method="get" action="/services"' in response.text  # works without JavaScript


def test_bad_page_numbers_and_long_queries_are_handled(client):
    assert client.get("/services?page=abc").status_code == 200
    assert client.get("/services?page=-5").status_code == 200
    assert client.get("/services?page=999").status_code == 200
    assert client.get("/services?q=" + "x" * 5000).status_code == 200


def test_service_page(client):
    response = client.get(f"/services/{demo_id('Deaf Connect/BSL social club')}")
    assert response.status_code == 200
    assert "BSL social club" in response.text
    assert "Deaf Connect" in response.text


def test_temporarily_closed_service_says_so(client):
    response = client.get(f"/services/{demo_id('Riverside Community Hub/Tuesday lunch club')}")
    assert "This service is temporarily closed." in response.text


def test_organisation_page_lists_its_services(client):
    response = client.get(f"/organisations/{demo_id('Deaf Connect')}")
    assert response.status_code == 200
    assert "BSL social club" in response.text
    assert "Deaf advocacy service" in response.text


def test_unknown_service_or_organisation_is_404(client):
    assert client.get(f"/services/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/organisations/{uuid.uuid4()}").status_code == 404
    assert client.get("/services/not-a-uuid").status_code == 404
