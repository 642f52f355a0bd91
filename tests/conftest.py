"""Shared fixtures: the suite runs against SQLite and PostgreSQL, each test in a rolled-back transaction."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlmodel import Session

from referral_app import create_app, migrations, page_cache
from referral_app.db import make_engine
from referral_app.extensions import limiter
from referral_app.models import User
from referral_app.services import demo_data, users
from tests import postgres

IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ("sqlite", "postgresql")
DEMO_PASSWORD = demo_data.DEMO_PASSWORD
DEMO_EMAILS = {
    "admin": "admin@example.org",
    "link_worker": "linkworker@example.org",
    "org_staff": "orgstaff@example.org",
    "org_staff_other": "orgstaff2@example.org",
    "commissioner": "commissioner@example.org",
}


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI nothing may be skipped."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    cluster = postgres.start()
    if cluster is None:
        unavailable("PostgreSQL is not installed")
    yield cluster.url
    cluster.stop()


def database_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database per backend, upgraded from empty with Alembic and holding the demo data."""
    engine = make_engine(database_url(request.param, request, tmp_path_factory))
    migrations.upgrade(engine)
    with Session(engine) as session:
        demo_data.load_demo_data(session=session)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def empty_database_url(migrated_engine: Engine, tmp_path) -> Iterator[str]:
    """A new, empty database on the same backend as the test (for migrations, the CLI, imports)."""
    if migrated_engine.dialect.name == "sqlite":
        (tmp_path / "instance").mkdir()
        yield f"sqlite:///{tmp_path / 'instance' / 'fresh.sqlite'}"
        return
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(migrated_engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield migrated_engine.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def connection(migrated_engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with migrated_engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


@pytest.fixture
def db_session(connection: Connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session


def make_test_app(engine: Engine, bind: Engine | Connection, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        # The demo accounts are not enrolled in two-factor (tests/integration/test_two_factor.py turns it on).
        "REQUIRE_TWO_FACTOR": False,
        # Every test signs in from 127.0.0.1 as the same few accounts; limits are tested with their own apps.
        "SIGN_IN_RATE_LIMIT_PER_ACCOUNT": "1000 per minute",
        "SIGN_IN_RATE_LIMIT_PER_ADDRESS": "1000 per minute",
        # Pages and search counts as they are now (tests/integration/test_page_cache.py turns both on).
        "PAGE_CACHE_SECONDS": 0,
        "SEARCH_LOG_FLUSH_SECONDS": 0,
        **overrides,
    }
    app = create_app(config)
    state = app.extensions["database"]
    state.engine.dispose()
    state.engine, state.bind = engine, bind
    return app


@pytest.fixture(scope="session")
def shared_apps() -> dict:
    return {}


@pytest.fixture
def app(migrated_engine: Engine, connection: Connection, tmp_path, shared_apps: dict) -> Iterator[Flask]:
    """The app, bound to this test's rolled-back connection. Building an app compiles every URL rule (about 60 ms),
    so one app per backend serves every test: its settings are put back and its rate-limit counts emptied before
    each test. A test that must add routes or change the app's make-up builds its own with `make_test_app`."""
    if migrated_engine not in shared_apps:
        made = make_test_app(migrated_engine, migrated_engine)
        shared_apps[migrated_engine] = (made, dict(made.config))
    shared, settings = shared_apps[migrated_engine]
    shared.config.clear()
    shared.config.update(settings, MEDIA_ROOT=str(tmp_path / "media"))
    limiter.reset()
    with shared.app_context():
        page_cache.cache.clear()
    state = shared.extensions["database"]
    state.engine, state.bind = migrated_engine, connection
    yield shared
    state.engine, state.bind = migrated_engine, migrated_engine


@pytest.fixture(scope="module")
def services_app(migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app made once a module, for service tests that need an app context (messages in the reader's language);
    the services are given the test's `db_session`, so the app's own database binding is never used."""
    return make_test_app(migrated_engine, migrated_engine, MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, path: str, data: dict, *, page: str | None = None, **options):
    """POST `data` to `path` with the CSRF token of the page the form is on (`page`, by default `path`)."""
    html = client.get(page or path)
    assert html.status_code == 200, (page or path, html.status_code)
    return client.post(path, data={"csrf_token": csrf_token_from(html.text), **data}, **options)


def location(response) -> str:
    """Where a redirect sends the browser (and that it is one)."""
    assert response.status_code in (302, 303, 307), (response.status_code, response.text[:500])
    return response.headers["Location"]


def error_shown(html: str, field: str, message: str) -> bool:
    """The message is in the error summary (linking to the field) and beside the field."""
    summary = re.search(r'class="govuk-error-summary".*?</div>\s*</div>', html, re.S)
    beside = re.search(rf'id="{field}-error"[^>]*>.*?</p>', html, re.S)
    return bool(
        summary and re.search(rf'href="#{field}[^"]*">{re.escape(message)}', unescape(summary.group(0)))
        and beside and message in unescape(beside.group(0))
    )  # fmt: skip


def count_queries(connection: Connection, call) -> int:
    """How many SQL statements `call()` sends (savepoints aside)."""
    statements = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def sign_in(client: FlaskClient, email: str, password: str = DEMO_PASSWORD, next_path: str | None = None):
    page = client.get("/sign-in")
    data = {"csrf_token": csrf_token_from(page.text), "email": email, "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/sign-in", data=data)


@pytest.fixture
def act_as(client: FlaskClient, db_session: Session):
    """`act_as("org_staff")` or `act_as(user)`: the client signed in without the form (no password to hash, so
    fast); `sign_in_as` goes through the form."""

    def _act_as(who: str | User) -> FlaskClient:
        user = who if isinstance(who, User) else users.get_user_by_email(session=db_session, email=DEMO_EMAILS[who])
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["signed_in_at"] = session["seen_at"] = session["confirmed_at"] = time.time()
        return client

    return _act_as


@pytest.fixture
def sign_in_as(client: FlaskClient):
    """`sign_in_as("admin")` signs the test client in as that demo account."""

    def _sign_in(role_key: str) -> FlaskClient:
        response = sign_in(client, DEMO_EMAILS[role_key])
        assert response.status_code == 303, response.text
        return client

    return _sign_in
