"""Offline reading with the real service worker (static/js/sw.js) in Chromium at phone size: pages read online open
offline with the notice, other pages give the offline page listing the saved ones, nothing from a signed-in
session is kept, and the app is installable."""

from tests.e2e.conftest import CHROME_ARGS, CHROMIUM, PHONE, screenshot, sign_in
from tests.e2e.pages import SERVICE

SERVICE_PAGE = f"/services/{SERVICE}"
# Waits (up to 10 s) until the worker has kept the page: it keeps pages after answering, so a test must wait.
KEPT = """async (path) => {
  const url = new URL(path, location.href).href
  for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (await (await caches.open('pages-v1')).match(url)) return true
  }
  return false
}"""
KEPT_PAGES = """async () => {
  const cache = await caches.open('pages-v1')
  const pages = []
  for (const request of await cache.keys()) pages.push([request.url, await (await cache.match(request)).text()])
  return pages
}"""


def wait_until_kept(page, path: str) -> None:
    assert page.evaluate(KEPT, path), f"{path} was not kept"


def test_pages_read_online_open_offline_with_a_notice(phone, check_page):
    page = phone()
    page.goto(f"{SERVICE_PAGE}?lang=en")  # a first visit: kept once the worker is running
    wait_until_kept(page, f"{SERVICE_PAGE}?lang=en")
    page.goto("/services?q=food")  # through the worker now
    wait_until_kept(page, "/services?q=food")
    page.get_by_label("What do you need help with?").fill("advice")
    page.get_by_role("button", name="Search").click()  # htmx: the results change without a new page
    page.wait_for_url("**/services?q=advice*")
    searched = page.url
    wait_until_kept(page, searched)

    page.context.set_offline(True)
    page.goto(f"{SERVICE_PAGE}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Community food pantry"
    notice = page.locator("[data-offline-notice]")
    assert notice.is_visible()
    assert notice.inner_text().startswith("You are offline. This page was saved on ")
    assert "It may be out of date." in notice.inner_text()
    assert page.locator("time[data-offline-saved-date]").get_attribute("datetime")
    check_page(page)
    screenshot(page, "offline-saved-service-en")

    page.goto("/services?q=food")
    assert page.locator("[data-offline-notice]").is_visible()
    assert page.get_by_role("link", name="Community food pantry").first.is_visible()
    page.goto(searched)
    assert page.locator("[data-offline-notice]").is_visible()
    assert page.get_by_label("What do you need help with?").input_value() == "advice"

    page.goto("/help")  # never read: the offline page, with what can be read
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
    saved = page.locator(".app-saved-pages li")
    assert saved.count() == 3
    assert saved.first.get_by_role("link").get_attribute("href") == searched  # the newest first
    assert "Saved on " in saved.first.inner_text()
    assert page.locator(".app-saved-pages__none").is_hidden()
    check_page(page)
    screenshot(page, "offline-page-en")
    page.get_by_role("link", name="Community food pantry").click()
    assert page.locator("[data-offline-notice]").is_visible()

    page.context.set_offline(False)
    page.goto("/help")
    assert page.locator("[data-offline-notice]").is_hidden()
    page.context.set_offline(True)  # the connection drops while the page is open
    page.locator("[data-offline-notice]").wait_for(state="visible")
    assert page.locator("[data-offline-saved-text]").is_hidden()


def test_a_saved_page_in_arabic_shows_the_notice_right_to_left(phone, check_page):
    page = phone()
    page.goto(f"{SERVICE_PAGE}?lang=ar")
    wait_until_kept(page, f"{SERVICE_PAGE}?lang=ar")
    page.context.set_offline(True)
    page.reload()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("[data-offline-notice]").is_visible()
    check_page(page)
    screenshot(page, "offline-saved-service-ar")


def test_nothing_from_a_signed_in_session_is_kept(phone):
    page = phone()
    sign_in(page, "link_worker")
    for path in (SERVICE_PAGE, "/services?q=food", "/referrals"):
        page.goto(path)
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(SERVICE_PAGE)  # under the worker now: still not kept
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    page.goto("/services?q=advice")  # signed out: this one is kept
    wait_until_kept(page, "/services?q=advice")
    kept = page.evaluate(KEPT_PAGES)
    assert [url.removeprefix(page.url.split("/services")[0]) for url, _ in kept] == ["/services?q=advice"]
    assert not any("Sign out" in html or "My referrals" in html for _, html in kept)

    page.context.set_offline(True)
    for path in (SERVICE_PAGE, "/referrals"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == "You are offline"


def test_the_app_is_installable(playwright, live_server, tmp_path):
    """Chrome's own checks (manifest, icons, worker). Not in a test's usual incognito context, which is never
    installable: in a browser profile of its own."""
    device = {key: value for key, value in playwright.devices[PHONE].items() if key != "default_browser_type"}
    context = playwright.chromium.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=CHROME_ARGS, base_url=live_server.url, **device
    )
    try:
        page = context.new_page()
        page.goto("/?lang=cy")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        session = context.new_cdp_session(page)
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest?lang=cy")
        assert not manifest["errors"]
    finally:
        context.close()
