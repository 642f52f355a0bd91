"""A minute's cache of the public pages people who are not signed in read most (home, search, service pages).

Building a search page costs 20-40 ms (SQL, then templates); serving it from memory costs well under one. At busy
times residents ask the same searches and open the same services, so each worker keeps what it built for up to
`PAGE_CACHE_SECONDS` (default 60; 0 turns the cache off). Entries are keyed by the page's path and query string
(in a fixed order), the reader's language, whether htmx asked for part of the page, and the current minute: a
cached page is never from another minute than a fresh one would be, so "open now" and "today" stay right, and a
change to the directory shows within a minute.

Only what the page's view builds is cached (the HTML and any figures it needs, such as a search's result count);
every request still runs the app's hooks (headers, sessions, compression) and the view's own side effects (the
search log). Signed-in staff, and anyone with a message waiting to be shown, always get a freshly built page: what
they see is their own. Each worker process keeps its own entries (Flask-Caching's SimpleCache, at most
`PAGE_CACHE_ENTRIES`), so nothing is shared between processes or machines and nothing needs clearing.

A kept page is also kept compressed: Flask-Compress (extensions.py) asks this module's `CompressedPages` for the
bytes it made for the same page, encoding and minute, so a search page served from here is not compressed again
(0.5-1 ms for 40 KB with brotli, a third of the time of the whole request).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from flask import Flask, Request, current_app, g, request, session
from flask_caching import Cache
from flask_login import current_user

from referral_app.i18n import current_language

T = TypeVar("T")

cache = Cache()


def init_app(app: Flask) -> None:
    cache.init_app(
        app,
        config={
            "CACHE_TYPE": "SimpleCache",
            "CACHE_THRESHOLD": app.config["PAGE_CACHE_ENTRIES"],
            "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
        },
    )


def cached(build: Callable[[], T]) -> T:
    """What `build()` returns for this request, from the cache when this minute's copy is there."""
    key = _key()
    if key is None:
        return build()
    value = _kept(key, build)
    if value is not None:
        g.page_cache_key = key  # for CompressedPages: the response is this page, whoever asks
    return value


def remembered(name: str, build: Callable[[], T]) -> T:
    """What `build()` returns, built at most once a minute by each worker (always afresh when the cache is off).

    For what is the same for everyone who may see it and may be a minute old: the languages services are offered
    in, the list of organisations, the insights' figures for a set of filters (counts, never personal data).
    `name` must say everything the value depends on.
    """
    if not current_app.config["PAGE_CACHE_SECONDS"]:
        return build()
    return _kept(f"remembered:{_minute()}:{name}", build)


def _kept(key: str, build: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=current_app.config["PAGE_CACHE_SECONDS"])
    return value


def _minute() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M")


def _key() -> str | None:
    """The cache key for this request, or None when its page must be built afresh."""
    if not current_app.config["PAGE_CACHE_SECONDS"] or request.method != "GET":
        return None
    if "_flashes" in session or current_user.is_authenticated:
        return None
    query = "&".join(f"{name}={value}" for name, value in sorted(request.args.items(multi=True)))
    part = f"htmx#{request.headers.get('HX-Target', '')}" if request.headers.get("HX-Request") else "whole"
    return f"page:{_minute()}:{current_language().code}:{part}:{request.path}?{query}"


def compressed_page_key(_request: Request) -> str:
    """Flask-Compress's cache key (after the encoding's name): the kept page's key, or "" for any other response."""
    return g.get("page_cache_key", "")


class CompressedPages:
    """Flask-Compress's cache backend: the compressed bytes of the pages this module keeps, and nothing else."""

    def get(self, key: str) -> bytes | None:
        return None if key.endswith(";") else cache.get(f"compressed:{key}")

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";"):
            cache.set(f"compressed:{key}", value, timeout=current_app.config["PAGE_CACHE_SECONDS"])
