import re

import pytest

from referral_app.languages import LANGUAGES
from tests.conftest import csrf_token_from

HTML_TAG = re.compile(r"<html lang=\"([^\"]+)\" dir=\"([^\"]+)\"")


def page_language(response):
    return HTML_TAG.search(response.text).groups()


def test_english_by_default(client):
    assert page_language(client.get("/")) == ("en", "ltr")


@pytest.mark.parametrize(
    ("code", "direction", "text"), [("cy", "ltr", "Dod o hyd i gymorth lleol"), ("ar", "rtl", "ابحث عن دعم محلي")]
)
def test_lang_parameter_switches_and_is_remembered(client, code, direction, text):
    response = client.get(f"/?lang={code}")
    assert page_language(response) == (code, direction)
    assert text in response.text
    assert page_language(client.get("/help")) == (code, direction)


def test_unknown_language_codes_are_ignored(client):
    client.get("/?lang=cy")
    assert page_language(client.get("/?lang=xx")) == ("cy", "ltr")
    assert page_language(client.get("/?lang=../../etc")) == ("cy", "ltr")


def test_browser_language_is_used_when_nothing_was_chosen(client):
    response = client.get("/", headers={"Accept-Language": "ar-SA,ar;q=0.9,en;q=0.5"})
    assert page_language(response) == ("ar", "rtl")
    response = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert page_language(response) == ("en", "ltr")


def test_chosen_language_beats_browser_language(client):
    client.get("/?lang=cy")
    assert page_language(client.get("/", headers={"Accept-Language": "ar"})) == ("cy", "ltr")


def test_signed_in_preference_is_used_and_can_be_saved(sign_in_as):
    client = sign_in_as("link_worker")
    page = client.get("/account")
    response = client.post("/account", data={"csrf_token": csrf_token_from(page.text), "preferred_locale": "ar"})
    assert response.status_code == 303
    saved = client.get("/account", headers={"Accept-Language": "en"})
    assert page_language(saved) == ("ar", "rtl")
    assert 'value="ar" checked' in saved.text
    radio = list(LANGUAGES).index("ar") + 1  # GOV.UK Frontend numbers radios from 1 (the first has no number)
    assert f'lang="ar" dir="rtl" for="preferred_locale-{radio}"' in saved.text


def test_saving_an_unsupported_language_is_refused_with_a_message(sign_in_as):
    client = sign_in_as("link_worker")
    page = client.get("/account")
    response = client.post("/account", data={"csrf_token": csrf_token_from(page.text), "preferred_locale": "xx"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Not a valid choice" in response.text or "Select a language" in response.text


def test_language_switcher_keeps_the_page_and_its_query(client):
    response = client.get("/services?q=food&page=1")
    assert 'href="/services?q=food&amp;page=1&amp;lang=cy"' in response.text
    assert 'lang="cy" hreflang="cy"' in response.text
    assert ">العربية<" in response.text


def test_organisations_text_is_marked_as_english_on_other_language_pages(client):
    response = client.get("/services?lang=ar")
    assert 'lang="en" dir="ltr">Community food pantry<' in response.text
    response = client.get("/services?lang=en")
    assert ">Community food pantry<" in response.text
    assert 'lang="en" dir="ltr">Community food pantry<' not in response.text


def test_dates_are_formatted_for_the_locale(client):
    from referral_app.services.demo_data import demo_id

    path = f"/services/{demo_id('Riverside Community Hub/Community food pantry')}"
    assert "1 October 2026" in client.get(f"{path}?lang=en").text
    assert "1 Hydref 2026" in client.get(f"{path}?lang=cy").text
