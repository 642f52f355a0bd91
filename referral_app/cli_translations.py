"""`flask --app wsgi translations status|import`: how complete each language is; bring back a reviewed .po file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from referral_app.services import catalogues

translations_cli = AppGroup("translations", help="The interface's translation catalogues.")


def _folder() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


@translations_cli.command("status")
def translations_status() -> None:
    """How much of each language is translated, and how much needs review."""
    for row in catalogues.status(_folder()):
        click.echo(f"{row.code:4} {row.percent:3}% translated, {row.untranslated} untranslated, {row.fuzzy} to review")


@translations_cli.command("import")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", "code", required=True, help="The language code, e.g. pl or ckb.")
def translations_import(po_file: Path, code: str) -> None:
    """Check a reviewed .po file and make it the language's catalogue (compiled, ready on the next start)."""
    try:
        row = catalogues.import_catalogue(_folder(), code, po_file.read_bytes())
    except catalogues.CatalogueRejected as rejected:
        for problem in rejected.problems[:50]:
            click.echo(f"- {problem}", err=True)
        raise click.ClickException(f"{po_file} was not imported: {len(rejected.problems)} problem(s).") from None
    click.echo(f"Imported {po_file} as {code}: {row.percent}% translated, {row.fuzzy} to review.")
    click.echo("Restart the app to use it. Commit translations/ to keep it.")
