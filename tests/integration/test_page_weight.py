"""Page weight (issue 8): what a first visit downloads stays within budget, and responses are compressed.

The whole measure, in a real browser, is bench/page_weight.py; these checks use the test client, with the same
compression, so that a change that makes pages heavier fails here first.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin

import brotli
import pytest

from referral_app.config import PROJECT_ROOT
from tests.conftest import unavailable
from tests.e2e.pages import PAGES_BY_ROLE, PUBLIC_PAGES, SERVICE, with_language
from tests.integration.test_videos import MEDIA_LINK, upload

ONE_BACKEND = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)  # the same pages on both
BUDGET_PAGE = 50_000  # bytes, on the wire
BUDGET_HTML = 15_000
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
# The search with every result (a full page of 20) and a right-to-left page, beyond the public pages' list.
PAGES = list(dict.fromkeys([*PUBLIC_PAGES, "/services?q=", "/?lang=ar", "/?lang=bfi"]))
STATIC = PROJECT_ROOT / "static"
# What a first visit loads besides the page: its stylesheets, scripts and preloaded modules, and what they import.
ASSET = re.compile(r'<(?:link rel="(?:stylesheet|modulepreload)" href|script[^>]* src)="(/static/[^"]+)"')
STATIC_IMPORT = re.compile(r"""(?:^|[;\s])(?:import|export)\b[^'"();]*?\bfrom\s*['"]([^'"]+)['"]""")
# What the WSGI server adds to each response (Date, Server, Connection): about this much under gunicorn.
SERVER_HEADERS = 90


def on_the_wire(response) -> int:
    """Bytes a browser receives for `response` over HTTP/1.1: status line, headers and the body as sent."""
    headers = sum(len(name) + len(value) + 4 for name, value in response.headers.items())
    return len("HTTP/1.1 200 OK\r\n\r\n") + headers + SERVER_HEADERS + len(response.get_data())


@ONE_BACKEND
def test_the_html_of_every_public_page_is_within_budget(client):
    for path in PAGES:
        response = client.get(path, headers=BROWSER)
        assert response.status_code in (200, 404), path
        assert response.headers["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in response.headers["Vary"], path
        assert len(response.get_data()) <= BUDGET_HTML, (path, len(response.get_data()))


@ONE_BACKEND
@pytest.mark.parametrize("path", ["/services?q=", "/", f"/services/{SERVICE}"])
def test_a_first_visit_to_the_heaviest_pages_is_within_budget(client, path):
    page = client.get(path, headers=BROWSER)
    weights = {path: on_the_wire(page)}
    waiting = [urljoin(path, address) for address in ASSET.findall(brotli.decompress(page.get_data()).decode())]
    while waiting:
        address = waiting.pop()
        if address in weights:
            continue
        response = client.get(address, headers=BROWSER)
        assert response.status_code == 200, address
        weights[address] = on_the_wire(response)
        if address.split("?")[0].endswith((".mjs", ".js")):
            source = brotli.decompress(response.get_data()).decode()
            waiting += [urljoin(address, imported) for imported in STATIC_IMPORT.findall(source)]
    assert sum(weights.values()) <= BUDGET_PAGE, weights
    assert not any("leaflet" in address or "results-map" in address for address in weights), "maps load when opened"


@ONE_BACKEND
@pytest.mark.parametrize(("accepted", "encoding"), [("br", "br"), ("gzip", "gzip"), ("gzip;q=1, br;q=0.5", "gzip")])
def test_pages_error_pages_and_json_are_compressed(client, accepted, encoding):
    decode = {"br": brotli.decompress, "gzip": gzip.decompress}[encoding]
    for path, status in (("/services?q=advice", 200), ("/no-such-page", 404), ("/api/openreferral/services", 200)):
        response = client.get(path, headers={"Accept-Encoding": accepted})
        assert response.status_code == status, path
        assert response.headers["Content-Encoding"] == encoding, path
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        assert decode(response.get_data())  # whole


@ONE_BACKEND
def test_no_compression_unless_asked_nor_for_tiny_answers(client):
    assert "Content-Encoding" not in client.get("/help", headers={"Accept-Encoding": "identity"}).headers
    tiny = client.get("/healthz", headers=BROWSER)
    assert tiny.status_code == 200 and len(tiny.get_data()) < 500
    assert "Content-Encoding" not in tiny.headers


@pytest.fixture
def video(app, act_as, client) -> str:
    upload(act_as("admin"), "/admin/videos/home")
    return next(name for name in MEDIA_LINK.findall(client.get("/?lang=bfi").text) if name.endswith(".mp4"))


@ONE_BACKEND
def test_video_is_streamed_with_byte_ranges_and_never_compressed(client, video):
    whole = client.get(f"/media/{video}", headers=BROWSER)
    assert whole.status_code == 200 and whole.is_streamed
    assert "Content-Encoding" not in whole.headers
    part = client.get(f"/media/{video}", headers={**BROWSER, "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert part.get_data() == whole.get_data()[100:200]


def literal_classes(text: str) -> set[str]:
    """GOV.UK Frontend classes written out whole in a template (not built from a variable)."""
    return {name for name in re.findall(r"(?<![\w-])govuk-[a-z0-9!_-]*[a-z0-9](?![\w{-])", text)}


def test_the_stylesheet_has_the_govuk_components_the_templates_use_and_no_others():
    whole = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.css"
    if not whole.exists():
        unavailable("node_modules is missing (npm ci)")
    css, everything = (path.read_text(encoding="utf-8") for path in (STATIC / "css" / "app.css", whole))
    used = set()
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        used |= literal_classes(template.read_text(encoding="utf-8"))
    selectors = {name: "." + name.replace("!", "\\!") for name in used}
    # Left out of app.css while GOV.UK Frontend styles it: a component or override missing from static/scss.
    missing = sorted(name for name, selector in selectors.items() if selector in everything and selector not in css)
    assert not missing, f"not in static/css/app.css (see static/scss/app.scss and _govuk_overrides.scss): {missing}"
    for unused in (".govuk-accordion", ".govuk-header{", ".govuk-tabs", ".govuk-character-count", ".govuk-\\!-static"):
        assert unused not in css, f"{unused}: static/scss should take GOV.UK Frontend from its `base` only"


@ONE_BACKEND
def test_every_page_has_the_javascript_it_needs(client, act_as):
    """Each GOV.UK component with JavaScript on a page is in our bundle of them; htmx loads where hx- is used."""
    bundle = (STATIC / "js" / "vendor" / "govuk-frontend-6.6.0-subset.min.js").read_text(encoding="utf-8")
    bundled = set(re.findall(r'moduleName="(govuk-[a-z-]+)"', bundle))
    pages = [(role, path) for role, paths in PAGES_BY_ROLE.items() if role != "org_staff_other" for path in paths]
    seen = set()
    for role, path in pages:
        if role:
            act_as(role)
        html = client.get(with_language(path, "en")).text
        modules = set(re.findall(r'data-module="(govuk-[a-z-]+)"', html))
        assert modules <= bundled, f"{path}: {sorted(modules - bundled)} (static/js/vendor-src/govuk-frontend.mjs)"
        seen |= modules
        assert ("data-hx-" in html) == ("/htmx-2.0.9.min.js" in html), f"{path}: htmx loads where it is used"
    assert {"govuk-service-navigation", "govuk-error-summary", "govuk-password-input", "govuk-radios"} <= seen
