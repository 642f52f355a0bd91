"""`flask --app wsgi outbox send|list` against a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from referral_app import create_app
from referral_app.models import OutboxMessage
from referral_app.services import outbox
from tests.conftest import make_test_app
from tests.smtp_server import free_port, serve_smtp, session_with_empty_outbox

BODY = "Sign in to read it: http://127.0.0.1:5000/referrals/1"


smtp_server = pytest.fixture(serve_smtp, name="smtp_server")
session = pytest.fixture(session_with_empty_outbox, name="session")


@pytest.fixture
def run(migrated_engine, connection, session):
    """`run(["outbox", "send"], SMTP_PORT=...)`: the command on an app bound to the test's transaction."""

    def _run(args: list[str], **config):
        settings = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": free_port(), "SMTP_SECURITY": "none", **config}
        app = make_test_app(migrated_engine, connection, **settings)
        return app.test_cli_runner().invoke(args=args)

    return _run


def add_email(session: Session, *, kind: str = "new_referral") -> OutboxMessage:
    message = outbox.enqueue_email(
        session=session,
        recipient="referrals@example.org",
        subject="Atgyfeiriad newydd",
        body=BODY,
        locale="cy",
        kind=kind,
    )
    session.commit()
    return message


def add_text(session: Session) -> OutboxMessage:
    message = outbox.enqueue_sms(
        session=session, recipient="+447700900123", body="Your referral was accepted.", locale="en", kind="answered"
    )
    session.commit()
    return message


def test_send_prints_the_counts_and_says_text_messages_were_only_recorded(run, session, smtp_server):
    add_email(session)
    add_email(session, kind="nudge")
    add_text(session)

    result = run(["outbox", "send"], SMTP_PORT=smtp_server.port)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Sent 3, will retry 0, gave up 0.",
        "1 text message(s) were only recorded, not sent: REFERRAL_APP_SMS_PROVIDER is 'record'.",
    ]
    assert [mail.message["Subject"] for mail in smtp_server.received] == ["Atgyfeiriad newydd"] * 2
    assert run(["outbox", "list"]).output == "No messages waiting or given up on.\n"


def test_send_succeeds_when_the_server_is_down_and_list_shows_the_retry(run, session):
    message = add_email(session)

    result = run(["outbox", "send"])  # nothing listens on the port

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 0, will retry 1, gave up 0.\n"
    listing = run(["outbox", "list"])
    assert listing.exit_code == 0
    header, row = listing.output.splitlines()
    assert header.split()[:5] == ["id", "status", "channel", "kind", "attempts"]
    assert row.split()[:5] == [str(message.id), "pending", "email", "new_referral", "1"]
    assert "Could not reach SMTP server 127.0.0.1:" in row
    assert "referrals@example.org" not in listing.output  # no recipients
    assert BODY not in listing.output and "Atgyfeiriad" not in listing.output  # no message text


def test_list_shows_messages_given_up_on(run, session):
    message = add_email(session)

    result = run(["outbox", "send"], OUTBOX_MAX_ATTEMPTS=1)

    assert result.output == "Sent 0, will retry 0, gave up 1.\n"
    row = run(["outbox", "list"]).output.splitlines()[1]
    assert row.split()[:6] == [str(message.id), "failed", "email", "new_referral", "1", "-"]


def test_send_fails_when_the_sms_provider_cannot_be_loaded(run, session):
    message = add_email(session)

    result = run(["outbox", "send"], SMS_PROVIDER="no_such_package.sms:Provider")

    assert result.exit_code == 1
    assert "cannot import 'no_such_package.sms'" in result.output
    session.refresh(message)
    assert message.attempts == 0  # nothing was tried


def test_send_fails_without_an_outbox_table(empty_database_url):
    app = create_app({"SECRET_KEY": "test", "DATABASE_URL": empty_database_url})
    try:
        result = app.test_cli_runner().invoke(args=["outbox", "send"])
    finally:
        app.extensions["database"].engine.dispose()
    assert result.exit_code == 1
    assert "Could not read the outbox" in result.output
