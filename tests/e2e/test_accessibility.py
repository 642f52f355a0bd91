"""axe-core (WCAG 2.2 AA) on every page each role can reach, in English and in Arabic, at phone size."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import sign_in
from tests.e2e.pages import LANGUAGES, PAGES_BY_ROLE, with_language

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
axe = Axe()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role_key", list(PAGES_BY_ROLE), ids=lambda r: r or "anonymous")
def test_pages_have_no_axe_violations(phone, role_key, language):
    page = phone()
    if role_key:
        sign_in(page, role_key)
    failures = []
    for path in PAGES_BY_ROLE[role_key]:
        page.goto(with_language(path, language))
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            failures.append(f"{path}:\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
