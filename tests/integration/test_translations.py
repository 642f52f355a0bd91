"""The catalogues are up to date with the code and every supported locale is complete."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from referral_app.languages import TRANSLATED

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
LOCALES = list(TRANSLATED)


def extract(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "translations/babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "--sort-output", "--omit-header", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return read_po(handle)


def msgids(catalog):
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    return extract(tmp_path_factory.mktemp("pot"))


def test_messages_pot_is_up_to_date(fresh_template):
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        committed = read_po(handle)
    missing = msgids(fresh_template) - msgids(committed)
    stale = msgids(committed) - msgids(fresh_template)
    assert not missing and not stale, (
        f"Run pybabel extract/update (see README). New: {sorted(missing)[:5]} Removed: {sorted(stale)[:5]}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_is_complete_and_current(fresh_template, locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(f"wrong number of plural forms: {message.id!r}")
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for string in strings:
            if not string:
                problems.append(f"untranslated: {message.id!r}")
            elif sorted(PLACEHOLDER.findall(string)) != expected:
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
    assert problems == []
    assert msgids(catalog) == msgids(fresh_template), f"{locale}: run pybabel update"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_the_po_file(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"

    def as_dict(catalog):
        return {_key(m.id): _key(m.string) for m in catalog if m.id}

    with (folder / "messages.po").open("rb") as handle:
        source = as_dict(read_po(handle, locale=locale))
    with (folder / "messages.mo").open("rb") as handle:
        compiled = as_dict(read_mo(handle))
    assert compiled == source, f"{locale}: run pybabel compile -d translations"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value
