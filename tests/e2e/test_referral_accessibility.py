"""The referral pages that a fixed address cannot reach: each page of a new referral (which a POST starts) and
every referral form showing its error messages. axe-core (WCAG 2.2 AA) and the Nu HTML Checker on each, in
English and in Arabic (the new-referral walk in Urdu too), at phone size. Fields are found by name, so the walk
works in any language."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import unavailable
from tests.e2e.conftest import axe_report, sign_in, vnu_command
from tests.e2e.pages import COMPLETED, DECLINED, LANGUAGES, SERVICE, STATUS_PAGE, WAITING, with_language


class Walk:
    """Checks each page a walk reaches with axe, and keeps the HTML the server sent for the Nu HTML Checker."""

    def __init__(self, page, folder: Path, language: str):
        self.page, self.folder, self.language = page, folder, language
        self.failures: list[str] = []
        self.saved: list[str] = []

    def goto(self, path: str, label: str | None = None) -> None:
        """Open a page; check it too when it has a label (pages.py's checks cover the pages with an address)."""
        response = self.page.goto(with_language(path, self.language))
        if label:
            self._check(label, response.text())

    def submit(self, button, label: str) -> None:
        """Press a form's button and check the page it leads to (after any redirect)."""
        with self.page.expect_response(
            lambda r: r.request.is_navigation_request() and r.request.frame == self.page.main_frame
            and not 300 <= r.status < 400
        ) as answer:  # fmt: skip
            button.press("Enter")
        self.page.wait_for_load_state()
        self._check(label, answer.value.text())

    def _check(self, label: str, html: str) -> None:
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        if report := axe_report(self.page):
            self.failures.append(f"{label} ({self.page.url}):\n{report}")
        name = f"{self.language}-{len(self.saved):02d}-{label}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.saved.append(name)

    def field(self, name: str, value: str | None = None):
        selector = f'main [name="{name}"]' + (f'[value="{value}"]' if value is not None else "")
        return self.page.locator(selector)

    def continue_button(self):
        return self.page.locator("main form[method=post] button[type=submit]").last

    def finish(self) -> None:
        """Fail with every axe report, then validate every page the walk saved."""
        assert not self.failures, "\n\n".join(self.failures)
        command = vnu_command()
        if command is None:
            unavailable("The Nu HTML Checker needs Java and node_modules/vnu-jar (npm ci)")
        result = subprocess.run(
            [*command, "--errors-only", "--stdout", "--format", "json", str(self.folder)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        messages = json.loads(result.stdout or "{}").get("messages", [])
        errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages]
        assert errors == [], "\n".join(errors)


def has_errors(walk: Walk, count: int) -> None:
    """The error summary lists `count` problems, each linking to its field, and each field's message is by it."""
    page = walk.page
    links = page.locator(".govuk-error-summary .govuk-error-summary__list a")
    expect(links).to_have_count(count)
    expect(page.locator("main .govuk-error-message")).to_have_count(count)
    for href in links.evaluate_all("links => links.map((a) => a.getAttribute('href'))"):
        assert href.startswith("#") and page.locator(f"[id='{href[1:]}']").count() == 1, f"{href} leads nowhere"
    if walk.language == "en":
        assert page.title().startswith("Error: "), page.title()


@pytest.mark.parametrize("language", [*LANGUAGES, "ur"])
def test_each_page_of_a_new_referral_with_and_without_errors(phone, tmp_path, language):
    page = phone()
    sign_in(page, "link_worker")
    walk = Walk(page, tmp_path, language)
    walk.goto("/referrals")
    walk.submit(page.locator('main form[action$="/referrals/new"] button'), "service")  # "New referral"
    walk.goto(page.url.split("?")[0] + "?q=food", "service-results")
    pantry = page.locator(f'main li.app-choice:has(input[name="service_id"][value="{SERVICE}"]) button')
    expect(pantry).to_have_count(1)
    # A service that cannot be chosen (gone since the search, or a tampered form): the error is shown.
    page.locator('main li.app-choice input[name="service_id"]').first.evaluate("e => { e.value = 'gone'; }")
    walk.submit(page.locator("main li.app-choice button").first, "service-error")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    walk.goto(page.url.split("?")[0] + "?q=food")
    walk.submit(pantry, "resident")

    walk.submit(walk.continue_button(), "resident-error")
    has_errors(walk, 1)
    walk.field("resident", "new").check()
    walk.submit(walk.continue_button(), "details")

    walk.field("name").fill("")
    walk.field("outcode").fill("ZZ")
    walk.submit(walk.continue_button(), "details-error")
    has_errors(walk, 2)
    expect(walk.field("outcode")).to_have_value("ZZ")
    walk.field("name").fill("Irina Popescu")
    walk.field("language").select_option("ro")
    walk.field("outcode").fill("S4 7AB")
    walk.submit(walk.continue_button(), "communication")

    walk.field("needs", "interpreter").check()
    walk.field("contact_method", "sms").check()
    walk.field("email").fill("not-an-email")
    walk.submit(walk.continue_button(), "communication-error")
    has_errors(walk, 3)  # the interpreter's language, the phone number for texts, the email address
    walk.field("interpreter_language").select_option("ro")
    walk.field("phone").fill("07700 900123")
    walk.field("email").fill("")
    walk.submit(walk.continue_button(), "needs")

    walk.submit(walk.continue_button(), "needs-error")
    has_errors(walk, 3)
    walk.field("needs", "food").check()
    walk.field("reason").fill("No money for food this week.")
    walk.field("urgency", "soon").check()
    walk.submit(walk.continue_button(), "consent")

    expect(walk.field("consent_by")).to_have_value("Irina Popescu")  # never typed twice
    walk.field("consent_by").fill("")
    walk.field("consent_method", "spoken_interpreter").check()
    walk.submit(walk.continue_button(), "consent-error")
    has_errors(walk, 3)  # who agreed, the interpreter's language, the agreement itself
    walk.field("consent_by").fill("Irina Popescu")
    walk.field("consent_interpreter_language").select_option("ro")
    walk.field("agreed").check()
    walk.submit(walk.continue_button(), "check")

    expect(page.locator("main .govuk-summary-list__actions a")).to_have_count(15)
    walk.goto(page.url.replace("/check", "/details") + "?change=1", "details-change")  # back link: the check page
    walk.finish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_forms_with_errors(phone, tmp_path, language):
    """Each form of a referral, sent empty or wrong: organisation staff, link worker and resident."""
    walk = Walk(phone(), tmp_path, language)
    sign_in(walk.page, "org_staff")
    walk.goto(f"{WAITING}/decline")
    walk.submit(walk.continue_button(), "decline-error")
    has_errors(walk, 1)
    walk.field("reason", "other").check()
    walk.submit(walk.continue_button(), "decline-other-without-note")
    has_errors(walk, 1)
    walk.goto(WAITING)
    walk.submit(walk.page.locator('main form[action$="/notes"] button'), "note-error")
    has_errors(walk, 1)
    walk.goto(f"{COMPLETED}/outcomes/ons4/follow_up")
    walk.field("item_life_satisfaction").fill("11")
    walk.field("item_worthwhile").fill("seven")
    walk.submit(walk.continue_button(), "outcome-error")
    has_errors(walk, 4)  # out of range, not a number, and two left empty
    expect(walk.field("item_worthwhile")).to_have_value("seven")

    walk.page = phone()
    sign_in(walk.page, "link_worker")
    walk.goto(f"{DECLINED}/withdraw-consent")
    walk.submit(walk.continue_button(), "withdraw-consent-error")
    has_errors(walk, 1)

    walk.page = phone()  # a resident, without an account
    walk.goto(f"/services/{SERVICE}/refer-yourself")
    walk.field("contact_method", "email").check()
    walk.submit(walk.continue_button(), "refer-yourself-error")
    has_errors(walk, 4)  # name, what they need, the email address to contact them by, the agreement
    walk.goto(f"{STATUS_PAGE}/well-being/baseline")
    walk.submit(walk.continue_button(), "resident-outcome-error")
    has_errors(walk, 4)
    walk.finish()
