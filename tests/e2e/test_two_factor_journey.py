"""Two-factor authentication by keyboard alone: set it up from the account page, save the recovery codes, sign
out, and sign in again with a code; each page checked with axe at phone size."""

import time

import pyotp
from playwright.sync_api import expect
from sqlmodel import Session

from referral_app.models import Role
from referral_app.services import users
from tests.e2e.test_journeys import tab_until

EMAIL = "two.factor.journey@example.net"
PASSWORD = "lantern pebble harbour quiet"


def sign_in_by_keyboard(page) -> None:
    page.goto("/sign-in?lang=en")
    tab_until(page, "email|")
    page.keyboard.type(EMAIL)
    tab_until(page, "password|")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_set_up_two_factor_and_sign_in_with_a_code_by_keyboard_alone(phone, check_page, live_server):
    engine = live_server.app.extensions["database"].engine
    with Session(engine) as session:
        users.create_user(session=session, email=EMAIL, name="Two Factor", password=PASSWORD, role=Role.LINK_WORKER)
        session.commit()

    page = phone()
    sign_in_by_keyboard(page)
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    tab_until(page, "|Set up two-factor authentication")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_page(page)

    # The app on the phone: it holds the key shown under the QR code.
    secret = page.locator("code.app-secret-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    tab_until(page, "code|")
    page.keyboard.type(totp.now())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your recovery codes")).to_be_visible()
    assert page.locator(".app-recovery-codes li").count() == 10
    check_page(page)
    tab_until(page, "|I have saved my codes")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("On: you sign in with your password and a code from your authenticator app.")
    ).to_be_visible()

    tab_until(page, "|Menu")
    page.keyboard.press("Enter")
    tab_until(page, "|Sign out")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    sign_in_by_keyboard(page)
    expect(page.get_by_role("heading", level=1, name="Enter your code")).to_be_visible()
    check_page(page)
    tab_until(page, "code|")
    page.keyboard.type(totp.at(time.time() + 30))  # the next code: the one used to set up cannot be used again
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
