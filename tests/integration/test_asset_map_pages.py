"""The asset map page and its CSV: who may see them, that the CSV says what the table says, bad filters, nothing."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from sqlmodel import update

from referral_app.models import Service, ServiceStatus
from referral_app.services.demo_data import demo_id
from tests.conftest import error_shown

PAGE, CSV = "/insights/map", "/insights/map.csv"


@pytest.mark.parametrize("role_key", ["commissioner", "admin"])
def test_commissioners_and_admins_see_the_asset_map(act_as, role_key):
    client = act_as(role_key)
    response = client.get(f"{PAGE}?lang=en")
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Asset map</h1>' in response.text
    assert client.get(CSV).status_code == 200


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff"])
def test_nobody_else_does(act_as, role_key):
    client = act_as(role_key)
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in (PAGE, CSV):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def table_rows(html: str) -> list[list[str]]:
    """The table's cells as the page shows them, heading row first."""
    table = html[html.index('<table class="govuk-table">') : html.index("</table>")]
    rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, re.S)
    return [[unescape(cell).strip() for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def csv_rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="insights-asset-map.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))


@pytest.mark.parametrize("query", ["lang=en", "need=food&lang=en", "area=S4&lang=en", "lang=ar"])
def test_the_csv_holds_what_the_table_shows(act_as, query):
    client = act_as("commissioner")
    page = table_rows(client.get(f"{PAGE}?{query}").text)
    assert csv_rows(client.get(f"{CSV}?{query}")) == page
    assert len(page) > 2


def test_the_table_has_a_row_per_district_and_a_column_per_need(act_as):
    client = act_as("commissioner")
    rows = table_rows(client.get(f"{PAGE}?lang=en").text)
    assert rows[0][:3] == ["Postcode district", "Services", "Mental health"]
    labels = [row[0] for row in rows[1:]]
    assert labels == ["LD1", "LD6", "NR30", "NR31", "S3", "S4", "S5", "SY16", "SY18", "No fixed place", "Total"]
    assert all(len(row) == len(rows[0]) for row in rows)
    # With a need chosen, one column of figures: every service counted meets it.
    food = table_rows(client.get(f"{PAGE}?need=food&lang=en").text)
    assert food[0] == ["Postcode district", "Services"]
    assert ["S4", "2"] in food  # the community meal and the cooking course at Spital Hill Community Kitchen
    only_s4 = table_rows(client.get(f"{PAGE}?area=s4&lang=en").text)
    assert [row[0] for row in only_s4[1:]] == ["S4", "Total"]
    assert only_s4[1][1] == only_s4[2][1]


def test_the_map_reads_the_districts_from_the_table_and_no_script_is_inline(act_as):
    html = act_as("commissioner").get(f"{PAGE}?lang=en").text
    assert 'data-module="app-asset-map" hidden' in html  # shown by JavaScript only
    assert 'role="region" aria-label="Map of services by postcode district"' in html
    located = re.findall(
        r'<tr class="govuk-table__row" data-lat="([-\d.]+)" data-lng="([-\d.]+)" data-services="(\d+)"', html
    )
    assert len(located) == 9
    assert 'data-label="S4: ' in html and ' services"' in html
    assert all(re.fullmatch(r"<script\b[^>]*\bsrc=[^>]*>", tag) for tag in re.findall(r"<script\b[^>]*>", html))


def test_the_organisation_filter_keeps_to_that_organisation(act_as):
    # Deaf Connect's four services all meet at the Deaf Connect Centre, S3 7EQ.
    html = act_as("commissioner").get(f"{PAGE}?organisation={demo_id('Deaf Connect')}&lang=en").text
    assert [row[:2] for row in table_rows(html)[1:]] == [["S3", "4"], ["Total", "4"]]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("area=not a postcode", "area", "Enter the first part of a postcode, like S4 or NR30"),
        ("need=unicorns", "need", "Choose an option from the list"),
        ("organisation=not-an-id", "organisation", "Choose an option from the list"),
    ],
)
def test_bad_filters_get_a_message_and_the_rest_still_shows(act_as, query, field, message):
    client = act_as("commissioner")
    response = client.get(f"{PAGE}?{query}&lang=en")
    assert response.status_code == 200
    assert error_shown(response.text, field, message)
    assert "<title>Error: Asset map" in response.text
    assert table_rows(response.text)[-1][0] == "Total"  # the filter is left out; the figures still show
    assert client.get(f"{CSV}?{query}").status_code == 200


def test_the_page_works_with_no_services(act_as, db_session):
    db_session.exec(update(Service).values(status=ServiceStatus.INACTIVE))
    db_session.flush()
    client = act_as("commissioner")
    response = client.get(f"{PAGE}?lang=en")
    assert response.status_code == 200
    assert "No services match these filters." in response.text
    assert "app-asset-map" not in response.text and "<table" not in response.text
    assert csv_rows(client.get(CSV)) == [["Postcode district", "Services"], ["Total", "0"]]


def test_an_area_with_no_services_says_so(act_as):
    response = act_as("commissioner").get(f"{PAGE}?area=ZZ9&lang=en")
    assert response.status_code == 200
    assert "No services match these filters." in response.text


def test_the_page_is_right_to_left_in_arabic(act_as):
    response = act_as("commissioner").get(f"{PAGE}?lang=ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.text
    assert 'class="app-asset-map__canvas" role="region"' in response.text and 'dir="ltr"' in response.text
