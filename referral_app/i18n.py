"""Supported interface languages and how a request's language is chosen.

Order: `?lang=` (remembered in the session), the signed-in user's preference, the browser's
Accept-Language, then English. Codes that are not supported are ignored everywhere.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup

from referral_app.languages import DEFAULT_LOCALE, LANGUAGES, Language

SESSION_KEY = "lang"


def supported(code: str | None) -> str | None:
    """The code if we support it, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    code = select_language_code()
    g.language_code = code  # BSL and English share a Babel locale; this tells them apart
    return LANGUAGES[code].locale


def select_language_code() -> str:
    requested = supported(request.args.get("lang"))
    if requested:
        return requested
    remembered = supported(session.get(SESSION_KEY))
    if remembered:
        return remembered
    if current_user and current_user.is_authenticated:
        preferred = supported(current_user.preferred_locale)
        if preferred:
            return preferred
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE


def remember_requested_language() -> None:
    """Keep a `?lang=` choice for the rest of the visit."""
    requested = supported(request.args.get("lang"))
    if requested and session.get(SESSION_KEY) != requested:
        session[SESSION_KEY] = requested


# Keyed by Babel's Locale objects (compared by their parts): spelling the request's locale out as a string
# each time cost more than the lookup, and templates ask for the current language many times a page.
_LOCALE_OF = {code: Locale.parse(language.locale) for code, language in LANGUAGES.items()}
_BY_LOCALE = {Locale.parse(language.locale): language for language in reversed(LANGUAGES.values())}


def current_language() -> Language:
    locale = get_locale()
    chosen = LANGUAGES.get(g.get("language_code", "")) if g else None
    if chosen is not None and _LOCALE_OF[chosen.code] == locale:
        return chosen
    return _BY_LOCALE.get(locale, LANGUAGES[DEFAULT_LOCALE])  # `force_locale` (emails) or no request


def _catalogue() -> NullTranslations:
    """The reader's message catalogue, found once a request for each locale.

    Flask-Babel finds it again on each call, through several lookups of the request context; templates call
    `_()` about a hundred times on a page of search results. Keyed by locale, so `force_locale` still works.
    """
    if not g:  # no application context: Flask-Babel's untranslated fallback
        return get_translations()
    catalogues = g.setdefault("_catalogues", {})
    locale = get_locale()
    if locale not in catalogues:
        catalogues[locale] = get_translations()
    return catalogues[locale]


def init_app(app: Flask) -> None:
    """After Flask-Babel's init_app, whose gettext callables for Jinja these replace."""
    app.before_request(remember_requested_language)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: _catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        current_language=current_language,
        url_in_language=url_in_language,
        source_language_attributes=source_language_attributes,
    )


def source_language_attributes(source: str = DEFAULT_LOCALE) -> Markup:
    """`lang`/`dir` for text organisations wrote, when it is not in the page's language."""
    if source == current_language().html_lang:
        return Markup("")
    language = LANGUAGES.get(source, LANGUAGES[DEFAULT_LOCALE])
    return Markup(' lang="{}" dir="{}"').format(language.code, language.direction)


def url_in_language(code: str) -> str:
    """The current page's address with `lang` set to `code` (other query parameters kept).

    The path is quoted again and starts with one slash: an address made to look like another site's
    (`/%5Cevil.example`, which browsers read as `//evil.example`) must give links that stay on this one.
    """
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    args.append(("lang", code))
    path = "/" + quote(request.path, safe="/:@!$&'()*+,;=-._~").lstrip("/")
    return f"{request.script_root}{path}?{urlencode(args)}"
