"""The installable app: manifest and icons, the service worker's address and headers, the offline page, and the
rule that keeps anything personal out of every cache (`no-store`). The worker itself is tested in a real browser:
tests/e2e/test_offline.py."""

import re
import struct

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import func, select

from referral_app.config import PROJECT_ROOT
from referral_app.models import SearchLog
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN
from tests.conftest import csrf_token_from

# Which pages are kept out of caches is decided in Python, the same on both databases.
pytestmark = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
SERVICE = f"/services/{demo_id('Riverside Community Hub/Community food pantry')}"
PUBLIC = ["/", "/services", "/services?q=food&lang=ar", SERVICE, "/offline?lang=cy", "/help"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height


def test_the_manifest_is_in_the_page_language_with_icons_of_the_right_sizes(app, client):
    page = client.get("/?lang=ar").text
    link = re.search(r'<link rel="manifest" href="([^"]+)"', page).group(1)
    assert link == "/manifest.webmanifest?lang=ar"
    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    with app.test_request_context(), force_locale("ar"):
        name = _("Find local support")
    assert name != "Find local support"  # translated
    assert manifest["name"] == name
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == manifest["background_color"] == "#1d4f4a"
    assert manifest["short_name"]
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        width, height = png_size(image.data)
        assert f"{width}x{height}" == icon["sizes"]
        assert len(image.data) < 8_000  # small: fetched when the browser checks the app can be installed
    assert {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"} == {"192x192", "512x512"}
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', page).group(1)
    assert png_size(client.get(touch).data) == (180, 180)
    english = client.get("/manifest.webmanifest?lang=en").get_json(force=True)
    assert (english["name"], english["dir"]) == ("Find local support", "ltr")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_service_worker_is_served_at_the_top_of_the_site_and_checked_for_updates(client, act_as, signed_in):
    if signed_in:
        act_as("link_worker")
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "Content-Security-Policy" in response.headers
    assert 'link rel="manifest"' in client.get("/").text
    assert 'data-service-worker="/sw.js"' in client.get("/").text


def test_the_worker_and_the_templates_agree_on_the_markers_it_fills_in(client):
    """sw.js finds the notice, the date and the offline page's list by exact text: keep them in step."""
    worker = (PROJECT_ROOT / "static" / "js" / "sw.js").read_text()
    page = client.get(SERVICE).text
    offline = client.get("/offline").text
    markers = ("data-offline-notice hidden", "data-offline-saved-text hidden", "<span data-offline-saved-date></span>")
    for marker in markers:
        assert marker in page and marker in worker, marker
    assert "Purpose: 'prefetch'" in worker  # its copies of searches are not counted (test below)
    assert "<!--saved-pages-->" in offline and "<!--saved-pages-->" in worker
    assert 'data-saved-on="Saved on {date}"' in offline
    assert "data-offline-notice" not in offline  # the offline page says so itself


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_for_someone_not_signed_in_may_be_kept(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not re.search(r"no-store|private", response.headers.get("Cache-Control", ""))


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("link_worker", "/"),
        ("link_worker", "/services?q=food"),
        ("link_worker", SERVICE),
        ("link_worker", "/offline"),
        ("link_worker", "/referrals"),
        ("link_worker", "/account"),
        ("org_staff", "/inbox"),
        ("admin", "/admin/users"),
        ("commissioner", "/insights"),
        ("commissioner", "/no-such-page"),
        (None, "/inbox"),  # the way to the sign-in page
        (None, f"/requests/{DEMO_STATUS_TOKEN}"),  # a resident's private link
    ],
)
def test_everything_for_a_signed_in_person_and_every_personal_page_is_never_stored(client, act_as, role, path):
    if role:
        act_as(role)
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store", (path, response.status_code)


def test_answers_to_forms_and_one_off_messages_are_never_stored(client, act_as):
    report = client.get(f"{SERVICE}/report")
    failed = client.post(f"{SERVICE}/report", data={"csrf_token": csrf_token_from(report.text)})
    assert failed.status_code == 200 and failed.headers["Cache-Control"] == "no-store"  # what was typed
    signed_in = act_as("link_worker")
    signed_out = signed_in.post("/sign-out", data={"csrf_token": csrf_token_from(signed_in.get("/account").text)})
    assert signed_out.headers["Cache-Control"] == "no-store"
    home = client.get(signed_out.headers["Location"])
    assert "You have signed out." in home.text
    assert home.headers["Cache-Control"] == "no-store"  # the message is for this moment only
    assert "Cache-Control" not in client.get("/").headers  # signed out: the page may be kept again


def test_static_files_and_videos_keep_their_own_caching_for_signed_in_people(client, act_as):
    act_as("admin")
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")
    assert client.get("/manifest.webmanifest").headers["Cache-Control"] == "public, max-age=86400"


def test_the_offline_page_is_in_the_language_asked_for(app, client):
    page = client.get("/offline?lang=ar").text
    assert '<html lang="ar" dir="rtl"' in page
    with app.test_request_context(), force_locale("ar"):
        assert f"– {_('Find local support')}</title>" in page
    assert 'class="govuk-list govuk-list--spaced app-saved-pages"' in page


def test_the_copy_the_worker_keeps_of_a_search_is_not_counted_again(client, db_session):
    def searches() -> int:
        return db_session.exec(select(func.count()).select_from(SearchLog)).one()

    before = searches()
    assert client.get("/services?q=food").status_code == 200
    assert searches() == before + 1
    kept = client.get("/services?q=food", headers={"Purpose": "prefetch"})  # as static/js/sw.js asks
    assert kept.status_code == 200 and "<html" in kept.text
    assert searches() == before + 1
