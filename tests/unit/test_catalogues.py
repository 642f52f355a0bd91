"""Reviewing catalogues: completeness, what needs review, and checked imports of a corrected .po file."""

from __future__ import annotations

import shutil
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

from referral_app.languages import TRANSLATED
from referral_app.services import catalogues

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, target)
    return target


def load(folder: Path, code: str):
    with catalogues.po_path(folder, code).open("rb") as handle:
        return read_po(handle, locale=code)


def as_bytes(catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def first_simple(catalog, placeholder: bool = False):
    return next(m for m in catalog if isinstance(m.id, str) and m.id and ("%(" in m.id) == placeholder and m.string)


def test_status_lists_every_translated_language(folder):
    rows = catalogues.status(folder)
    assert [row.code for row in rows] == list(TRANSLATED)
    for row in rows:
        assert row.total > 800
        assert row.translated + row.fuzzy + row.untranslated == row.total


def test_untranslated_and_changed_entries_are_listed_for_review(folder):
    catalog = load(folder, "cy")
    untranslated, changed = [m for m in catalog if isinstance(m.id, str) and m.id and m.string][:2]
    untranslated.string = ""
    changed.flags.add("fuzzy")
    catalogues.po_path(folder, "cy").write_bytes(as_bytes(catalog))
    entries = catalogues.needing_review(folder, "cy")
    assert {(e.msgid, e.fuzzy) for e in entries} >= {(untranslated.id, False), (changed.id, True)}
    row = next(r for r in catalogues.status(folder) if r.code == "cy")
    assert row.percent < 100 and row.fuzzy >= 1 and row.untranslated >= 1


def test_a_corrected_catalogue_is_imported_and_compiled(folder):
    catalog = load(folder, "cy")
    message = first_simple(catalog)
    message.string = "Cywiriad newydd"
    row = catalogues.import_catalogue(folder, "cy", as_bytes(catalog))
    assert row.code == "cy"
    with catalogues.po_path(folder, "cy").with_suffix(".mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert compiled.get(message.id).string == "Cywiriad newydd"


def test_a_catalogue_for_another_language_is_refused(folder):
    with pytest.raises(catalogues.CatalogueRejected) as rejected:
        catalogues.import_catalogue(folder, "pl", catalogues.po_path(folder, "cy").read_bytes())
    assert any("not 'pl'" in problem for problem in rejected.value.problems)


def test_a_lost_placeholder_is_refused_and_nothing_changes(folder):
    before = catalogues.po_path(folder, "cy").read_bytes()
    catalog = load(folder, "cy")
    first_simple(catalog, placeholder=True).string = "Dim dalfan yma"
    with pytest.raises(catalogues.CatalogueRejected) as rejected:
        catalogues.import_catalogue(folder, "cy", as_bytes(catalog))
    assert any("placeholders" in problem for problem in rejected.value.problems)
    assert catalogues.po_path(folder, "cy").read_bytes() == before


def test_missing_plural_forms_are_refused(folder):
    catalog = load(folder, "cy")
    plural = next(m for m in catalog if isinstance(m.id, tuple))
    plural.string = tuple(plural.string)[:2]
    with pytest.raises(catalogues.CatalogueRejected) as rejected:
        catalogues.import_catalogue(folder, "cy", as_bytes(catalog))
    assert any("plural forms" in problem for problem in rejected.value.problems)


@pytest.mark.parametrize(
    ("code", "data"), [("cy", b"this is not a po file \x00\xff"), ("xx", b""), ("en", b""), ("bfi", b"")]
)
def test_unreadable_files_and_unknown_languages_are_refused(folder, code, data):
    with pytest.raises(catalogues.CatalogueRejected):
        catalogues.import_catalogue(folder, code, data)
