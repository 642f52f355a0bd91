"""Requests whose form and query values hold no NUL characters.

Nobody types one; PostgreSQL can neither store nor compare one (a form or filter holding one was a server error
there), and SQLite would keep it without a word. They are dropped where values enter, for every form and query
string at once, as the referral forms already did for their own fields.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property


def without_nul(values: MultiDict) -> MultiDict:
    pairs = list(values.items(multi=True))
    if not any("\x00" in key or (isinstance(value, str) and "\x00" in value) for key, value in pairs):
        return values
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value)
        for key, value in pairs
    )


class WithoutNul:
    """Mixed into the app's request class (whatever extensions made it, such as htmx-flask's)."""

    @cached_property
    def args(self) -> MultiDict:
        return without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = without_nul(self.__dict__["form"])


def init_app(app: Flask) -> None:
    """After the extensions that set their own request class."""
    app.request_class = type("Request", (WithoutNul, app.request_class), {})
