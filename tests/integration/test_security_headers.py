"""Security headers on every kind of response, HSTS only over HTTPS, and templates that need no inline code."""

import re
from pathlib import Path

import pytest
from flask import request

from referral_app.access import public
from referral_app.config import PROJECT_ROOT, ConfigurationError, settings_from_environment
from referral_app.security_headers import tile_source
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN
from tests.conftest import make_test_app

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: https://tile.openstreetmap.org",
    "media-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS = "max-age=31536000; includeSubDomains"


def csp_of(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: sources for name, sources in directives}


def assert_secured(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    assert csp_of(response) == CSP
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


@pytest.fixture
def failing_app(migrated_engine, connection):
    """An app as in production (errors reach the handlers, never the person) with a view that raises."""
    app = make_test_app(migrated_engine, connection, PROPAGATE_EXCEPTIONS=False)
    app.testing = False

    @public
    def explode():
        raise RuntimeError("secret detail in the traceback")

    app.add_url_rule("/test-explode", "explode", explode)
    return app


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/", 200, "text/html"),
        ("/api/openreferral/", 200, "application/json"),
        ("/static/css/app.css", 200, "text/css"),
        ("/no-such-page", 404, "text/html"),
        ("/api/openreferral/nothing-here", 404, "application/json"),
    ],
)
def test_every_kind_of_response_has_the_headers(client, path, status, kind):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == kind
    assert_secured(response)


def test_the_500_page_has_the_headers_and_no_traceback(failing_app):
    response = failing_app.test_client().get("/test-explode")
    assert response.status_code == 500
    assert_secured(response)
    for leak in ("Traceback", "RuntimeError", "secret detail", 'File "', "werkzeug", "Werkzeug"):
        assert leak not in response.text, leak


def test_the_status_page_keeps_its_stricter_referrer_policy(client):
    response = client.get(f"/requests/{DEMO_STATUS_TOKEN}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert csp_of(response) == CSP


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == HSTS
    # Without trusted proxies the header is anyone's to send: it changes nothing.
    spoofed = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_behind_a_trusted_proxy_its_scheme_and_client_address_are_used(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection, TRUSTED_PROXIES=1)
    seen = []

    @public
    def where():
        seen.append((request.scheme, request.remote_addr))
        return "ok"

    app.add_url_rule("/test-where", "where", where)
    client = app.test_client()
    through_proxy = client.get("/test-where", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert through_proxy.headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/test-where").headers  # the proxy said plain http
    assert seen == [("https", "203.0.113.9"), ("http", "127.0.0.1")]


def test_trusted_proxies_setting_is_checked():
    assert settings_from_environment({}, instance_path=Path("/tmp"))["TRUSTED_PROXIES"] == 0
    with pytest.raises(ConfigurationError, match="REFERRAL_APP_TRUSTED_PROXIES"):
        settings_from_environment({"REFERRAL_APP_TRUSTED_PROXIES": "yes"}, instance_path=Path("/tmp"))


def test_the_map_tile_server_in_img_src_follows_the_setting(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection, MAP_TILE_URL="https://{s}.tiles.example.net:8443/{z}/{x}/{y}.png")
    img_src = csp_of(app.test_client().get("/static/css/app.css"))["img-src"]
    assert img_src == "'self' data: https://*.tiles.example.net:8443"


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),  # this site: 'self' already allows it
    ],
)
def test_tile_source(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize("url", ["tile.example.org/{z}/{x}/{y}.png", "ftp://tiles/{z}", "https://a.{s}.example.org/"])
def test_a_tile_url_csp_cannot_express_stops_the_app(url):
    with pytest.raises(ConfigurationError, match="REFERRAL_APP_MAP_TILE_URL"):
        tile_source(url)


TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html"))
# Inside a tag: a <script> without src, an on...= event handler, a style attribute, a <style> element or a
# javascript: address. The CSP blocks each of them, so a template must use files in static/ and classes instead.
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_has_inline_script_or_style():
    assert len(TEMPLATES) > 20
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_htmx_is_told_not_to_add_its_indicator_style(client):
    html = client.get("/services").text  # the search page: htmx loads only where it is used
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false""" in html
    assert not INLINE["inline script"].search(html) and not INLINE["style attribute"].search(html)
