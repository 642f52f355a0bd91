"""For the outbox tests: a real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import delete
from sqlmodel import Session

from referral_app.models import OutboxMessage

HOST = "127.0.0.1"


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_DATA(self, _server, _session, envelope) -> str:  # aiosmtpd calls it by this name
        raw = envelope.original_content
        # As a mail server stores it: the wire's CRLF line ends become the local ones.
        message = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default)
        self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message, raw))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on (for a server that is down, or to start one on later)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def running_smtp_server(
    *,
    port: int | None = None,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
    login: tuple[str, str] | None = None,
) -> Iterator[SmtpServer]:
    """Serve SMTP on loopback; with `starttls` it insists on STARTTLS, with `login` on those credentials."""
    server = SmtpServer(HOST, port or free_port())
    options: dict = {"tls_context": starttls, "require_starttls": starttls is not None}
    if login:
        expected = LoginPassword(login[0].encode(), login[1].encode())
        options["auth_required"] = True
        options["authenticator"] = lambda _srv, _session, _env, _mechanism, data: AuthResult(
            success=data == expected, handled=False
        )
    controller = Controller(server, hostname=HOST, port=server.port, ssl_context=implicit_tls, **options)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def serve_smtp() -> Iterator[SmtpServer]:
    """A server for one test; a test module makes it its fixture: `pytest.fixture(serve_smtp, name="smtp_server")`."""
    with running_smtp_server() as server:
        yield server


def session_with_empty_outbox(db_session: Session) -> Session:
    """The outbox tests' session: they start from an empty outbox, whatever the demo data holds."""
    db_session.exec(delete(OutboxMessage))
    db_session.flush()
    return db_session


def self_signed_certificate(directory: Path) -> tuple[Path, Path] | None:
    """(certificate, key) for 127.0.0.1 made with the openssl command, or None where it is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
