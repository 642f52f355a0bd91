"""Journeys a person makes: by touch with JavaScript, with JavaScript off, and by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD
from tests.e2e.conftest import sign_in


def open_menu_if_collapsed(page):
    """At phone size, with JavaScript, the navigation sits behind a Menu button."""
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", re.compile("true|false"))  # set up by GOV.UK Frontend
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


@pytest.mark.parametrize("role_key", list(DEMO_EMAILS))
def test_every_demo_account_signs_in_and_out(phone, role_key):
    page = phone()
    sign_in(page, role_key)
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    expect(page.get_by_text(DEMO_EMAILS[role_key])).to_be_visible()
    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    open_menu_if_collapsed(page)
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_sign_in_and_out_with_javascript_off(phone):
    page = phone(javascript=False)
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Faccount"))
    expect(page.get_by_text("Sign in to see that page.")).to_be_visible()
    page.get_by_label("Email address").fill(DEMO_EMAILS["org_staff"])
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()  # the menu is open without JavaScript
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_wrong_password_with_javascript_off_shows_the_error_summary(phone):
    page = phone(javascript=False)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(DEMO_EMAILS["admin"])
    page.get_by_label("Password", exact=True).fill("wrong-password-here")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter a correct email address and password")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value(DEMO_EMAILS["admin"])
    expect(page).to_have_title(re.compile("^Error: Sign in"))


def focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return (e.id || '') + '|' + (e.textContent || '').trim(); }"
    )


def tab_until(page, wanted: str, limit: int = 40) -> None:
    """Press Tab until the focused element's `id|text` contains `wanted`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted in focused(page):
            return
    pytest.fail(f"Could not reach {wanted!r} with the Tab key; focus is on {focused(page)!r}")


def test_sign_in_and_out_by_keyboard_alone(phone):
    page = phone()
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert "Skip to main content" in focused(page)
    page.keyboard.press("Enter")
    tab_until(page, "email|")
    page.keyboard.type(DEMO_EMAILS["link_worker"])
    tab_until(page, "password|")
    page.keyboard.type(DEMO_PASSWORD)
    tab_until(page, "|Sign in")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    tab_until(page, "|Menu")
    page.keyboard.press("Enter")
    tab_until(page, "|Sign out")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_search_updates_results_without_reloading(phone):
    page = phone()
    page.goto("/services")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_label("What do you need help with?").fill("deaf")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ services? match(es)? “deaf”"))
    expect(page.get_by_role("link", name="BSL social club")).to_be_visible()
    expect(page.get_by_role("link", name="Community food pantry")).to_have_count(0)
    assert page.evaluate("() => window.stillTheSamePage") is True
    expect(page).to_have_url(re.compile(r"/services\?q=deaf"))


def test_search_works_with_javascript_off(phone):
    page = phone(javascript=False)
    page.goto("/")
    page.get_by_label("What do you need help with?").fill("conversation")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/services\?q=conversation"))
    expect(page.get_by_role("link", name="English conversation club")).to_be_visible()


def test_language_switcher_turns_the_page_right_to_left(phone):
    page = phone()
    page.goto("/services?q=food")
    page.get_by_text("Language: English").click()  # the list opens in one tap
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("searchbox")).to_have_value("food")
    page.goto("/help")
    expect(page.locator("html")).to_have_attribute("lang", "ar")  # the choice is remembered


def test_report_a_problem_with_javascript_off(phone):
    page = phone(javascript=False)
    page.goto("/services?q=pantry")
    page.get_by_role("link", name="Community food pantry").click()
    page.get_by_role("link", name="Report a problem with this listing").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what is wrong with this listing")
    page.get_by_label("The contact details are wrong").check()
    page.get_by_label("Tell us more (optional)").fill("The phone number has changed.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()


def test_filters_update_results_without_reloading(phone):
    page = phone()
    page.goto("/services")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Type of help").select_option("deaf_community")
    expect(page.get_by_role("link", name="BSL social club")).to_be_visible()
    expect(page.get_by_role("link", name="Community food pantry")).to_have_count(0)
    page.get_by_label("Postcode or area").fill("nonsense")
    page.get_by_label("Postcode or area").press("Tab")
    expect(page.get_by_role("alert")).to_contain_text("Enter a postcode, like S4 7AB")
    assert page.evaluate("() => window.stillTheSamePage") is True


def test_organisation_staff_update_opening_times_with_javascript_off(phone):
    page = phone(javascript=False)
    sign_in(page, "org_staff")
    page.get_by_role("link", name="Your listings").click()
    page.get_by_role("link", name="Community food pantry").click()
    page.get_by_role("link", name="Change opening times").click()
    page.get_by_role("button", name="Add opening times").click()
    expect(page.get_by_role("alert")).to_contain_text("Select at least one day")
    page.get_by_label("Saturday").check()
    page.get_by_label("Opens at").fill("10:00")
    page.get_by_label("Closes at").fill("09:00")
    page.get_by_role("button", name="Add opening times").click()
    expect(page.get_by_role("alert")).to_contain_text("The closing time must be after the opening time")
    expect(page.get_by_label("Opens at")).to_have_value("10:00")
    page.get_by_label("Closes at").fill("12:00")
    page.get_by_role("button", name="Add opening times").click()
    expect(page.get_by_text("The opening times have been added.")).to_be_visible()
    expect(page.get_by_text("Saturday: 10:00 to 12:00")).to_be_visible()
