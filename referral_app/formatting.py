"""Template filters that format values for the reader's language."""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale

KM_PER_MILE = 1.609344


def clock(value: time) -> str:
    """A time of day in the reader's language, e.g. 13:30 in British English."""
    return format_time(value, "short", locale=get_locale())


def weekday(value: date) -> str:
    return format_date(value, "EEEE", locale=get_locale())


def miles(km: float) -> str:
    """A distance in miles, as people in the UK measure it, with the locale's decimal sign."""
    return format_decimal(round(km / KM_PER_MILE, 1), "0.0", locale=get_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(clock=clock, weekday=weekday, miles=miles)
