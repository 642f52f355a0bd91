"""Static files: fingerprinted addresses (modules' imports too), a year's caching, compressed copies, no session."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from referral_app.config import PROJECT_ROOT
from referral_app.static_files import IMMUTABLE, SHORT, StaticFiles, scan

ONE_BACKEND = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)  # the database plays no part

STATIC = PROJECT_ROOT / "static"
FINGERPRINTED = re.compile(r"^/static/(?P<name>[^?\"]+)\?v=(?P<fingerprint>[0-9a-f]{12})$")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def static_url(app, filename: str) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for("static", filename=filename)


@ONE_BACKEND
def test_a_static_address_carries_the_hash_of_the_file(app):
    url = static_url(app, "css/app.css")
    assert url == f"/static/css/app.css?v={sha((STATIC / 'css/app.css').read_bytes())}"
    assert static_url(app, "img/icons/icon-192.png").endswith(
        f"?v={sha((STATIC / 'img/icons/icon-192.png').read_bytes())}"
    )
    assert static_url(app, "no/such-file.css") == "/static/no/such-file.css"  # nothing to fingerprint


@ONE_BACKEND
def test_every_static_address_in_a_page_is_current(client, app):
    html = client.get("/services?q=food").text
    addresses = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert {"css/app.css", "js/app.mjs"} <= {FINGERPRINTED.match(a)["name"] for a in addresses}
    files = app.extensions["static_files"].files
    for address in addresses:
        match = FINGERPRINTED.match(address)
        assert match and files[match["name"]].fingerprint == match["fingerprint"], address


@ONE_BACKEND
@pytest.mark.parametrize("encoding", ["br", "gzip", None])
def test_a_current_file_is_compressed_and_kept_for_a_year(client, app, encoding):
    response = client.get(static_url(app, "css/app.css"), headers={"Accept-Encoding": encoding or "identity"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/css"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert response.headers.get("Content-Encoding") == encoding
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
    assert decoded == (STATIC / "css/app.css").read_bytes()
    if encoding:
        assert len(body) < len(decoded) / 5


@ONE_BACKEND
def test_without_the_current_fingerprint_the_file_is_kept_only_briefly(client, app):
    current = client.get(static_url(app, "css/app.css"), headers={"Accept-Encoding": "br"})
    for stale in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(stale, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == SHORT == "public, max-age=300"
        assert response.get_data() == current.get_data()  # the file as it is now


@ONE_BACKEND
def test_a_copy_the_browser_has_gets_a_304(client, app):
    url = static_url(app, "js/app.mjs")
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200  # each encoding is its own copy
    assert other.headers["ETag"] != first.headers["ETag"]


@ONE_BACKEND
def test_images_are_fingerprinted_and_sent_as_they_are(client, app):
    response = client.get(static_url(app, "img/icons/icon-192.png"), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Content-Disposition" not in response.headers
    assert response.get_data() == (STATIC / "img/icons/icon-192.png").read_bytes()


@ONE_BACKEND
def test_a_missing_file_is_not_found(client):
    assert client.get("/static/css/no-such-file.css").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


@ONE_BACKEND
def test_static_files_never_touch_the_session(client, app, act_as):
    act_as("link_worker")  # a session cookie that a page would read, and refresh
    assert "Cookie" in client.get("/").headers["Vary"]
    for url in (static_url(app, "css/app.css"), static_url(app, "img/icons/icon-192.png"), "/static/css/app.css"):
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert "Cookie" not in response.headers.get("Vary", ""), url
        assert "Set-Cookie" not in response.headers, url
    client.get("/static/css/app.css?lang=ar")  # a language asked for with a file is not remembered
    assert 'lang="en"' in client.get("/help").text


@ONE_BACKEND
def test_modules_import_one_another_by_fingerprinted_addresses(app):
    files = app.extensions["static_files"].files

    def imported(module: str) -> set[str]:
        return set(re.findall(r"""['"](\.{1,2}/[^'"]+)['"]""", files[module].body.decode()))

    def address(target: str) -> str:
        return f"?v={files[target].fingerprint}"

    assert f"./vendor/govuk-frontend-6.6.0-subset.min.js{address('js/vendor/govuk-frontend-6.6.0-subset.min.js')}" in (
        imported("js/app.mjs")
    )
    assert f"./results-map.mjs{address('js/results-map.mjs')}" in imported("js/app.mjs")
    assert f"./map-loader.mjs{address('js/map-loader.mjs')}" in imported("js/results-map.mjs")
    leaflet = imported("js/map-loader.mjs")
    assert f"./vendor/leaflet-1.9.4.min.js{address('js/vendor/leaflet-1.9.4.min.js')}" in leaflet
    assert f"../vendor/leaflet-1.9.4/leaflet.css{address('vendor/leaflet-1.9.4/leaflet.css')}" in leaflet
    icon = "vendor/leaflet-1.9.4/images/marker-icon.png"
    assert f"../{icon}{address(icon)}" in leaflet
    for module in ("js/app.mjs", "js/results-map.mjs", "js/asset-map.mjs", "js/map-loader.mjs"):
        assert all("?v=" in target for target in imported(module)), (module, imported(module))
        assert files[module].fingerprint == sha(files[module].body)  # the text as sent


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_a_change_to_an_imported_module_changes_the_address_of_every_module_that_imports_it(tmp_path):
    write(
        tmp_path,
        {
            "app.mjs": "import { a } from './lib/a.mjs'\nimport('./b.mjs')\n",
            "lib/a.mjs": "export const a = new URL('../img/x.png', import.meta.url)\n",
            "b.mjs": "import x from 'bare-name'\nimport y from './missing.mjs'\n",
            "img/x.png": "png",
        },
    )
    before = scan(tmp_path)
    assert (
        before["app.mjs"]
        .body.decode()
        .startswith(f"import {{ a }} from './lib/a.mjs?v={before['lib/a.mjs'].fingerprint}'")
    )
    assert f"'../img/x.png?v={sha(b'png')}'" in before["lib/a.mjs"].body.decode()
    assert before["b.mjs"].body.decode() == "import x from 'bare-name'\nimport y from './missing.mjs'\n"  # left as is
    (tmp_path / "img/x.png").write_text("another png")
    after = scan(tmp_path)
    assert after["lib/a.mjs"].fingerprint != before["lib/a.mjs"].fingerprint
    assert after["app.mjs"].fingerprint != before["app.mjs"].fingerprint
    assert after["b.mjs"].fingerprint == before["b.mjs"].fingerprint


def test_modules_that_import_each_other_are_refused(tmp_path):
    write(tmp_path, {"a.mjs": "import './b.mjs'\nimport('./b.mjs')", "b.mjs": "export * from './a.mjs'"})
    with pytest.raises(ValueError, match="imports itself"):
        scan(tmp_path)


def test_a_developer_server_sees_a_changed_file(tmp_path):
    write(tmp_path, {"css/app.css": "body { color: red }"})
    files = StaticFiles(tmp_path)
    old = files.fingerprint("css/app.css")
    write(tmp_path, {"css/app.css": "body { color: blue }"})
    files.refresh()
    assert files.fingerprint("css/app.css") == sha(b"body { color: blue }") != old


@ONE_BACKEND
def test_the_favicon_is_inside_the_page(client):
    html = client.get("/help").text
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)[1]
    assert icon.startswith("data:image/svg+xml,%3Csvg")
    assert " " not in icon and "#" not in icon
