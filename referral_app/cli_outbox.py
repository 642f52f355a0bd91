"""`flask --app wsgi outbox send|list`: send the email and text messages waiting in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from referral_app.config import ConfigurationError
from referral_app.db import get_session
from referral_app.models import OutboxStatus
from referral_app.services import outbox
from referral_app.services.mailer import SmtpMailer, SmtpSettings
from referral_app.services.sms import RecordingSmsProvider, load_sms_provider

LIST_ROW = "{:>7}  {:<8} {:<7} {:<24} {:>8}  {:<18}  {}"

outbox_cli = AppGroup("outbox", help="Email and text messages waiting to be sent.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1), help="Most messages to send.")
def send_messages(limit: int) -> None:
    """Send the messages that are due now; a failed one is tried again later (run this every minute)."""
    config = current_app.config
    try:
        sms_provider = load_sms_provider(config["SMS_PROVIDER"])
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from error
    try:
        report = outbox.send_due_messages(
            session=get_session(),
            mailer=SmtpMailer(SmtpSettings.from_config(config)),
            sms_provider=sms_provider,
            now=datetime.now(UTC),
            limit=limit,
            max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
        )
    except SQLAlchemyError as error:
        raise click.ClickException(f"Could not read the outbox: {error}") from error
    click.echo(report.summary())
    if isinstance(sms_provider, RecordingSmsProvider) and sms_provider.recorded:
        click.echo(
            f"{sms_provider.recorded} text message(s) were only recorded, not sent: "
            "REFERRAL_APP_SMS_PROVIDER is 'record'."
        )


@outbox_cli.command("list")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1), help="Most messages to list.")
def list_messages(limit: int) -> None:
    """List the messages still waiting and those given up on (no recipients, no message text)."""
    try:
        messages = outbox.unsent_messages(session=get_session(), limit=limit)
    except SQLAlchemyError as error:
        raise click.ClickException(f"Could not read the outbox: {error}") from error
    if not messages:
        click.echo("No messages waiting or given up on.")
        return
    click.echo(LIST_ROW.format("id", "status", "channel", "kind", "attempts", "next attempt (UTC)", "last error"))
    for message in messages:
        next_attempt = _utc(message.next_attempt_at) if message.status is OutboxStatus.PENDING else "-"
        last_error = " ".join(message.last_error.split())[:100] or "-"
        row = (message.id, message.status.value, message.channel.value, message.kind, message.attempts)
        click.echo(LIST_ROW.format(*row, next_attempt, last_error))


def _utc(moment: datetime) -> str:
    """SQLite gives back naive datetimes (stored in UTC), PostgreSQL aware ones in its session's time zone."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%d %H:%M")
