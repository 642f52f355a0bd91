"""`flask --app wsgi retention apply [--dry-run] [--months N]`: anonymise what is kept past the retention period."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from referral_app.db import get_session
from referral_app.services import retention

retention_cli = AppGroup("retention", help="How long residents' personal data is kept.")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only say what would be anonymised; change nothing.")
@click.option(
    "--months",
    type=click.IntRange(min=1, max=1200),
    default=None,
    help="The retention period in months (default: REFERRAL_APP_RETENTION_MONTHS, 24 if unset).",
)
def apply_retention(dry_run: bool, months: int | None) -> None:
    """Anonymise closed referrals unchanged for longer than the retention period, and residents once none of
    their referrals is open or recent (run this every night)."""
    months = months or current_app.config["RETENTION_MONTHS"]
    session = get_session()
    report = retention.apply_retention(session=session, months=months, now=datetime.now(UTC), dry_run=dry_run)
    if dry_run:
        session.rollback()
    else:
        session.commit()
    counts = f"{report.referrals} closed referral(s) and {report.residents} resident(s)"
    period = f"unchanged since {report.cutoff:%Y-%m-%d} ({months} months)"
    if dry_run:
        click.echo(f"Dry run: would anonymise {counts} {period}. Nothing was changed.")
    else:
        click.echo(f"Anonymised {counts} {period}.")
