"""Choosing a language and watching BSL, by keyboard alone and with JavaScript off, at phone size."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_report, sign_in


def tab_to(page, locator, *, limit: int = 40) -> None:
    """Press Tab until `locator` has the focus (as a keyboard user would), failing after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_bsl_user_switches_to_bsl_by_keyboard_and_plays_the_video(phone, javascript):
    page = phone(javascript=javascript)
    page.goto("/?lang=en")
    toggle = page.locator("summary.app-language-switcher__toggle")
    tab_to(page, toggle)
    page.keyboard.press("Enter")  # one press opens the list
    bsl = page.get_by_role("link", name="BSL", exact=True)
    expect(bsl).to_be_visible()
    tab_to(page, bsl, limit=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"lang=bfi"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    first_heading = page.locator("main h1, main h2").first
    expect(first_heading).to_have_text("Watch in BSL")
    expect(page.get_by_text("It is not real BSL.")).to_be_visible()
    video = page.locator("video.app-bsl-video__player")
    expect(video).to_have_attribute("preload", "none")
    assert video.get_attribute("autoplay") is None
    expect(video.locator("track[kind=captions]")).to_have_attribute("srclang", "en")
    expect(page.get_by_role("link", name=re.compile(r"Download the video \(MP4, \d+ KB\)"))).to_be_visible()
    if javascript:  # the browser's own controls take the keyboard
        tab_to(page, video)
        page.keyboard.press("Space")
        page.wait_for_function("() => document.querySelector('video').currentTime > 0.2", timeout=10_000)
        assert page.evaluate("() => document.querySelector('video').textTracks[0].mode") == "showing"
    # the choice is remembered for the rest of the visit, and the service search still reads in English
    page.goto("/services")
    expect(page.locator("main h1, main h2").first).to_have_text("Watch in BSL")


def test_the_switcher_opens_in_one_tap_and_lists_every_language_by_its_own_name(phone):
    page = phone()
    page.goto("/?lang=ar")
    page.locator("summary.app-language-switcher__toggle").tap()
    for name in ("English", "BSL", "Polski", "Română", "Українська", "فارسی / دری", "اردو", "ትግርኛ", "বাংলা"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("link", name="Polski", exact=True).tap()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


@pytest.mark.parametrize("language", ["ur", "bfi"])
def test_a_service_with_a_bsl_video_is_axe_clean(phone, language):
    page = phone()
    page.goto(f"/services?q=BSL+social+club&lang={language}")
    page.locator("a.app-result__link").first.click()
    expect(page.get_by_role("heading", name=re.compile("BSL|اشار"))).not_to_have_count(0)
    report = axe_report(page)
    assert not report, report


def test_a_link_worker_shows_a_service_in_the_residents_language_in_one_tap(phone):
    page = phone()
    sign_in(page, "link_worker")
    page.goto("/services?q=Community+larder&lang=en")
    page.locator("a.app-result__link").first.click()
    page.get_by_role("link", name="Cymraeg", exact=True).last.tap()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="English", exact=True).last).to_be_visible()  # and back again
