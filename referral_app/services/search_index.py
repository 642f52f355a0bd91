"""The words that find a service, in every supported language, kept in `service_search`.

Call `refresh_search_documents` after any change to a service, its organisation, translations, terms or
languages. SQLite indexes the text with FTS5 (migration 0002), PostgreSQL with a GIN index on the `body_tsv` column that
it generates from `body` (migration 0004).
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.support import Translations
from sqlalchemy import ColumnElement, literal_column, text
from sqlmodel import Session, select

from referral_app.config import PROJECT_ROOT
from referral_app.languages import LANGUAGES, NAMES_MISSING_FROM_CLDR
from referral_app.models import (
    Attribute,
    Language,
    Organization,
    OrganizationTranslation,
    Service,
    ServiceSearch,
    ServiceTranslation,
    TaxonomyTerm,
)

MAX_WORDS = 10
_WORD = re.compile(r"\w+", re.UNICODE)
# Arabic short vowels, shadda, sukun and tatweel: optional in writing, so never part of a match.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
# The article and particles Arabic joins to the front of a word ("الطعام", "والديون", "بالعربية").
_ARABIC_PREFIX = re.compile("^(?:وال|بال|فال|كال|لل|ال|و)(?=[\u0621-\u064a]{2,})")


def normalise(text_value: str) -> str:
    """Text as the index holds it: Arabic without vowel marks, plus each Arabic word without its article."""
    text_value = _ARABIC_MARKS.sub("", text_value)
    extra = [bare for word in _WORD.findall(text_value) if (bare := _ARABIC_PREFIX.sub("", word)) != word]
    return " ".join([text_value, *extra]) if extra else text_value


# Words people search with for a language, beyond its names (CLDR's, or ours where CLDR has none).
_LANGUAGE_SEARCH_WORDS = {"bfi": "BSL sign signing Deaf", "prs": "دری"}


@cache
def _catalogue(locale: str) -> Translations:
    return Translations.load(str(PROJECT_ROOT / "translations"), [locale])


def _in_every_language(english: str) -> list[str]:
    return [english, *(_catalogue(language.locale).gettext(english) for language in LANGUAGES.values())]


def _language_names(code: str) -> list[str]:
    names = [code, NAMES_MISSING_FROM_CLDR.get(code, ""), _LANGUAGE_SEARCH_WORDS.get(code, "")]
    for language in LANGUAGES.values():
        name = Locale.parse(language.locale).languages.get(code)
        if name:
            names.append(name)
    return names


def _texts(record: Service | ServiceTranslation) -> list[str]:
    return [record.name, record.description, record.application_process, record.eligibility_description]


def build_documents(*, session: Session, service_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The searchable text of each service, with a fixed number of queries."""
    parts: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = session.exec(select(Service, Organization).join(Organization).where(Service.id.in_(service_ids))).all()
    org_ids = {org.id for _service, org in rows}
    org_translations = defaultdict(list)
    for translation in session.exec(
        select(OrganizationTranslation).where(OrganizationTranslation.organization_id.in_(org_ids))
    ):
        org_translations[translation.organization_id] += [translation.name, translation.description]
    for service, org in rows:
        parts[service.id] += [*_texts(service), org.name, org.description, *org_translations[org.id]]
    translations = select(ServiceTranslation).where(ServiceTranslation.service_id.in_(service_ids))
    for translation in session.exec(translations):
        parts[translation.service_id] += _texts(translation)
    for link_id, name in session.exec(
        select(Attribute.link_id, TaxonomyTerm.name).join(TaxonomyTerm).where(Attribute.link_id.in_(service_ids))
    ).all():
        parts[link_id] += _in_every_language(name)
    # English is not indexed as a language: nearly every service offers it, so "English" would match
    # them all instead of finding English classes.
    for service_id, code in session.exec(
        select(Language.service_id, Language.code).where(Language.service_id.in_(service_ids), Language.code != "en")
    ).all():
        parts[service_id] += _language_names(code)
    return {
        service_id: normalise(" ".join(p for p in parts[service_id] if p))
        for service_id in service_ids
        if service_id in parts
    }


def refresh_search_documents(*, session: Session, service_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the search text of these services (missing services lose theirs)."""
    ids = list(dict.fromkeys(service_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        documents = build_documents(session=session, service_ids=chunk)
        existing = {
            row.service_id: row
            for row in session.exec(select(ServiceSearch).where(ServiceSearch.service_id.in_(chunk)))
        }
        for service_id in chunk:
            row = existing.get(service_id)
            if service_id not in documents:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(ServiceSearch(service_id=service_id, body=documents[service_id]))
            elif row.body != documents[service_id]:
                row.body = documents[service_id]
                session.add(row)
    session.flush()


def search_words(text_query: str) -> list[str]:
    """The words of a query that the index can match (letters and digits, at most MAX_WORDS)."""
    words = _WORD.findall(_ARABIC_MARKS.sub("", text_query.lower()))[:MAX_WORDS]
    return [_ARABIC_PREFIX.sub("", word) for word in words]


def matches_text(*, dialect: str, words: list[str]) -> ColumnElement[bool]:
    """A condition on `service_search` true when its text has every word (as a prefix)."""
    if dialect == "sqlite":
        fts_query = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        return ServiceSearch.id.in_(
            select(literal_column("rowid"))
            .select_from(text("service_fts"))
            .where(text("service_fts MATCH :fts").bindparams(fts=fts_query))
        )
    ts_query = " & ".join(f"{word}:*" for word in words)
    return text("service_search.body_tsv @@ to_tsquery('simple', :tsq)").bindparams(tsq=ts_query)
