"""The outbox sender: real SMTP on loopback, retries with back-off, giving up, text messages recorded, settings."""

from __future__ import annotations

import logging
import re
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from referral_app import migrations
from referral_app.config import ConfigurationError, settings_from_environment
from referral_app.db import make_engine
from referral_app.models import OutboxMessage, OutboxStatus
from referral_app.services import outbox
from referral_app.services.mailer import MailError, SmtpMailer, SmtpSettings
from referral_app.services.sms import RecordingSmsProvider, SmsError, load_sms_provider
from tests.conftest import unavailable
from tests.smtp_server import (
    free_port,
    running_smtp_server,
    self_signed_certificate,
    serve_smtp,
    server_tls_context,
    session_with_empty_outbox,
)

ARABIC_SUBJECT = "إحالة جديدة REF-123"
ARABIC_BODY = "لديك إحالة جديدة. سجّل الدخول لقراءتها.\n\nFor privacy, this email does not contain the person's details."
FROM = "Community referrals <no-reply@example.org>"


smtp_server = pytest.fixture(serve_smtp, name="smtp_server")
session = pytest.fixture(session_with_empty_outbox, name="session")


def mailer_for(port: int, **settings) -> SmtpMailer:
    return SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, from_address=FROM, timeout=5, **settings))


def add_email(session: Session, *, subject: str = "Hello", body: str = "Body", to: str = "org@example.org"):
    return outbox.enqueue_email(
        session=session, recipient=to, subject=subject, body=body, locale="en", kind="new_referral"
    )


def send(session: Session, *, now: datetime, port=None, mailer=None, sms_provider=None, **options) -> outbox.SendReport:
    return outbox.send_due_messages(
        session=session,
        mailer=mailer or mailer_for(port),
        sms_provider=sms_provider or RecordingSmsProvider(),
        now=now,
        **options,
    )


def soon() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=1)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (in UTC); PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_email_arrives_over_smtp_in_utf8_and_is_marked_sent(session, smtp_server):
    message = outbox.enqueue_email(
        session=session,
        recipient="referrals@deaf-connect.example.org",
        subject=ARABIC_SUBJECT,
        body=ARABIC_BODY,
        locale="ar",
        kind="new_referral",
    )
    session.commit()
    now = soon()

    report = send(session, port=smtp_server.port, now=now)

    assert (report.sent_ids, report.retry_ids, report.gave_up_ids) == ([message.id], [], [])
    assert report.summary() == "Sent 1, will retry 0, gave up 0."
    [mail] = smtp_server.received
    assert mail.mail_from == "no-reply@example.org"
    assert mail.rcpt_tos == ["referrals@deaf-connect.example.org"]
    assert mail.message["To"] == "referrals@deaf-connect.example.org"
    assert mail.message["From"] == FROM
    assert mail.message["Subject"] == ARABIC_SUBJECT
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert mail.message["Message-ID"].endswith("@example.org>")
    assert mail.message.get_content_type() == "text/plain"
    assert mail.message.get_content_charset() == "utf-8"
    # Text in base64 is in MIME's canonical form, with CRLF line ends.
    assert mail.message.get_content().replace("\r\n", "\n").rstrip("\n") == ARABIC_BODY
    assert mail.raw.isascii()  # encoded for any server, 8BITMIME or not
    session.refresh(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.last_error == ""
    assert as_utc(message.sent_at) == now


def test_server_down_schedules_a_retry_and_a_later_run_sends(session):
    port = free_port()  # nothing listens here yet
    message = add_email(session)
    now = soon()

    report = send(session, port=port, now=now)

    assert (report.sent, report.will_retry, report.gave_up) == (0, 1, 0)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert f"Could not reach SMTP server 127.0.0.1:{port}" in message.last_error
    assert "ConnectionRefusedError" in message.last_error
    assert as_utc(message.next_attempt_at) == now + timedelta(minutes=1)

    with running_smtp_server(port=port) as server:
        assert send(session, port=port, now=now + timedelta(seconds=59)).sent == 0  # not due yet
        later = send(session, port=port, now=now + timedelta(minutes=1))
        assert later.sent_ids == [message.id]
        assert [mail.message["Subject"] for mail in server.received] == ["Hello"]
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")


def test_retries_back_off_then_give_up_after_the_last_attempt(session):
    port = free_port()
    message = add_email(session)
    now = soon()
    waits = []
    for _attempt in range(1, 6):
        assert send(session, port=port, now=now, max_attempts=6).retry_ids == [message.id]
        session.refresh(message)
        waits.append(as_utc(message.next_attempt_at) - now)
        now = as_utc(message.next_attempt_at)
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                     timedelta(hours=12)]  # fmt: skip

    last = send(session, port=port, now=now, max_attempts=6)

    assert (last.sent, last.will_retry, last.gave_up_ids) == (0, 0, [message.id])
    assert last.summary() == "Sent 0, will retry 0, gave up 1."
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 6)
    assert "Could not reach SMTP server" in message.last_error
    assert send(session, port=port, now=now + timedelta(days=30)).summary() == "Sent 0, will retry 0, gave up 0."


def test_retry_delay_keeps_the_longest_wait_beyond_the_schedule():
    assert outbox.retry_delay(1) == timedelta(minutes=1)
    assert outbox.retry_delay(5) == outbox.retry_delay(9) == timedelta(hours=12)


def test_message_not_yet_due_is_not_sent(session, smtp_server):
    message = add_email(session)
    message.next_attempt_at = datetime.now(UTC) + timedelta(hours=1)
    session.commit()

    report = send(session, port=smtp_server.port, now=soon())

    assert report.summary() == "Sent 0, will retry 0, gave up 0."
    assert smtp_server.received == []
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_oldest_first_in_batches_of_limit(session, smtp_server):
    first, second, third = (add_email(session, subject=f"Message {n}") for n in (1, 2, 3))
    now = soon()

    assert send(session, port=smtp_server.port, now=now, limit=2).sent_ids == [first.id, second.id]
    assert send(session, port=smtp_server.port, now=now, limit=2).sent_ids == [third.id]
    assert [mail.message["Subject"] for mail in smtp_server.received] == ["Message 1", "Message 2", "Message 3"]


def test_text_message_is_recorded_not_sent_by_the_default_provider(session, smtp_server, caplog):
    message = outbox.enqueue_sms(
        session=session, recipient="+447700900123", body="مرحبا: your referral was accepted.", locale="ar",
        kind="referral_answered",
    )  # fmt: skip
    provider = load_sms_provider("record")
    assert isinstance(provider, RecordingSmsProvider)

    with caplog.at_level(logging.INFO, logger="referral_app.services.sms"):
        report = send(session, port=smtp_server.port, now=soon(), sms_provider=provider)

    assert report.sent_ids == [message.id]
    assert provider.recorded == 1
    assert smtp_server.received == []
    assert "NOT sent" in caplog.text
    assert "123" in caplog.text
    assert "+447700900123" not in caplog.text
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 1, "")
    assert message.body == "مرحبا: your referral was accepted."  # the row is the record


class FailingSmsProvider:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or SmsError("Provider said: number not reachable")

    def send(self, to: str, body: str) -> None:
        raise self.error


def test_one_failure_does_not_lose_the_record_of_another_success(session, smtp_server):
    text = outbox.enqueue_sms(session=session, recipient="+447700900123", body="Hi", locale="en", kind="nudge")
    email = add_email(session)
    provider = FailingSmsProvider(RuntimeError("provider bug"))

    report = send(session, port=smtp_server.port, now=soon(), sms_provider=provider)

    assert (report.sent_ids, report.retry_ids) == ([email.id], [text.id])
    session.rollback()  # whatever the caller does next, each message was committed on its own
    session.expire_all()
    assert session.get(OutboxMessage, email.id).status == OutboxStatus.SENT
    failed = session.get(OutboxMessage, text.id)
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 1)
    assert failed.last_error == "RuntimeError: provider bug"


def test_long_errors_are_cut_short(session):
    message = outbox.enqueue_sms(session=session, recipient="+447700900123", body="Hi", locale="en", kind="nudge")
    send(session, port=free_port(), now=soon(), sms_provider=FailingSmsProvider(SmsError("x" * 5000)))
    session.refresh(message)
    assert len(message.last_error) == outbox.ERROR_LENGTH


def test_enqueue_keeps_subjects_to_one_short_line_and_needs_a_recipient(session):
    message = add_email(session, subject="Line one\nBcc: someone@example.org  " + "long " * 100)
    assert "\n" not in message.subject
    assert message.subject.startswith("Line one Bcc: someone@example.org long")
    assert len(message.subject) == 300
    assert message.subject.endswith("…")
    with pytest.raises(ValueError, match="needs a recipient"):
        add_email(session, to="  ")


# --- SMS providers ---------------------------------------------------------------------------------------------


class CollectingSmsProvider:
    """A provider plugged in by import path, as a real one would be."""

    sent: list[tuple[str, str]] = []  # noqa: RUF012 - shared so that the test can read what the loaded one sent

    def send(self, to: str, body: str) -> None:
        self.sent.append((to, body))


class NotAProvider:
    pass


def test_provider_plugged_in_by_import_path(session, smtp_server):
    provider = load_sms_provider("tests.unit.test_outbox:CollectingSmsProvider")
    message = outbox.enqueue_sms(session=session, recipient="+447700900456", body="Hi", locale="en", kind="nudge")
    CollectingSmsProvider.sent.clear()

    assert send(session, port=smtp_server.port, now=soon(), sms_provider=provider).sent_ids == [message.id]
    assert CollectingSmsProvider.sent == [("+447700900456", "Hi")]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("no_such_package.sms:Provider", "cannot import 'no_such_package.sms'"),
        ("referral_app.services.sms:NoSuchProvider", "has no 'NoSuchProvider'"),
        ("tests.unit.test_outbox:NotAProvider", "has no send(to, body) method"),
        ("referral_app.services.outbox:DEFAULT_MAX_ATTEMPTS", "is not a class"),
        ("twilio", "must be 'record' or an import path"),
    ],
)
def test_provider_that_cannot_be_loaded_is_a_configuration_error(setting, message):
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        load_sms_provider(setting)


# --- The SMTP mailer on its own --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    made = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    if made is None:
        unavailable("openssl is not installed")
    return made


def trusting(cert) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_starttls_with_login(certificate):
    cert, key = certificate
    tls = server_tls_context(cert, key)
    with running_smtp_server(starttls=tls, login=("mailer", "s3cret")) as server:
        settings = SmtpSettings(
            host="127.0.0.1", port=server.port, security="starttls", username="mailer", password="s3cret", timeout=5
        )
        SmtpMailer(settings, ssl_context=trusting(cert)).send("a@example.org", ARABIC_SUBJECT, ARABIC_BODY)
        wrong = SmtpSettings(**{**settings.__dict__, "password": "wrong"})
        with pytest.raises(MailError, match=r"SMTP with 127\.0\.0\.1:\d+ failed: 535"):
            SmtpMailer(wrong, ssl_context=trusting(cert)).send("a@example.org", "Subject", "Body")
    assert [mail.message["Subject"] for mail in server.received] == [ARABIC_SUBJECT]
    assert "s3cret" not in repr(settings)


def test_implicit_tls(certificate):
    cert, key = certificate
    with running_smtp_server(implicit_tls=server_tls_context(cert, key)) as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="ssl", timeout=5)
        SmtpMailer(settings, ssl_context=trusting(cert)).send("a@example.org", "Subject", "Body")
    assert [mail.rcpt_tos for mail in server.received] == [["a@example.org"]]


def test_untrusted_certificate_is_refused(certificate):
    cert, key = certificate
    with running_smtp_server(starttls=server_tls_context(cert, key)) as server:
        mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=server.port, security="starttls", timeout=5))
        with pytest.raises(MailError, match="CERTIFICATE_VERIFY_FAILED"):
            mailer.send("a@example.org", "Subject", "Body")
    assert server.received == []


def test_header_injection_is_refused_not_sent(smtp_server):
    with pytest.raises(MailError, match="Could not write the email"):
        mailer_for(smtp_server.port).send("a@example.org", "Hi\nBcc: everyone@example.org", "Body")
    assert smtp_server.received == []


# --- Two senders at once, on a database where both see committed rows ------------------------------------------


class SlowMailer:
    """Real SMTP, slowed down so that two senders overlap."""

    def __init__(self, port: int) -> None:
        self.mailer = mailer_for(port)

    def send(self, to: str, subject: str, body: str) -> None:
        time.sleep(0.02)
        self.mailer.send(to, subject, body)


def test_two_senders_at_once_never_send_a_message_twice(empty_database_url, smtp_server):
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine)
    with Session(engine) as session:
        ids = [add_email(session, subject=f"Message {n}").id for n in range(16)]
        session.commit()
    now, reports = soon(), []

    def sender() -> None:
        with Session(engine) as session:
            reports.append(send(session, mailer=SlowMailer(smtp_server.port), now=now))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()

    first, second = reports
    assert not set(first.sent_ids) & set(second.sent_ids)
    assert sorted(first.sent_ids + second.sent_ids) == ids
    assert first.sent and second.sent  # both did some of the work
    assert sorted(mail.message["Subject"] for mail in smtp_server.received) == sorted(f"Message {n}" for n in range(16))


# --- Settings ---------------------------------------------------------------------------------------------------


def test_mail_settings_defaults(tmp_path):
    settings = settings_from_environment({}, instance_path=tmp_path)
    assert {key: settings[key] for key in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USERNAME")} == {
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "SMTP_SECURITY": "none",
        "SMTP_USERNAME": "",
    }
    assert settings["MAIL_FROM"] == FROM
    assert settings["SMS_PROVIDER"] == "record"
    assert settings["OUTBOX_MAX_ATTEMPTS"] == 6
    assert SmtpSettings.from_config(settings).timeout == 30


@pytest.mark.parametrize(
    ("environ", "security"),
    [
        ({"REFERRAL_APP_SMTP_HOST": "smtp.example.org", "REFERRAL_APP_SMTP_PORT": "587"}, "starttls"),
        ({"REFERRAL_APP_SMTP_HOST": "smtp.example.org", "REFERRAL_APP_SMTP_PORT": "465"}, "ssl"),
        ({"REFERRAL_APP_SMTP_HOST": "127.0.0.1", "REFERRAL_APP_SMTP_PORT": "2525"}, "none"),
        ({"REFERRAL_APP_SMTP_HOST": "smtp.example.org", "REFERRAL_APP_SMTP_SECURITY": "NONE"}, "none"),
    ],
)
def test_smtp_security_default_follows_host_and_port(tmp_path, environ, security):
    assert settings_from_environment(environ, instance_path=tmp_path)["SMTP_SECURITY"] == security


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REFERRAL_APP_SMTP_PORT", "smtp", "REFERRAL_APP_SMTP_PORT must be a whole number from 1 to 65535"),
        ("REFERRAL_APP_SMTP_PORT", "70000", "REFERRAL_APP_SMTP_PORT must be a whole number from 1 to 65535"),
        ("REFERRAL_APP_SMTP_SECURITY", "tls", "REFERRAL_APP_SMTP_SECURITY must be none, starttls or ssl"),
        ("REFERRAL_APP_SMTP_TIMEOUT", "0", "REFERRAL_APP_SMTP_TIMEOUT must be a whole number from 1 to 300"),
        ("REFERRAL_APP_OUTBOX_MAX_ATTEMPTS", "0", "REFERRAL_APP_OUTBOX_MAX_ATTEMPTS must be a whole number from 1"),
        ("REFERRAL_APP_MAIL_FROM", "no-reply", "REFERRAL_APP_MAIL_FROM must be an email address"),
        ("REFERRAL_APP_MAIL_FROM", "A <a@example.org>\nBcc: b@example.org", "REFERRAL_APP_MAIL_FROM must be"),
        ("REFERRAL_APP_SMS_PROVIDER", "send it please", "REFERRAL_APP_SMS_PROVIDER must be 'record' or an import"),
    ],
)
def test_invalid_mail_settings_are_refused(tmp_path, name, value, message):
    with pytest.raises(ConfigurationError, match=message):
        settings_from_environment({name: value}, instance_path=tmp_path)
