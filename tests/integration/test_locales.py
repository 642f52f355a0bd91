"""Every key page in every supported language: the right `lang` and `dir`, and no interface text left in English.

"Left in English" is found without knowing the languages: a text on the page (outside anything marked with
another `lang`, such as organisations' own words) that is exactly an English message the language's catalogue
translates differently means that message never reached the catalogue or was not looked up.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from referral_app.languages import LANGUAGES, TRANSLATED
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
SERVICE = demo_id("Riverside Community Hub/Community food pantry")
ORGANISATION = demo_id("Riverside Community Hub")
PUBLIC_PAGES = [
    "/",
    "/services",
    "/services?q=food&postcode=S1+2HE",
    "/services?q=zzzz-nothing",
    f"/services/{SERVICE}",
    f"/organisations/{ORGANISATION}",
    f"/services/{SERVICE}/refer-yourself",
    f"/services/{SERVICE}/report-a-problem",
    f"/requests/{DEMO_STATUS_TOKEN}",
    "/help",
    "/privacy",
    "/accessibility",
    "/sign-in",
    "/no-such-page",
]
STAFF_PAGES = {
    "link_worker": ["/referrals", "/account"],
    "org_staff": ["/inbox", "/manage/services"],
    "commissioner": ["/insights", "/insights/wellbeing", "/insights/map"],
}
HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """Text nodes in the page's own language: not inside <script>/<style>, nor an element with another `lang`."""

    def __init__(self, page_lang: str) -> None:
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        skip = self.skipping() or tag in ("script", "style", "title") or (lang is not None and lang != self.page_lang)
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skipping():
            self.texts.append(text)


@cache
def translated_english(code: str) -> frozenset[str]:
    """English messages (whole texts, no placeholders) that `code`'s catalogue translates to something else."""
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    return frozenset(
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and message.id
        and "%(" not in message.id
        and message.string
        and message.string != message.id
        and len(message.id) > 3
    )


def english_left_in(html: str, code: str) -> list[str]:
    parser = VisibleText(LANGUAGES[code].html_lang)
    parser.feed(html)
    return sorted({text for text in parser.texts if text in translated_english(code)})


def check_page(response, code: str, path: str) -> list[str]:
    language = LANGUAGES[code]
    problems = []
    if response.status_code not in (200, 404):
        return [f"{path}: status {response.status_code}"]
    found = HTML_TAG.search(response.text)
    if found is None or found.groups() != (language.html_lang, language.direction):
        problems.append(f"{path}: <html> is {found and found.groups()}, not {(language.html_lang, language.direction)}")
    if code in TRANSLATED:
        problems += [f"{path}: English left: {text!r}" for text in english_left_in(response.text, code)]
    return problems


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_public_pages_in_every_language(client, code):
    problems = []
    for path in PUBLIC_PAGES:
        joiner = "&" if "?" in path else "?"
        problems += check_page(client.get(f"{path}{joiner}lang={code}"), code, path)
    assert problems == []


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_staff_pages_in_every_language(act_as, code):
    problems = []
    for role_key, paths in STAFF_PAGES.items():
        client = act_as(role_key)
        for path in paths:
            problems += check_page(client.get(f"{path}?lang={code}"), code, path)
    assert problems == []


def test_the_check_finds_english_left_on_a_page():
    code = "pl"
    english = sorted(translated_english(code))[0]
    html = f'<html lang="pl" dir="ltr"><body><p>{english}</p><p lang="en">{english}</p></body></html>'
    assert english_left_in(html, code) == [english]
    marked = f'<html lang="pl" dir="ltr"><body><p lang="en">{english}</p></body></html>'
    assert english_left_in(marked, code) == []


def test_every_language_is_offered_by_its_own_name(client):
    html = client.get("/").text
    for code, language in LANGUAGES.items():
        assert f'hreflang="{code}"' in html or 'aria-current="true"' in html
        assert f">{language.native_name}<" in html
    assert "flag" not in html.lower()


@pytest.mark.parametrize("code", ["ar", "fa", "ps", "ur", "ckb"])
def test_right_to_left_languages_get_the_mirrored_stylesheet(client, code):
    html = client.get(f"/?lang={code}").text
    assert f'<html lang="{code}" dir="rtl"' in html
    assert "css/app.rtl.css" in html


def test_bsl_keeps_english_text_and_says_so_in_the_switcher(client):
    html = client.get("/?lang=bfi").text
    assert '<html lang="en" dir="ltr"' in html
    assert 'aria-current="true" lang="en" dir="ltr">BSL<' in html
    assert "Find local support" in html
    assert "css/app.css" in html
