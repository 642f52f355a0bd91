"""Browser tests: a live server on loopback and Debian's Chromium at phone size (Pixel 7)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from sqlmodel import Session, select
from werkzeug.serving import make_server

from referral_app import create_app, migrations
from referral_app.models import ReportReason, User
from referral_app.services import demo_data, listing_reports, media, referral_drafts, referrals
from referral_app.services.referral_drafts import DraftAnswers
from referral_app.services.residents import ResidentDetails
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, unavailable

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
PHONE = "Pixel 7"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        unavailable("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROME_ARGS}


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app on a file SQLite database with the demo data, served on a free loopback port."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "live.sqlite"
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(folder / "media"),
            # Every browser test comes from 127.0.0.1: the real limit (10 an hour) would trip over the journeys,
            # and in one pytest process the limiter's memory is shared with the integration tests' apps.
            "SELF_REFERRAL_RATE_LIMIT": "1000 per hour",
            "SIGN_IN_RATE_LIMIT_PER_ACCOUNT": "1000 per minute",
            "SIGN_IN_RATE_LIMIT_PER_ADDRESS": "1000 per minute",
            "REQUIRE_TWO_FACTOR": False,  # the demo accounts are not enrolled (as in Quick start's demo)
            "SEARCH_LOG_FLUSH_SECONDS": 0,  # journeys read the insights right after searching
        }
    )
    engine = app.extensions["database"].engine
    migrations.upgrade(engine)
    with Session(engine) as session:
        demo_data.load_demo_data(session=session, media_store=media.MediaStore(folder / "media"))
        listing_reports.create_report(  # so the staff's problem-report pages have something on them
            session=session,
            service_id=demo_data.demo_id("Riverside Community Hub/Community food pantry"),
            reason=ReportReason.WRONG_CONTACT,
            details="The phone number on the listing does not work.",
            locale="en",
        )
        session.commit()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in test output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    engine.dispose()


# Chromium logs what the Content-Security-Policy blocks as a console error ("... violates the following Content
# Security Policy directive ..."); the page's own `securitypolicyviolation` event is logged the same way, so a
# violation that the browser does not log (or logs differently) is caught too.
REPORT_CSP_VIOLATIONS = """document.addEventListener('securitypolicyviolation', (event) => console.error(
  `Content Security Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'}` +
  ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`))"""


@pytest.fixture
def phone(browser, playwright, live_server):
    """`phone(javascript=True)` opens a new Pixel 7 browser context and page on the live server.

    The test fails if the browser reports that the Content-Security-Policy blocked anything on any page it loaded.
    """
    contexts = []
    violations = []

    def record(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def open_page(*, javascript: bool = True):
        context = browser.new_context(
            **playwright.devices[PHONE], java_script_enabled=javascript, base_url=live_server.url
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", record)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, "The Content-Security-Policy blocked something:\n" + "\n".join(dict.fromkeys(violations))


def sign_in(page, role_key: str) -> None:
    page.goto("/sign-in?lang=en")
    page.get_by_label("Email address").fill(DEMO_EMAILS[role_key])
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account")


def vnu_command() -> list[str] | None:
    jar = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    java = shutil.which("java")
    return [java, "-jar", str(jar)] if java and jar.exists() else None


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def axe_report(page) -> str:
    """axe-core's WCAG 2.2 AA report on the page as it is now; empty when there are no violations."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.generate_report() if results.violations_count else ""


@pytest.fixture
def check_page(browser, playwright, live_server):
    """`check_page(page, javascript=...)` fails the test if axe finds a WCAG 2.2 AA violation on the page, or if
    the page is wider than the phone's screen (WCAG 1.4.10 Reflow: no scrolling sideways).

    axe cannot run where JavaScript is off (its promises never settle), so a page seen without JavaScript is
    copied, scripts removed, into a page that has JavaScript and the same screen size and style sheets."""
    mirror = None

    def check(page, *, javascript: bool = True) -> None:
        nonlocal mirror
        checked = page
        if not javascript:
            if mirror is None:
                mirror = browser.new_context(**playwright.devices[PHONE], base_url=live_server.url).new_page()
            url = page.url.split("#", 1)[0]
            html = _SCRIPT.sub("", page.content())
            mirror.route(lambda u: u == url, lambda route: route.fulfill(body=html, content_type="text/html"))
            mirror.goto(url)
            mirror.unroute_all()
            checked = mirror
        report = axe_report(checked)
        assert not report, f"{page.url}:\n{report}"
        # Against the screen, not innerWidth: a phone widens its layout viewport to fit a page that is too wide.
        widths = checked.evaluate("() => [document.documentElement.scrollWidth, screen.width]")
        assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"

    yield check
    if mirror is not None:
        mirror.context.close()


SCREENSHOTS = os.environ.get("REFERRAL_SCREENSHOTS", "")  # a folder: the referral journeys save screenshots there


def screenshot(page, name: str) -> None:
    """A whole-page screenshot for people to look at, when REFERRAL_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@dataclass
class FreshReferral:
    id: uuid.UUID
    reference: str
    name: str


@pytest.fixture
def fresh_referral(live_server) -> FreshReferral:
    """A new referral from the demo link worker to Riverside's food pantry, for someone who needs a Romanian
    interpreter and prefers SMS: made through the same services as the link worker's pages, so a test can answer
    it without depending on any other test."""
    name = f"Irina Test-{uuid.uuid4().hex[:6]}"
    details = ResidentDetails(
        name=name, language="ro", interpreter_language="ro", contact_method="sms", phone="07700 900555"
    )
    answers = DraftAnswers(
        service_id=str(demo_data.demo_id("Riverside Community Hub/Community food pantry")),
        resident_chosen=True,
        resident=details.to_dict(),
        details_done=True,
        communication_done=True,
        needs=["food"],
        reason="Has just moved here with two children and no money for food this week.",
        urgency="soon",
        consent_by=name,
        consent_method="in_person",
        consent_given=True,
    )
    app = live_server.app
    with app.app_context(), Session(app.extensions["database"].engine) as session:
        user = session.exec(select(User).where(User.email == DEMO_EMAILS["link_worker"])).one()
        draft = referral_drafts.start_draft(session=session, user=user, answers=answers)
        referral = referrals.send_draft(session=session, user=user, draft=draft, locale="en")
        session.commit()
        return FreshReferral(id=referral.id, reference=referral.reference, name=name)
