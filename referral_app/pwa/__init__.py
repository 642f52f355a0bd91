"""The installable app that keeps public pages readable offline (routes.py, static/js/sw.js)."""

from __future__ import annotations

from flask import request


def copy_for_offline() -> bool:
    """Whether the request is the service worker fetching a public page to keep for offline reading (it says
    `Purpose: prefetch`), or a browser's own prefetch: no person asked for the page this time, so a search made
    this way is not counted again."""
    return request.headers.get("Purpose") == "prefetch" or "prefetch" in request.headers.get("Sec-Purpose", "")
