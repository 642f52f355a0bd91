"""The asset map: with JavaScript, circles drawn from the table's districts; without, the table is the whole page.

The test browser reaches nothing but 127.0.0.1, as a computer with no internet would: no map tiles.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_report, sign_in

PAGE = "/insights/map"
# The districts the table places on the map, and what the circles show of them.
MAP_STATE = """() => {
  const rows = [...document.querySelectorAll('.app-asset-table tr[data-lat][data-services]')]
  const circles = [...document.querySelectorAll('.app-asset-map__canvas path.leaflet-interactive')]
  const sum = (elements, key) => elements.reduce((total, element) => total + Number(element.dataset[key]), 0)
  return {
    districts: rows.length,
    services: sum(rows, 'services'),
    circles: circles.length,
    circled: sum(circles, 'districts'),
    circledServices: sum(circles, 'services'),
    counts: [...document.querySelectorAll('.app-asset-map__count')].map((label) => label.textContent.trim()),
  }
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_map_draws_a_circle_for_the_districts_in_the_table(phone, language):
    page = phone()
    sign_in(page, "commissioner")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{PAGE}?lang={language}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    canvas = page.locator(".app-asset-map__canvas")
    expect(canvas).to_be_visible()
    expect(canvas).to_have_attribute("role", "region")
    expect(canvas).to_have_attribute("dir", "ltr")  # geography is not mirrored
    page.wait_for_function("() => document.querySelectorAll('.app-asset-map__canvas path.leaflet-interactive').length")
    state = page.evaluate(MAP_STATE)
    assert state["districts"] == 9, state  # the demo directory's nine districts
    # Districts too close to tell apart share a circle: every district is in exactly one, with its services.
    assert 0 < state["circles"] <= state["districts"]
    assert state["circled"] == state["districts"]
    assert state["circledServices"] == state["services"]
    assert len(state["counts"]) == state["circles"] and all(re.fullmatch(r"\d+", count) for count in state["counts"])
    assert [url for url in requested if url.startswith("https://tile.openstreetmap.org/")]
    # The table with the same figures is still there, right after the map.
    expect(page.locator(".app-asset-table table")).to_be_visible()
    report = axe_report(page)
    assert not report, report
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def test_a_circle_names_its_districts_and_zooming_in_separates_them(phone):
    page = phone()
    sign_in(page, "commissioner")
    page.goto(f"{PAGE}?lang=en")
    circles = page.locator(".app-asset-map__canvas path.leaflet-interactive")
    expect(circles.first).to_be_visible()
    before = circles.count()
    circles.first.click()
    expect(page.locator(".app-asset-map__popup")).to_contain_text(re.compile(r"^[A-Z]{1,2}\d+: \d+ services?"))
    page.locator(".leaflet-popup-close-button").click()
    for _ in range(3):
        page.get_by_role("button", name="Zoom in").click()
    page.wait_for_timeout(300)
    assert page.evaluate(MAP_STATE)["circles"] >= before  # nothing lost; close districts come apart


def test_without_javascript_the_table_is_the_whole_page(phone, check_page):
    page = phone(javascript=False)
    sign_in(page, "commissioner")
    page.goto(f"{PAGE}?need=food&lang=en")
    expect(page.get_by_role("heading", name="Asset map", level=1)).to_be_visible()
    expect(page.locator(".app-asset-map")).to_be_hidden()
    table = page.get_by_role("region", name="Services by postcode district").get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(9)  # headings, the seven districts with food, the total
    expect(page.get_by_role("link", name=re.compile("Download this table"))).to_have_attribute(
        "href", re.compile(r"^/insights/map\.csv\?")
    )
    check_page(page, javascript=False)
