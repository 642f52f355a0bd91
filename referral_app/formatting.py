"""Template filters that format values for the reader's language."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from urllib.parse import quote, urlsplit

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral_app.models._types import aware
from referral_app.services.opening_times import UK_TIME

KM_PER_MILE = 1.609344
DAY_NAMES = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}


def clock(value: time) -> str:
    """A time of day in the reader's language, e.g. 13:30 in British English."""
    return format_time(value, "short", locale=get_locale())


def _uk(value: datetime) -> datetime:
    """Stored moments are UTC (SQLite hands them back without a zone); people read UK time."""
    return aware(value).astimezone(UK_TIME)


def date_short(value: datetime) -> str:
    """A day, e.g. 24 Nov 2026 in British English."""
    return format_date(_uk(value).date(), "medium", locale=get_locale())


def date_time(value: datetime) -> str:
    """A day and time, e.g. 24 Nov 2026 at 15:30 in British English."""
    moment = _uk(value)
    return _(
        "%(date)s at %(time)s",
        date=format_date(moment.date(), "medium", locale=get_locale()),
        time=format_time(moment.time(), "short", locale=get_locale()),
    )


def weekday(value: date) -> str:
    return format_date(value, "EEEE", locale=get_locale())


def day_name(code: str) -> str:
    """An ORUK day code (MO..SU) in the reader's language."""
    return str(DAY_NAMES.get(code.upper()[-2:], code))


def miles(km: float) -> str:
    """A distance in miles, as people in the UK measure it, with the locale's decimal sign."""
    return format_decimal(round(km / KM_PER_MILE, 1), "0.0", locale=get_locale())


def file_size(size: int) -> str:
    """A file's size for people, e.g. 12.5 MB or 800 KB, with the locale's decimal sign."""
    if size >= 1024 * 1024:
        return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1), "#,##0.#", locale=get_locale()))
    return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024)), "#,##0", locale=get_locale()))


def video_format(video) -> str:
    """The name people know a video's format by."""
    return "WebM" if video.content_type == "video/webm" else "MP4"


def _dial_digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def contact_href(kind: str, value: str) -> str | None:
    """The link that starts this kind of contact on a phone, or None when there is none to make."""
    digits = _dial_digits(value)
    if kind in ("video_relay", "video_call"):
        return value if value.startswith(("https://", "http://")) else None
    if not digits:
        return None
    if kind == "sms":
        return f"sms:{digits}"
    if kind == "relay_uk":
        return f"tel:18001{digits}"  # Relay UK: 18001 before the number connects through a relay assistant
    if kind == "whatsapp":
        international = "44" + digits[1:] if digits.startswith("0") else digits.lstrip("+")
        return f"https://wa.me/{international}"
    return f"tel:{digits}"


def web_href(address: str | None) -> str | None:
    """`address` to link to if it is an http(s) web address, else None: an imported listing can hold any text
    there, and a `javascript:` or `data:` link would run in our pages when someone follows it."""
    value = (address or "").strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else None


def map_links(latitude: float, longitude: float, label: str) -> dict[str, str]:
    """Open a place in the phone's map app (geo: URI) or on OpenStreetMap in a browser."""
    return {
        "app": f"geo:{latitude:.6f},{longitude:.6f}?q={latitude:.6f},{longitude:.6f}({quote(label)})",
        "web": f"https://www.openstreetmap.org/?mlat={latitude:.6f}&mlon={longitude:.6f}#map=17/{latitude:.6f}/{longitude:.6f}",
    }


@lru_cache(maxsize=4096)
def _number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)


def numberformat(value: int | float) -> str:
    """Flask-Babel's `numberformat`, remembered: a table of thousands of counts repeats the same few numbers, and
    Babel takes tens of microseconds for each."""
    return _number(value, str(get_locale()))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        clock=clock, weekday=weekday, miles=miles, day_name=day_name, date_short=date_short, date_time=date_time
    )
    app.jinja_env.filters["web_href"] = web_href
    app.jinja_env.filters["numberformat"] = numberformat
    app.jinja_env.globals.update(
        contact_href=contact_href,
        map_links=map_links,
        DAY_NAMES=DAY_NAMES,
        file_size=file_size,
        video_format=video_format,
    )
