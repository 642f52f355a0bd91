"""Email over SMTP with the standard library: one connection a message, plain-text UTF-8 bodies."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from referral_app.config import SMTP_SECURITY_MODES

# Bodies go as quoted-printable or base64, whichever is shorter, so that every server takes them whether or not
# it speaks 8BITMIME; headers with Arabic or Welsh in them are encoded words.
SEVEN_BIT = policy.SMTP.clone(cte_type="7bit")


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class MailError(Exception):
    """The message could not be handed to the SMTP server; the text says why, without the message itself."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str = ""
    password: str = field(default="", repr=False)
    from_address: str = "Community referrals <no-reply@example.org>"
    timeout: float = 30

    def __post_init__(self) -> None:
        if self.security not in SMTP_SECURITY_MODES:
            raise ValueError(f"security must be one of {', '.join(SMTP_SECURITY_MODES)}, not {self.security!r}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            security=config["SMTP_SECURITY"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            from_address=config["MAIL_FROM"],
            timeout=config["SMTP_TIMEOUT"],
        )


class SmtpMailer:
    """Sends each message on its own connection: a run sends few, and a dropped connection then costs one message."""

    def __init__(self, settings: SmtpSettings, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._ssl_context = ssl_context or ssl.create_default_context()

    def send(self, to: str, subject: str, body: str) -> None:
        where = f"{self.settings.host}:{self.settings.port}"
        try:
            message = self.build_message(to, subject, body)
            with self._connect() as smtp:
                smtp.send_message(message)
        except smtplib.SMTPException as error:
            raise MailError(f"SMTP with {where} failed: {_describe(error)}") from error
        except OSError as error:  # refused, unreachable, timed out, TLS failed
            raise MailError(f"Could not reach SMTP server {where}: {_describe(error)}") from error
        except ValueError as error:  # an address or subject that cannot go in a header
            raise MailError(f"Could not write the email: {error}") from error

    def build_message(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage(policy=SEVEN_BIT)
        message["From"] = self.settings.from_address
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=_domain_of(message["From"].addresses))
        # RFC 3834: tells mail servers and people's auto-responders that no person wrote this.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body, charset="utf-8")
        return message

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=self._ssl_context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            if settings.security == "starttls":
                smtp.starttls(context=self._ssl_context)
            if settings.username:
                smtp.login(settings.username, settings.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _domain_of(addresses: tuple[Address, ...]) -> str | None:
    """The From address's domain for the Message-ID, so that it does not give away this machine's name."""
    if addresses and addresses[0].domain:
        return addresses[0].domain
    return None


def _describe(error: BaseException) -> str:
    """The server's own words where it gave them; never the recipient's address."""
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(_reply(code, text) for code, text in error.recipients.values())
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
