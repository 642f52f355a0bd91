"""The outbox: messages are written in the transaction of the change that caused them and sent later
by `flask --app wsgi outbox send`, retried with growing delays and given up after the last attempt.

A message is claimed, sent and recorded in transactions of its own, and no transaction is open while
an SMTP server or SMS provider is talking: a slow server must never hold database locks (on SQLite that
would stop the web app writing). Claiming moves the message's next attempt a lease ahead in one UPDATE,
whose row PostgreSQL picks with FOR UPDATE SKIP LOCKED, so two senders never take the same message.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select, update

from referral_app.models import Channel, OutboxMessage, OutboxStatus
from referral_app.services.mailer import Mailer, MailError
from referral_app.services.sms import SmsError, SmsProvider

DEFAULT_MAX_ATTEMPTS = 6
# The wait after the 1st, 2nd, ... failed attempt; the last one repeats if more attempts are allowed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
# Longer than a send can take; a sender that dies mid-send leaves its message to be tried again after this.
SENDING_LEASE = timedelta(minutes=15)
ERROR_LENGTH = 500
SUBJECT_LENGTH = 300
# Messages that carry a secret (a password-reset link): once sent, the stored copy keeps no body.
SCRUBBED_AFTER_SENDING = frozenset({"password_reset"})
SCRUBBED_BODY = "(removed once sent: it held a one-time link)"
logger = logging.getLogger(__name__)


@dataclass
class SendReport:
    sent_ids: list[int] = field(default_factory=list)
    retry_ids: list[int] = field(default_factory=list)
    gave_up_ids: list[int] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.sent_ids)

    @property
    def will_retry(self) -> int:
        return len(self.retry_ids)

    @property
    def gave_up(self) -> int:
        return len(self.gave_up_ids)

    def summary(self) -> str:
        return f"Sent {self.sent}, will retry {self.will_retry}, gave up {self.gave_up}."


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel: Channel
    recipient: str
    subject: str
    body: str
    attempts: int


def enqueue_email(
    *,
    session: Session,
    recipient: str,
    subject: str,
    body: str,
    locale: str,
    kind: str,
    referral_id: uuid.UUID | None = None,
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction; it is sent once that commits."""
    # One line, and short enough for the column: a subject can carry an organisation's own long service name.
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    return _enqueue(session, Channel.EMAIL, recipient, subject, body, locale, kind, referral_id)


def enqueue_sms(
    *,
    session: Session,
    recipient: str,
    body: str,
    locale: str,
    kind: str,
    referral_id: uuid.UUID | None = None,
) -> OutboxMessage:
    """Add a text message to the outbox in the caller's transaction; it is sent once that commits."""
    return _enqueue(session, Channel.SMS, recipient, "", body, locale, kind, referral_id)


def _enqueue(
    session: Session,
    channel: Channel,
    recipient: str,
    subject: str,
    body: str,
    locale: str,
    kind: str,
    referral_id: uuid.UUID | None,
) -> OutboxMessage:
    if not recipient.strip():
        raise ValueError(f"A {kind} {channel.value} message needs a recipient.")
    message = OutboxMessage(
        channel=channel,
        recipient=recipient.strip(),
        subject=subject,
        body=body,
        locale=locale,
        kind=kind,
        referral_id=referral_id,
    )
    session.add(message)
    session.flush()
    return message


def retry_delay(failed_attempts: int) -> timedelta:
    return RETRY_DELAYS[min(failed_attempts, len(RETRY_DELAYS)) - 1]


def send_due_messages(
    *,
    session: Session,
    mailer: Mailer,
    sms_provider: SmsProvider,
    now: datetime,
    limit: int = 100,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> SendReport:
    """Send up to `limit` pending messages that are due at `now`, oldest first, committing after each one.

    Commits: give it a session with nothing else pending.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    report = SendReport()
    for _ in range(limit):
        claimed = _claim_next(session, now=now)
        if claimed is None:
            break
        try:
            _deliver(claimed, mailer=mailer, sms_provider=sms_provider)
        except Exception as error:  # whatever a provider raises, one message must not stop the others
            _record_failure(session, claimed, error=error, now=now, max_attempts=max_attempts, report=report)
        else:
            _record_sent(session, claimed, now=now)
            report.sent_ids.append(claimed.id)
    return report


def _claim_next(session: Session, *, now: datetime) -> _Claimed | None:
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has no FOR UPDATE and runs one writer at a time
        .correlate(None)  # the subquery reads the table the UPDATE writes: keep its own FROM
        .scalar_subquery()
    )
    row = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == due)
        .values(next_attempt_at=now + SENDING_LEASE)
        .returning(
            OutboxMessage.id,
            OutboxMessage.channel,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
    ).first()
    session.commit()
    if row is None:
        return None
    return _Claimed(
        id=row.id,
        channel=Channel(row.channel),
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        attempts=row.attempts,
    )


def _deliver(message: _Claimed, *, mailer: Mailer, sms_provider: SmsProvider) -> None:
    if message.channel is Channel.EMAIL:
        mailer.send(message.recipient, message.subject, message.body)
    else:
        sms_provider.send(message.recipient, message.body)


def _record_sent(session: Session, message: _Claimed, *, now: datetime) -> None:
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=message.attempts + 1, last_error="")
    )
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.kind.in_(SCRUBBED_AFTER_SENDING))
        .values(body=SCRUBBED_BODY)
    )
    session.commit()


def _record_failure(
    session: Session,
    message: _Claimed,
    *,
    error: Exception,
    now: datetime,
    max_attempts: int,
    report: SendReport,
) -> None:
    attempts = message.attempts + 1
    if isinstance(error, MailError | SmsError):
        text = str(error)
        logger.warning("Outbox message %s, attempt %s: %s", message.id, attempts, text)
    else:
        text = f"{type(error).__name__}: {error}"
        logger.exception("Outbox message %s, attempt %s: unexpected error", message.id, attempts)
    gave_up = attempts >= max_attempts
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
            attempts=attempts,
            last_error=text[:ERROR_LENGTH],
            next_attempt_at=now if gave_up else now + retry_delay(attempts),
        )
    )
    session.commit()
    (report.gave_up_ids if gave_up else report.retry_ids).append(message.id)


def unsent_messages(*, session: Session, limit: int = 200) -> list[OutboxMessage]:
    """Messages still waiting or given up on, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.status != OutboxStatus.SENT)
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
    )
