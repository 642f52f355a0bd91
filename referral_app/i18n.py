"""Supported interface languages and how a request's language is chosen.

Order: `?lang=` (remembered in the session), the signed-in user's preference, the browser's
Accept-Language, then English. Codes that are not supported are ignored everywhere.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from referral_app.languages import DEFAULT_LOCALE, LANGUAGES, Language

SESSION_KEY = "lang"


def supported(code: str | None) -> str | None:
    """The code if we support it, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    return LANGUAGES[select_language_code()].locale


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


_BY_LOCALE = {language.locale: language for language in LANGUAGES.values()}


def current_language() -> Language:
    return _BY_LOCALE.get(str(get_locale()), LANGUAGES[DEFAULT_LOCALE])


def init_app(app: Flask) -> None:
    app.before_request(remember_requested_language)
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        current_language=current_language,
        url_in_language=url_in_language,
        source_language_attributes=source_language_attributes,
    )


def source_language_attributes(source: str = DEFAULT_LOCALE) -> Markup:
    """`lang`/`dir` for text organisations wrote, when it is not in the page's language."""
    if source == current_language().code:
        return Markup("")
    language = LANGUAGES.get(source, LANGUAGES[DEFAULT_LOCALE])
    return Markup(' lang="{}" dir="{}"').format(language.code, language.direction)


def url_in_language(code: str) -> str:
    """The current page's address with `lang` set to `code` (other query parameters kept)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    args.append(("lang", code))
    return f"{request.script_root}{request.path}?{urlencode(args)}"
