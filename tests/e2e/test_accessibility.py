"""axe-core (WCAG 2.2 AA) and reflow (no sideways scrolling) at phone size on every page each role can reach, in
English and Arabic; in Urdu and BSL mode on the pages that differ there (see MORE_LANGUAGES)."""

import pytest

from referral_app.languages import LANGUAGES as SUPPORTED
from tests.e2e.conftest import axe_report, sign_in
from tests.e2e.pages import LANGUAGES, MORE_LANGUAGES, PAGES_BY_ROLE, with_language

CASES = [
    *((role_key, language) for language in LANGUAGES for role_key in PAGES_BY_ROLE),
    *((role_key, language) for language, role_keys in MORE_LANGUAGES.items() for role_key in role_keys),
]


@pytest.mark.parametrize(("role_key", "language"), CASES, ids=lambda value: value or "anonymous")
def test_pages_have_no_axe_violations(phone, role_key, language):
    page = phone()
    if role_key:
        sign_in(page, role_key)
    failures = []
    for path in PAGES_BY_ROLE[role_key]:
        page.goto(with_language(path, language))
        assert page.locator("html").get_attribute("lang") == SUPPORTED[language].html_lang
        assert page.locator("html").get_attribute("dir") == SUPPORTED[language].direction
        if report := axe_report(page):
            failures.append(f"{path}:\n{report}")
        # Against the screen: a phone widens its layout viewport (innerWidth) to fit a page that is too wide.
        widths = page.evaluate("() => [document.documentElement.scrollWidth, screen.width]")
        if widths[0] > widths[1]:  # WCAG 1.4.10 Reflow: nothing may make a phone scroll sideways
            failures.append(f"{path} is {widths[0]} px wide on a {widths[1]} px screen")
    assert not failures, "\n\n".join(failures)
