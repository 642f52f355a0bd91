"""Command-line tasks for referrals: `flask --app wsgi referrals nudge`, `measures import`, `insights rebuild`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from referral_app.db import get_session
from referral_app.services import insight_facts, nudges, outcomes, referral_drafts

referrals_cli = AppGroup("referrals", help="Referral housekeeping.")
measures_cli = AppGroup("measures", help="Outcome measures (ONS4 is built in).")
insights_cli = AppGroup("insights", help="The figures the insights pages count.")


@referrals_cli.command("nudge")
def nudge() -> None:
    """Queue reminders for referrals unanswered after REFERRAL_APP_NUDGE_WORKING_DAYS working days."""
    days = current_app.config["NUDGE_WORKING_DAYS"]
    session = get_session()  # the app's binding, as `outbox send` uses (tests bind it to their transaction)
    nudged = nudges.send_nudges(session=session, now=datetime.now(UTC), working_days=days)
    removed = referral_drafts.remove_expired(session=session)
    session.commit()
    click.echo(f"Queued reminders for {len(nudged)} referral(s) unanswered after {days} working days.")
    click.echo(f"Removed {removed} unsent draft(s) older than {referral_drafts.DRAFT_LIFETIME.days} days.")


@measures_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_measure(path: Path) -> None:
    """Add or update an outcome measure from a JSON file (see the README for the format)."""
    session = get_session()
    try:
        measure = outcomes.import_measure(session=session, path=path)
    except outcomes.MeasureError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Measure {measure.code} ({measure.name}) is ready to use.")


@insights_cli.command("rebuild")
def rebuild_insights() -> None:
    """Derive the insights' facts again from every referral (after changing referrals outside the app)."""
    session = get_session()
    rows = insight_facts.rebuild(session)
    session.commit()
    click.echo(f"The insights count {rows} referral(s).")
