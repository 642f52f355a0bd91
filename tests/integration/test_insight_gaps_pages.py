"""The gaps page and its CSV files: who may see them, that each CSV says what its table shows, bad filters, and
that no resident and no rarely typed words appear."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from referral_app.models import SearchLog
from tests.factories import make_organization, make_service

TABLES = [
    "supply", "declines_by_need", "declines_by_organisation", "no_results_by_words", "no_results_by_area",
    "no_results_by_language", "listings", "reach_by_area", "reach_by_language",
]  # fmt: skip


@pytest.mark.parametrize("role_key", ["commissioner", "admin"])
def test_commissioners_and_admins_see_the_gaps(act_as, role_key):
    response = act_as(role_key).get("/insights/gaps")
    assert response.status_code == 200
    for name in TABLES:
        assert f'id="gap-{name}"' in response.text
        assert f"/insights/gaps/{name}.csv" in response.text


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff"])
def test_nobody_else_does(act_as, role_key):
    client = act_as(role_key)
    assert client.get("/insights/gaps").status_code == 403
    assert client.get("/insights/gaps/supply.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/insights/gaps", "/insights/gaps/listings.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def cells_of(row_html: str) -> list[str]:
    cells = []
    for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.S):
        moment = re.search(r'<time datetime="([^"]+)"', cell)
        text = moment.group(1) if moment else unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        cells.append(text.replace(",", "") if re.fullmatch(r"[\d,]+(\.\d)?", text) else text)
    return cells


def page_table(html: str, name: str) -> list[list[str]]:
    """The table's header and rows as a reader sees them (dates as written in their datetime attribute)."""
    section = html[html.index(f'id="gap-{name}"') :]
    table = section[section.index("<table") : section.index("</table>")]
    return [cells_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def csv_rows(response) -> list[list[str]]:
    assert response.text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))


@pytest.mark.parametrize("name", TABLES)
def test_each_csv_holds_what_its_table_shows(act_as, name):
    client = act_as("commissioner")
    query = "?since=2025-01-01&area=S4&lang=en"  # in an area, every table fits on the page
    html = client.get(f"/insights/gaps{query}").text
    response = client.get(f"/insights/gaps/{name}.csv{query}")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="insights-gaps-{name}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    shown = page_table(html, name)
    assert len(shown) > 1, "the demo data should fill every table"
    assert csv_rows(response) == shown


def test_small_numbers_say_fewer_than_5_in_page_and_csv(act_as):
    client = act_as("commissioner")
    html = client.get("/insights/gaps?area=LD6").text  # a small district in the demo history
    assert "fewer than 5" in html
    assert "fewer than 5" in client.get("/insights/gaps/supply.csv?area=LD6").text


def test_only_words_used_by_5_searches_that_found_nothing_are_shown(act_as):
    client = act_as("commissioner")
    rows = page_table(client.get("/insights/gaps").text, "no_results_by_words")
    words = [row[0] for row in rows[1:]]
    assert "tłumacz" in words  # typed as "tłumacz", "Tłumacz" and " TŁUMACZ " by 8 searches in the demo data
    assert "cymorth iechyd meddwl" in words  # 4 and 3 times, in two cases
    assert "Other words, each used by fewer than 5 of these searches" in words
    text = client.get("/insights/gaps/no_results_by_words.csv").text
    for rare in ("allotment", "chess club", "sewing group"):  # fewer than 5 times each
        assert rare not in words and rare not in text


def test_no_resident_is_named_anywhere(act_as):
    client = act_as("commissioner")
    pages = [client.get("/insights/gaps").text] + [client.get(f"/insights/gaps/{name}.csv").text for name in TABLES]
    for text in pages:
        for name in ("Demo resident", "Ana Lakatos", "Ion Popescu", "07700"):
            assert name not in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=yesterday", "since", "Enter a date like 2026-11-24"),
        ("since=2026-05-01&until=2026-01-01", "until", "The end date must be the same as or after the start date"),
        ("area=not a postcode", "area", "Enter the first part of a postcode, like S4 or NR30"),
        ("need=unicorns", "need", "Choose an option from the list"),
    ],
)
def test_bad_filters_get_a_message_and_the_rest_still_shows(act_as, query, field, message):
    client = act_as("commissioner")
    response = client.get(f"/insights/gaps?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert f'href="#{field}' in response.text  # the error summary links to the field
    assert 'id="gap-supply"' in response.text
    assert client.get(f"/insights/gaps/supply.csv?{query}").status_code == 200


def test_filters_the_page_does_not_offer_are_ignored(act_as):
    response = act_as("commissioner").get("/insights/gaps?organisation=not-an-id&group=nobody&lang=en")
    assert response.status_code == 200
    assert "There is a problem" not in response.text


def test_the_page_shows_the_first_100_rows_of_a_table_and_the_csv_all(act_as, db_session):
    organisation = make_organization(db_session)
    for number in range(45):
        make_service(db_session, organization=organisation, name=f"Unchecked listing {number}")
    client = act_as("commissioner")
    html = client.get("/insights/gaps").text
    listed = page_table(html, "listings")[1:]
    everything = csv_rows(client.get("/insights/gaps/listings.csv"))[1:]
    assert len(listed) == 100 and len(everything) > 100
    assert everything[:100] == listed
    assert f"Showing the first 100 of {len(everything)} rows." in html


def test_words_that_a_spreadsheet_would_run_stay_words_in_the_csv(act_as, db_session):
    for _ in range(5):
        db_session.add(SearchLog(terms="=HYPERLINK(0)", outcode="TR21", result_count=0))
    db_session.flush()
    client = act_as("commissioner")
    assert ["=hyperlink(0)", "5"] in page_table(client.get("/insights/gaps?area=TR21").text, "no_results_by_words")
    assert ["'=hyperlink(0)", "5"] in csv_rows(client.get("/insights/gaps/no_results_by_words.csv?area=TR21"))


def test_unknown_tables_are_not_found(act_as):
    assert act_as("commissioner").get("/insights/gaps/secrets.csv").status_code == 404
