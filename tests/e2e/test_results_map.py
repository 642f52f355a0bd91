"""The results map: with JavaScript a map of the list's results, loaded only when asked for; without, just the list.

The test browser reaches nothing but 127.0.0.1, so these run as a phone with no internet would: no map tiles.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_report

SEARCH = "/services?postcode=S4+7AB&need=money"
SHOW, HIDE = "Show results on a map", "Hide the map"
# What the list holds and what the map shows. Results too close to tell apart at this zoom share a marker
# (`data-services` says how many), so every marker stays a whole 24 px target.
MAP_STATE = """() => {
  const located = [...document.querySelectorAll('#results .app-result[data-lat][data-lng]')]
  const markers = [...document.querySelectorAll('#results-map .leaflet-marker-icon')]
  const names = (elements) => elements.map((e) => e.querySelector('.app-result__link').textContent.trim())
  return {
    located: names(located).sort(),
    places: new Set(located.map((r) => r.dataset.lat + ',' + r.dataset.lng)).size,
    markers: markers.length,
    onMap: markers.reduce((sum, marker) => sum + Number(marker.dataset.services), 0),
    labels: markers.map((marker) => marker.getAttribute('alt') || marker.getAttribute('aria-label')).join(' | '),
  }
}"""
MARKERS_MATCH_LIST = """() => {
  const located = document.querySelectorAll('#results .app-result[data-lat][data-lng]').length
  const markers = [...document.querySelectorAll('#results-map .leaflet-marker-icon')]
  return located > 0 && markers.reduce((sum, marker) => sum + Number(marker.dataset.services), 0) === located
}"""


def open_map(page):
    page.get_by_role("button", name=SHOW).click()
    page.wait_for_function(MARKERS_MATCH_LIST)


def assert_no_axe_violations(page):
    report = axe_report(page)
    assert not report, report


def test_the_map_shows_the_results_and_follows_the_filters(phone):
    page = phone()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(SEARCH)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"services? nearest to S4 first"))
    toggle = page.get_by_role("button", name=SHOW)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "results-map-panel")
    assert not [url for url in requested if "leaflet" in url], "Leaflet loads before anyone asks for the map"

    open_map(page)
    toggle = page.get_by_role("button", name=HIDE)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("region", name="Map of the results on this page")).to_be_visible()
    expect(page.get_by_text("The map needs an internet connection.")).to_be_visible()
    state = page.evaluate(MAP_STATE)
    assert state["located"], "the search should find services with an address"
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(state["places"])  # one per place here
    assert state["onMap"] == len(state["located"])
    assert all(name in state["labels"] for name in state["located"]), state
    # Fingerprinted, as every static file is (referral_app/static_files.py).
    assert [url for url in requested if re.search(r"/leaflet-1\.9\.4\.min\.js\?v=[0-9a-f]{12}$", url)]
    assert [url for url in requested if re.search(r"/leaflet\.css\?v=[0-9a-f]{12}$", url)]
    # The tiles come from the configured server and cannot load here; the markers and the list stay.
    assert [url for url in requested if url.startswith("https://tile.openstreetmap.org/")]
    expect(page.locator("#results .app-result").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Type of help").select_option("food")  # the filters are open: one is chosen
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^10 services nearest to S4 first"))
    page.wait_for_function(MARKERS_MATCH_LIST)
    changed = page.evaluate(MAP_STATE)
    assert changed["located"] != state["located"]
    assert all(name in changed["labels"] for name in changed["located"]), changed
    expect(page.get_by_role("region", name="Map of the results on this page")).to_be_visible()

    toggle.click()
    expect(page.get_by_role("button", name=SHOW)).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("region", name="Map of the results on this page")).to_be_hidden()
    expect(page.locator("#results .app-result").first).to_be_visible()


def test_markers_work_by_keyboard(phone):
    page = phone()
    page.goto(SEARCH)
    open_map(page)
    marker = page.locator("#results-map .leaflet-marker-icon").first
    marker.focus()
    page.keyboard.press("Enter")
    popup_link = page.locator("#results-map .leaflet-popup a.app-result__link").first
    expect(popup_link).to_be_focused()
    expect(popup_link).to_have_attribute("href", re.compile(r"^/services/[0-9a-f-]{36}$"))
    expect(page.locator("#results-map .leaflet-popup")).to_contain_text("miles away")
    page.keyboard.press("Escape")
    expect(page.locator("#results-map .leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_open_map_has_no_axe_violations_and_keeps_the_layout(phone, language):
    page = phone()
    page.goto(f"{SEARCH}&lang={language}")
    page.locator(".app-results-map__toggle").click()
    page.wait_for_function(MARKERS_MATCH_LIST)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.locator(".app-results-map__canvas")).to_have_attribute("dir", "ltr")  # geography is not mirrored
    # ... but its controls are: zoom buttons where lines start, the credit at the other bottom corner.
    zoom_corner = "top.leaflet-right" if language == "ar" else "top.leaflet-left"
    credit_corner = "bottom.leaflet-left" if language == "ar" else "bottom.leaflet-right"
    expect(page.locator(f".leaflet-{zoom_corner} .leaflet-control-zoom")).to_have_count(1)
    expect(page.locator(f".leaflet-{credit_corner} .leaflet-control-attribution")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert_no_axe_violations(page)


def test_without_javascript_the_page_is_just_the_list(phone):
    page = phone(javascript=False)
    page.goto(SEARCH)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"services? nearest to S4 first"))
    expect(page.locator("#results .app-result").first).to_be_visible()
    expect(page.get_by_role("button", name=SHOW)).to_have_count(0)
    expect(page.get_by_role("region", name="Map of the results on this page")).to_have_count(0)
    expect(page.get_by_text("The map needs an internet connection.")).to_be_hidden()
