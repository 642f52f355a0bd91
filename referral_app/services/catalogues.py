"""The interface's translation catalogues: how complete each language is, what needs review, and bringing back
a catalogue a native speaker corrected (checked before it replaces the one in use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from referral_app.languages import LANGUAGES, TRANSLATED

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass(frozen=True)
class CatalogueStatus:
    code: str
    total: int
    translated: int
    fuzzy: int

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> int:
        """Whole per cent translated and not marked for review (rounded down, so 100 means all of them)."""
        return 100 * self.translated // self.total if self.total else 100


@dataclass(frozen=True)
class Entry:
    msgid: str
    translation: str
    fuzzy: bool


class CatalogueRejected(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def po_path(folder: Path, code: str) -> Path:
    if code not in TRANSLATED:
        raise KeyError(code)
    return folder / code / "LC_MESSAGES" / "messages.po"


def _read(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple | list) else (message.string,)


def _is_translated(message: Message) -> bool:
    return all(_strings(message))


def status(folder: Path) -> list[CatalogueStatus]:
    """Every translated language, in the order of the language list."""
    found = []
    for code in TRANSLATED:
        messages = _messages(_read(po_path(folder, code), code))
        fuzzy = sum(1 for m in messages if m.fuzzy)
        translated = sum(1 for m in messages if not m.fuzzy and _is_translated(m))
        found.append(CatalogueStatus(code=code, total=len(messages), translated=translated, fuzzy=fuzzy))
    return found


def needing_review(folder: Path, code: str) -> list[Entry]:
    """Entries with no translation, or marked fuzzy because the English changed since they were translated."""
    return [
        Entry(
            msgid=message.id[0] if isinstance(message.id, tuple) else message.id,
            translation=" / ".join(s for s in _strings(message) if s),
            fuzzy=message.fuzzy,
        )
        for message in _messages(_read(po_path(folder, code), code))
        if message.fuzzy or not _is_translated(message)
    ]


def check(catalog: Catalog, template: Catalog, code: str) -> list[str]:
    """What is wrong with a returned catalogue for `code`, measured against the message template."""
    problems = []
    language = str(catalog.locale) if catalog.locale else ""
    if language.replace("-", "_").split("_")[0] != code:
        problems.append(f"the file is for language {language or 'unknown'!r}, not {code!r}")
    known = {message.id for message in _messages(template)}
    expected_forms = catalog.num_plurals
    for message in _messages(catalog):
        if message.id not in known:
            problems.append(f"unknown entry {message.id!r} (translate the current catalogue)")
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = _strings(message)
        partly = any(strings) and not all(strings)
        if isinstance(message.id, tuple) and (len(strings) != expected_forms or partly):
            problems.append(f"{message.id[0]!r} needs {expected_forms} plural forms")
        wanted = sorted(PLACEHOLDER.findall(sources[-1]))
        for string in strings:
            if string and sorted(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"{sources[0]!r} must keep the placeholders {', '.join(wanted) or '(none)'}")
    return problems


def import_catalogue(folder: Path, code: str, data: bytes) -> CatalogueStatus:
    """Replace `code`'s catalogue with `data` (a .po file) if it passes `check`, and compile it.

    Entries the file lacks keep nothing: run `pybabel update` afterwards if the code changed since it was exported.
    """
    if code not in TRANSLATED:
        raise CatalogueRejected([f"{code!r} is not one of the translated languages: {', '.join(TRANSLATED)}"])
    try:
        catalog = read_po(BytesIO(data), locale=code)
        claimed = read_po(BytesIO(data)).locale
    except Exception as error:  # Babel raises several kinds for a broken file
        raise CatalogueRejected([f"not a readable .po file ({error})"]) from error
    template = _read(folder / "messages.pot")
    catalog.locale = claimed or catalog.locale
    problems = check(catalog, template, code)
    if problems:
        raise CatalogueRejected(problems)
    catalog.locale = LANGUAGES[code].code
    target = po_path(folder, code)
    with target.open("wb") as handle:
        write_po(handle, catalog)
    with target.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return next(found for found in status(folder) if found.code == code)
