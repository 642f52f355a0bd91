"""Command-line tasks: `flask --app wsgi db|demo|users ...`, `import-oruk` and `export-oruk`."""

from __future__ import annotations

import uuid
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from referral_app import migrations
from referral_app.models import Role
from referral_app.services import demo_data, media, oruk_export, oruk_import, users


def _engine():
    return current_app.extensions["database"].engine


db_cli = AppGroup("db", help="Create and upgrade the database schema (Alembic).")
demo_cli = AppGroup("demo", help="Demonstration data.")
users_cli = AppGroup("users", help="Staff accounts.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Create the database or bring it up to REVISION (default: the latest)."""
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(_engine(), revision)
    click.echo(f"Database is at revision {', '.join(sorted(migrations.current_revisions(_engine())))}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION (for developers)."""
    migrations.downgrade(_engine(), revision)
    click.echo(f"Database is at revision {', '.join(sorted(migrations.current_revisions(_engine()))) or 'none'}.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrations.make_revision(_engine(), message)


@demo_cli.command("load")
def demo_load() -> None:
    """Add the demonstration organisations, services and accounts (safe to run again)."""
    with Session(_engine()) as session:
        store = media.MediaStore(Path(current_app.config["MEDIA_ROOT"]))
        report = demo_data.load_demo_data(session=session, media_store=store)
        session.commit()
    click.echo(report)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--organisation-id", "organization_id", default=None, help="Needed for org_staff.")
@click.password_option(prompt="Password (at least 12 characters)")
def users_create(email: str, name: str, role: str, organization_id: str | None, password: str) -> None:
    """Create a staff account."""
    try:
        org_id = uuid.UUID(organization_id) if organization_id else None
    except ValueError:
        raise click.BadParameter("not a valid organisation id", param_hint="--organisation-id") from None
    with Session(_engine()) as session:
        try:
            user = users.create_user(
                session=session, email=email, name=name, password=password, role=Role(role), organization_id=org_id
            )
        except users.AccountError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"Created {user.role.value} account {user.email}.")


def _unit_of_work() -> Session:
    """A session on the app's bind: the engine, or in tests a connection whose transaction is rolled back."""
    bind = current_app.extensions["database"].bind
    return Session(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")


@click.command("import-oruk")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def import_oruk(path: Path) -> None:
    """Import Open Referral UK 3.0 data: a directory of CSV files or a JSON file of services or organisations.

    Records are matched by id, so importing again updates them. Rows that cannot be used are skipped with a
    reason; if the data cannot be read or saving fails, nothing is changed.
    """
    with _unit_of_work() as session:
        try:
            report = oruk_import.import_oruk(session=session, path=path)
            session.commit()
        except oruk_import.OrukFormatError as error:
            session.rollback()
            raise click.ClickException(f"{error} Nothing was imported.") from error
        except (SQLAlchemyError, ValueError, OSError) as error:
            session.rollback()
            raise click.ClickException(f"Import failed, nothing was imported: {error}") from error
    for line in report.lines:
        click.echo(line)
    click.echo(report.summary())


@click.command("export-oruk")
@click.argument("path", type=click.Path(file_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_oruk(path: Path) -> None:
    """Write the directory as Open Referral UK 3.0 CSV files (plus our own columns) into the directory PATH."""
    with _unit_of_work() as session:
        written = oruk_export.export_oruk(session=session, directory=path)
    click.echo(
        f"Wrote {len(written)} files to {path}: " + ", ".join(f"{name} {rows}" for name, rows in written.items())
    )
