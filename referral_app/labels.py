"""Translated names for values stored in the database and for the built-in taxonomies."""

from __future__ import annotations

from babel import Locale
from babel.lists import format_list
from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from referral_app.models import ContactKind, ReportReason, Role, ServiceStatus, VideoPage

ROLE_NAMES = {
    Role.ADMIN: _l("Administrator"),
    Role.LINK_WORKER: _l("Link worker"),
    Role.ORG_STAFF: _l("Organisation staff"),
    Role.COMMISSIONER: _l("Commissioner"),
}

# Same codes and English text as referral_app.services.taxonomy (a test checks they agree).
NEED_NAMES = {
    "mental_health": _l("Mental health"),
    "loneliness": _l("Loneliness and isolation"),
    "food": _l("Food"),
    "housing": _l("Housing and homelessness"),
    "money": _l("Money and debt"),
    "immigration": _l("Immigration and asylum advice"),
    "physical_activity": _l("Physical activity"),
    "arts_culture": _l("Arts and culture"),
    "employment": _l("Employment and skills"),
    "english_language": _l("Learning English"),
    "digital": _l("Digital skills and access"),
    "family": _l("Family and young people"),
    "deaf_community": _l("Deaf community"),
    "physical_health": _l("Physical health"),
    "carers": _l("Carers"),
    "domestic_abuse": _l("Domestic abuse"),
    "substance_use": _l("Alcohol and drugs"),
    "legal_advice": _l("Legal advice and rights"),
}

ACCESSIBILITY_NAMES = {
    "step_free": _l("Step-free access"),
    "accessible_toilet": _l("Accessible toilet"),
    "hearing_loop": _l("Hearing loop"),
    "quiet_space": _l("Quiet space"),
    "blue_badge_parking": _l("Blue Badge parking"),
    "easy_read": _l("Easy Read information"),
    "large_print": _l("Large print information"),
    "baby_changing": _l("Baby changing"),
}

CONTACT_KIND_NAMES = {
    ContactKind.PHONE: _l("Phone"),
    ContactKind.SMS: _l("Text message (SMS)"),
    ContactKind.RELAY_UK: _l("Relay UK (text relay)"),
    ContactKind.VIDEO_RELAY: _l("BSL video relay"),
    ContactKind.VIDEO_CALL: _l("Video call"),
    ContactKind.WHATSAPP: _l("WhatsApp"),
}

VIDEO_PAGE_NAMES = {
    VideoPage.HOME: _l("Home page"),
    VideoPage.HOW_TO_SEARCH: _l("How to search (the Find services page)"),
    VideoPage.REFER_YOURSELF: _l("Refer yourself"),
    VideoPage.PRIVACY_NOTICE: _l("Privacy notice"),
}

STATUS_NAMES = {  # of a service
    ServiceStatus.ACTIVE: _l("Running"),
    ServiceStatus.TEMPORARILY_CLOSED: _l("Temporarily closed"),
    ServiceStatus.INACTIVE: _l("Not running at the moment"),
    ServiceStatus.DEFUNCT: _l("Closed for good"),
}

REPORT_REASON_NAMES = {
    ReportReason.CLOSED: _l("The service has closed"),
    ReportReason.WRONG_CONTACT: _l("The contact details are wrong"),
    ReportReason.UNCLEAR: _l("The information is unclear"),
    ReportReason.WRONG_AREA: _l("The area or address is wrong"),
    ReportReason.OTHER: _l("Something else"),
}

# Languages CLDR does not name: sign languages, and Dari (the Afghan form of Persian).
EXTRA_LANGUAGE_NAMES = {
    "bfi": _l("British Sign Language (BSL)"),
    "ils": _l("International Sign"),
    "prs": _l("Dari"),
}
BSL = "bfi"


def role_name(role: Role) -> str:
    return str(ROLE_NAMES[role])


def need_name(code: str | None, fallback: str = "") -> str:
    label = NEED_NAMES.get(code or "")
    return str(label) if label else fallback


def _reader_locale() -> Locale:
    return get_locale() or Locale("en", "GB")


def language_name(code: str, fallback: str = "") -> str:
    """A language's name in the reader's language, from CLDR (e.g. 'ro' -> 'Romanian' / 'Rwmaneg')."""
    return _language_name(code, _reader_locale(), fallback)


def _language_name(code: str, locale: Locale, fallback: str = "") -> str:
    if code in EXTRA_LANGUAGE_NAMES:
        return str(EXTRA_LANGUAGE_NAMES[code])
    return locale.languages.get(code) or fallback or code


def as_list(items) -> str:
    """Items joined the way the reader's language writes a list ("A, B and C" / "أ، ب و ج")."""
    return format_list([str(item) for item in items], locale=_reader_locale())


def language_list(codes: list[str]) -> str:
    """Language names joined the way the reader's language writes a list."""
    locale = _reader_locale()
    return format_list([_language_name(code, locale) for code in codes], locale=locale)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["language_list"] = language_list
    app.jinja_env.filters["as_list"] = as_list
    app.jinja_env.globals.update(
        role_name=role_name,
        need_name=need_name,
        language_name=language_name,
        NEED_NAMES=NEED_NAMES,
        ACCESSIBILITY_NAMES=ACCESSIBILITY_NAMES,
        CONTACT_KIND_NAMES=CONTACT_KIND_NAMES,
        REPORT_REASON_NAMES=REPORT_REASON_NAMES,
        STATUS_NAMES=STATUS_NAMES,
        VIDEO_PAGE_NAMES=VIDEO_PAGE_NAMES,
    )
