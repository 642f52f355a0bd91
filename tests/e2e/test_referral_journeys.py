"""Referral journeys at phone size, each with JavaScript and without, by keyboard; at each step the page is
axe-clean and fits the screen:
a link worker refers someone; the organisation answers, records what happened and the person's well-being;
a resident refers themselves and follows their request through its private link.

Each journey makes its own referral, so they pass in any order. With REFERRAL_SCREENSHOTS=<folder>, the
journeys with JavaScript save screenshots of the main pages there."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.pages import SERVICE

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])


def press(locator, key: str = "Enter") -> None:
    """Focus a control (it must take the focus, as it would from the Tab key) and press a key on it:
    Enter for links and buttons, Space for check boxes and radios."""
    locator.focus()
    expect(locator).to_be_focused()
    locator.page.keyboard.press(key)


def tick(locator) -> None:
    press(locator, "Space")
    expect(locator).to_be_checked()


def go_to(page, link_name: str, *, javascript: bool) -> None:
    """Follow a link in the navigation, which sits behind the Menu button at phone size with JavaScript."""
    if javascript:
        menu = page.get_by_role("button", name="Menu")
        if menu.get_attribute("aria-expanded") == "false":
            press(menu)
    press(page.get_by_role("navigation", name="Menu").get_by_role("link", name=link_name, exact=True))


def carry_on(page) -> None:
    press(page.get_by_role("button", name="Continue"))


@JAVASCRIPT
def test_link_worker_refers_someone(phone, check_page, javascript):
    page = phone(javascript=javascript)
    name = f"Irina Popescu {uuid.uuid4().hex[:6]}"
    sign_in(page, "link_worker")

    go_to(page, "Find services", javascript=javascript)
    search = page.get_by_label("What do you need help with?")
    search.fill("pantry")
    search.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("“pantry”")
    page.wait_for_load_state("networkidle")  # with JavaScript, the results were replaced as the words were typed
    press(page.get_by_role("link", name="Community food pantry", exact=True))
    expect(page.get_by_role("heading", level=1, name="Community food pantry")).to_be_visible()
    check_page(page, javascript=javascript)
    press(page.get_by_role("button", name="Refer someone"))

    expect(page.get_by_role("group", name="Who are you referring?")).to_be_visible()
    check_page(page, javascript=javascript)
    tick(page.get_by_label("Someone new"))
    carry_on(page)

    expect(page.get_by_role("heading", level=1, name="About the person")).to_be_visible()
    check_page(page, javascript=javascript)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Which language does the person prefer?").select_option("ro")
    carry_on(page)

    expect(page.get_by_role("heading", level=1, name="Communication and contact")).to_be_visible()
    check_page(page, javascript=javascript)
    tick(page.get_by_label("Needs a spoken-language interpreter"))
    page.get_by_label("Interpreter for which language?").select_option("ro")
    tick(page.get_by_label("Text message (SMS)"))
    page.get_by_label("Phone number").fill("07700 900321")
    carry_on(page)

    expect(page.get_by_role("heading", level=1, name="What the person needs")).to_be_visible()
    check_page(page, javascript=javascript)
    tick(page.get_by_label("Food", exact=True))
    page.get_by_label("Why are you referring them?").fill("Has just moved here; no money for food this week.")
    tick(page.get_by_label("Soon (within a week)"))
    carry_on(page)

    expect(page.get_by_role("heading", level=1, name="Ask the person for their consent")).to_be_visible()
    expect(page.get_by_text("Riverside Community Hub, who run Community food pantry")).to_be_visible()
    expect(page.get_by_label("Who agreed?")).to_have_value(name)  # never typed twice
    tick(page.get_by_label("In person"))
    tick(page.get_by_label("They agree to share these details with this organisation"))
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "consent")
    carry_on(page)

    expect(page.get_by_role("heading", level=1, name="Check the referral before you send it")).to_be_visible()
    answers = page.locator(".govuk-summary-list")
    expect(answers).to_contain_text([re.compile("Community food pantry"), re.compile(name), re.compile("Food")])
    expect(page.get_by_text("Needs an interpreter: Romanian")).to_be_visible()
    expect(page.get_by_text("07700 900321")).to_be_visible()
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "check-answers")
    press(page.get_by_role("button", name="Send referral"))

    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Referral sent\. Reference: [A-Z0-9]{4}-[A-Z0-9]{4}"))).to_be_visible()
    expect(page.locator("main .govuk-tag", has_text="Waiting for an answer")).to_be_visible()
    tags = page.get_by_role("list", name="Communication needs")
    expect(tags).to_contain_text("Needs an interpreter: Romanian")
    check_page(page, javascript=javascript)

    go_to(page, "My referrals", javascript=javascript)
    expect(page.get_by_role("link", name="Waiting for an answer")).to_have_attribute("aria-current", "page")
    card = page.locator(".app-card").filter(has=page.get_by_role("link", name=name))
    expect(card).to_contain_text("Community food pantry, Riverside Community Hub")
    expect(card).to_contain_text("Waiting for an answer")
    check_page(page, javascript=javascript)


ONS4 = {
    "Overall, how satisfied are you with your life nowadays?": ("4", "7"),
    "Overall, to what extent do you feel that the things you do in your life are worthwhile?": ("5", "7"),
    "Overall, how happy did you feel yesterday?": ("4", "6"),
    "Overall, how anxious did you feel yesterday?": ("7", "3"),  # lower is better
}


def record_well_being(page, link_name: str, stage: int, *, javascript: bool, check_page) -> None:
    press(page.get_by_role("link", name=link_name))
    expect(page.get_by_role("heading", level=1, name="Personal well-being (ONS4)")).to_be_visible()
    check_page(page, javascript=javascript)
    for question, answers in ONS4.items():
        page.get_by_label(question).fill(answers[stage])
    press(page.get_by_role("button", name="Save answers"))
    expect(page.get_by_text("Well-being answers saved.")).to_be_visible()


@JAVASCRIPT
def test_organisation_answers_a_referral_and_records_what_happened(phone, check_page, fresh_referral, javascript):
    page = phone(javascript=javascript)
    sign_in(page, "org_staff")
    go_to(page, "Referrals inbox", javascript=javascript)
    expect(page.get_by_role("link", name=re.compile(r"^New \(\d+\)"))).to_have_attribute("aria-current", "page")
    card = page.locator(".app-card").filter(has=page.get_by_role("link", name=re.compile(fresh_referral.name)))
    expect(card.locator(".govuk-tag", has_text="Needs an interpreter: Romanian")).to_be_visible()
    expect(card).to_contain_text("Contact by: Text message (SMS)")
    expect(card).to_contain_text("Soon (within a week)")
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "org-inbox")
        page.goto("/inbox?lang=ar")  # right to left
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("link", name=re.compile(fresh_referral.name))).to_be_visible()
        check_page(page)
        screenshot(page, "org-inbox-ar")
        page.goto("/inbox?lang=en")

    press(card.get_by_role("link", name=re.compile(fresh_referral.name)))
    expect(page.get_by_role("heading", level=1, name=fresh_referral.name)).to_be_visible()
    expect(page.get_by_role("list", name="Communication needs")).to_contain_text("Needs an interpreter: Romanian")
    check_page(page, javascript=javascript)
    for action, status in [("Accept", "Accepted"), ("Record first contact", "In contact"), ("Attended", "Attended")]:
        press(page.get_by_role("button", name=action, exact=True))
        expect(page.get_by_text(f"Referral updated: {status}")).to_be_visible()
        expect(page.locator("main .govuk-tag", has_text=status)).to_be_visible()
        check_page(page, javascript=javascript)

    start = "Record answers at the start: Personal well-being (ONS4)"
    record_well_being(page, start, 0, javascript=javascript, check_page=check_page)
    follow_up = "Record follow-up answers: Personal well-being (ONS4)"
    record_well_being(page, follow_up, 1, javascript=javascript, check_page=check_page)
    press(page.get_by_role("button", name="Complete", exact=True))
    expect(page.get_by_text("Referral updated: Completed")).to_be_visible()

    table = page.get_by_role("table", name="Personal well-being (ONS4)")
    expect(table.get_by_role("columnheader")).to_have_text(["Question", "Start", "Follow-up", "Change in score"])
    expect(table.get_by_role("row").locator("td:last-child")).to_have_text(
        ["+3 (better)", "+2 (better)", "+2 (better)", "-4 (better)"]  # less anxious is better
    )
    timeline = page.locator("ol.app-timeline > li > p:first-child")
    expect(timeline).to_have_text(
        [
            "Referral sent",
            "Accepted",
            "In contact",
            "Attended",
            "Well-being answers recorded at the start",
            "Well-being answers recorded at follow-up",
            "Completed",
        ]
    )
    expect(page.get_by_role("heading", name="What happens next")).to_have_count(0)  # nothing left to do
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "referral-with-outcomes")


@JAVASCRIPT
def test_resident_refers_themselves_checks_the_status_and_withdraws(phone, check_page, javascript):
    page = phone(javascript=javascript)
    name = f"Leyla Test {uuid.uuid4().hex[:6]}"
    page.goto(f"/services/{SERVICE}")
    press(page.get_by_role("button", name="Refer myself"))  # a link that looks like a button

    expect(page.get_by_role("heading", level=1, name="Ask for help from this service")).to_be_visible()
    check_page(page, javascript=javascript)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("What would you like help with?").fill("Food for my family this week.")
    tick(page.get_by_label("Text message (SMS)"))
    tick(page.get_by_label("An interpreter for my language"))
    tick(page.get_by_label("I agree that this service can see these details and use them to contact me"))
    press(page.get_by_role("button", name="Send request"))  # no phone number to text

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    problem = summary.get_by_role("link", name="Enter a phone number so they can contact you this way")
    expect(problem).to_be_visible()
    expect(page.locator("#phone-error")).to_contain_text("Enter a phone number so they can contact you this way")
    expect(page).to_have_title(re.compile("^Error: Ask for help from this service"))
    expect(page.get_by_label("Your name")).to_have_value(name)  # nothing typed is lost
    expect(page.get_by_label("What would you like help with?")).to_have_value("Food for my family this week.")
    expect(page.get_by_label("Text message (SMS)")).to_be_checked()
    expect(page.get_by_label("An interpreter for my language")).to_be_checked()
    expect(page.get_by_label("I agree that this service")).to_be_checked()
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "self-referral-errors")
        press(problem)  # the summary's link takes the focus to the field
        expect(page.get_by_label("Phone number")).to_be_focused()
    page.get_by_label("Phone number").fill("07700 900456")
    press(page.get_by_role("button", name="Send request"))

    expect(page.get_by_role("heading", level=1, name="Your request")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Reference: [A-Z0-9]{4}-[A-Z0-9]{4}$"))).to_be_visible()
    expect(page.locator(".app-status-panel")).to_contain_text("Waiting for an answer")
    expect(page.get_by_text("Your request has been sent.", exact=True)).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)  # the status, and only the status
    check_page(page, javascript=javascript)
    if javascript:
        screenshot(page, "resident-status")
    status_page = page.url

    press(page.get_by_role("link", name="Withdraw my request"))
    expect(page.get_by_role("heading", level=1, name="Are you sure you want to withdraw your request?")).to_be_visible()
    check_page(page, javascript=javascript)
    press(page.get_by_role("button", name="Yes, withdraw my request"))
    expect(page.get_by_text("Your request has been withdrawn and your details are no longer shared.")).to_be_visible()
    expect(page.locator(".app-status-panel")).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw my request")).to_have_count(0)
    assert page.url == status_page
    check_page(page, javascript=javascript)
