"""The insights page and its CSV files: who may see them, that the CSV says what the page says, bad filters."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from referral_app.services.demo_data import demo_id

TABLES = [
    "over_time", "by_need", "by_area", "by_group", "by_language", "by_communication", "by_organisation",
    "decline_reasons", "response_times",
]  # fmt: skip


@pytest.mark.parametrize("role_key", ["commissioner", "admin"])
def test_commissioners_and_admins_see_the_insights(act_as, role_key):
    response = act_as(role_key).get("/insights")
    assert response.status_code == 200
    for name in TABLES:
        assert f'id="insight-{name}"' in response.text
        assert f"/insights/{name}.csv" in response.text
    assert response.text.count('<svg class="app-chart"') == len(TABLES)
    assert 'role="img"' in response.text and "<title id=" in response.text and "<desc id=" in response.text


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff"])
def test_nobody_else_does(act_as, role_key):
    client = act_as(role_key)
    assert client.get("/insights").status_code == 403
    assert client.get("/insights/by_need.csv").status_code == 403
    assert client.get("/insights/wellbeing").status_code == 403
    assert client.get("/insights/wellbeing_by_need.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/insights").status_code == 302
    assert client.get("/insights/by_area.csv").status_code == 302
    assert client.get("/insights/wellbeing").status_code == 302


def test_no_resident_is_named_anywhere(act_as):
    html = act_as("commissioner").get("/insights").text
    for name in ("Demo resident", "Ana Lakatos", "Ion Popescu"):
        assert name not in html
    for table in TABLES:
        assert "Demo resident" not in act_as("commissioner").get(f"/insights/{table}.csv").text


def page_rows(html: str, name: str) -> list[tuple[str, str]]:
    section = html[html.index(f'id="insight-{name}"') :]
    table = section[section.index("<tbody") : section.index("</tbody>")]
    cells = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', table, re.S)
    return [(unescape(label).strip(), unescape(value).strip()) for label, value in cells]


@pytest.mark.parametrize("name", TABLES)
def test_each_csv_holds_what_its_table_shows(act_as, name):
    client = act_as("commissioner")
    query = "?need=food&lang=en"
    html = client.get(f"/insights{query}").text
    response = client.get(f"/insights/{name}.csv{query}")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="insights-{name}.csv"'
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert lines[0][1] == "Referrals"
    shown = [(label, value.replace(",", "")) for label, value in page_rows(html, name)]
    assert [(label, value) for label, value in lines[1:]] == shown


def test_small_numbers_say_fewer_than_5_in_page_and_csv(act_as):
    client = act_as("commissioner")
    html = client.get("/insights?area=LD6").text  # a small district in the demo history
    assert "fewer than 5" in html
    csv_text = client.get("/insights/by_language.csv?area=LD6").text
    assert "fewer than 5" in csv_text


def test_filters_by_organisation_keep_to_that_organisation(act_as):
    riverside = demo_id("Riverside Community Hub")
    html = act_as("admin").get(f"/insights?organisation={riverside}").text
    rows = page_rows(html, "by_organisation")
    assert [label for label, _value in rows] == ["Riverside Community Hub", "Total"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=yesterday", "since", "Enter a date like 2026-11-24"),
        ("since=2026-05-01&until=2026-01-01", "until", "The end date must be the same as or after the start date"),
        ("area=not a postcode", "area", "Enter the first part of a postcode, like S4 or NR30"),
        ("need=unicorns", "need", "Choose an option from the list"),
        ("organisation=not-an-id", "organisation", "Choose an option from the list"),
    ],
)
def test_bad_filters_get_a_message_and_the_rest_still_shows(act_as, query, field, message):
    response = act_as("commissioner").get(f"/insights?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert 'id="insight-by_need"' in response.text


def test_unknown_tables_are_not_found(act_as):
    assert act_as("commissioner").get("/insights/secrets.csv").status_code == 404


def grid_rows(html: str, name: str) -> list[list[str]]:
    section = html[html.index(f'id="insight-{name}"') :]
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row] for row in cells]


@pytest.mark.parametrize("name", ["wellbeing", "wellbeing_by_need", "wellbeing_by_group"])
def test_each_wellbeing_csv_holds_what_its_table_shows(act_as, name):
    client = act_as("commissioner")
    html = client.get("/insights/wellbeing?lang=en").text  # the demo history has ONS4 answers before and after
    assert f"/insights/{name}.csv" in html
    lines = list(csv.reader(io.StringIO(client.get(f"/insights/{name}.csv?lang=en").text.lstrip("\ufeff"))))
    page = grid_rows(html, name)
    assert lines == page
    assert len(page) > 2 and page[0][1] == "People"
    assert any(re.fullmatch(r"[+-]\d+\.\d", cell) for row in page[1:] for cell in row)  # mean changes, signed
    assert '<span dir="ltr">+' in html  # the sign stays in front in a right-to-left language too


def test_the_insights_pages_link_to_each_other(act_as):
    client = act_as("commissioner")
    for path in ("/insights", "/insights/wellbeing", "/insights/gaps", "/insights/map"):
        html = client.get(path).text
        nav = html[html.index('class="app-insight-nav"') : html.index("</nav>", html.index('class="app-insight-nav"'))]
        assert nav.count("<a ") == 4 and nav.count('aria-current="page"') == 1
        assert re.search(rf'href="{path}"\s+aria-current="page"', nav)


def test_wellbeing_for_fewer_than_5_people_shows_no_figures(act_as):
    html = act_as("commissioner").get("/insights/wellbeing?lang=en&need=immigration").text
    rows = grid_rows(html, "wellbeing")[1:]
    assert rows and all(row[1] == "fewer than 5" and set(row[2:]) == {"not shown", "fewer than 5"} for row in rows)
