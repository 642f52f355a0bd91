"""How complete each interface language is, what needs a native speaker's review, and its .po file to send them."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, send_file

from referral_app.access import roles_required
from referral_app.admin.routes import bp
from referral_app.languages import LANGUAGES, TRANSLATED
from referral_app.models import Role
from referral_app.services import catalogues


def _folder() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def _code_or_404(code: str) -> str:
    if code not in TRANSLATED:
        abort(404)
    return code


@bp.get("/translations")
@roles_required(Role.ADMIN)
def list_translations():
    return render_template("admin/list_translations.html", rows=catalogues.status(_folder()), languages=LANGUAGES)


@bp.get("/translations/<code>")
@roles_required(Role.ADMIN)
def show_translation(code: str):
    code = _code_or_404(code)
    found = next(row for row in catalogues.status(_folder()) if row.code == code)
    entries = catalogues.needing_review(_folder(), code)
    return render_template("admin/show_translation.html", language=LANGUAGES[code], status=found, entries=entries)


@bp.get("/translations/<code>/messages.po")
@roles_required(Role.ADMIN)
def download_translation(code: str):
    code = _code_or_404(code)
    return send_file(
        catalogues.po_path(_folder(), code),
        mimetype="text/x-gettext-translation; charset=utf-8",
        as_attachment=True,
        download_name=f"messages-{code}.po",
        max_age=0,
    )
