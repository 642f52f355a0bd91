"""Browser tests: a live server on loopback and Debian's Chromium at phone size (Pixel 7)."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from referral_app import create_app, migrations
from referral_app.models import ReportReason
from referral_app.services import demo_data, listing_reports
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
    database = tmp_path_factory.mktemp("live") / "live.sqlite"
    app = create_app({"SECRET_KEY": "e2e-secret", "DATABASE_URL": f"sqlite:///{database}"})
    engine = app.extensions["database"].engine
    migrations.upgrade(engine)
    with Session(engine) as session:
        demo_data.load_demo_data(session=session)
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


@pytest.fixture
def phone(browser, playwright, live_server):
    """`phone(javascript=True)` opens a new Pixel 7 browser context and page on the live server."""
    contexts = []

    def open_page(*, javascript: bool = True):
        context = browser.new_context(
            **playwright.devices[PHONE], java_script_enabled=javascript, base_url=live_server.url
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


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
