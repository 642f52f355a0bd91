"""Security headers on every response, and trusting the reverse proxy for the scheme and the client's address.

Every page, JSON answer, static file and error page gets a Content-Security-Policy that allows scripts, styles,
fonts, media and connections from this site only (no inline script or style anywhere: the templates have none,
and htmx is told not to add its indicator `<style>`), images from this site, `data:` and the map's tile server,
and no framing; plus nosniff, a referrer policy, X-Frame-Options for old browsers, a Permissions-Policy that
turns off what the service never uses, and Cross-Origin-Opener-Policy. HSTS goes only on answers to HTTPS
requests. A view may set a stricter header of its own (the self-referral status pages send `no-referrer`): it is
kept. Anything that may hold someone's own data is `no-store` (`must_not_be_stored`), which also keeps it out of
the offline copies the service worker keeps.

Why not Flask-Talisman (1.1.0), which the team would otherwise use: it does not fit this app.
- It sets Referrer-Policy on every response after the view has run, so the status pages' `no-referrer`, which
  keeps a resident's private link out of Referer headers, would become the weaker default.
- It sends HSTS (and skips its HTTPS redirect) whenever a request says `X-Forwarded-Proto: https`, a header any
  client can send; here only the proxies counted in REFERRAL_APP_TRUSTED_PROXIES are believed (ProxyFix), and
  the same setting decides the client address that the rate limits count.
- It has no Cross-Origin-Opener-Policy, and it rewrites SESSION_COOKIE_SAMESITE and, unless told not to,
  SESSION_COOKIE_SECURE, which config.py already decides.
Working around all three would leave it joining a few strings: this module does that, and nothing else.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask.globals import request_ctx
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from referral_app.access import PUBLIC, access_of
from referral_app.config import ConfigurationError

ONE_YEAR = 31_536_000
# Features the service never uses are turned off; a BSL video may still go full screen or picture-in-picture.
TURNED_OFF = (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking",
)  # fmt: skip
PERMISSIONS_POLICY = ", ".join(
    [*(f"{feature}=()" for feature in TURNED_OFF), "fullscreen=(self)", "picture-in-picture=(self)"]
)
# Answers that are the same whoever asks, so the rule in `must_not_be_stored` leaves their caching alone: files,
# BSL videos, the installable app's manifest and service worker.
SAME_FOR_EVERYONE = frozenset({"static", "media.serve", "pwa.manifest", "pwa.service_worker"})
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_HOST_LABEL = re.compile(r"[A-Za-z0-9-]+")


def tile_source(tile_url: str) -> str | None:
    """The CSP source for the map's tile server; None when the tiles come from this site ('self').

    Leaflet's `{s}` (a subdomain) as the first part of the host becomes CSP's `*.` wildcard, allowed only there.
    """
    parts = urlsplit(tile_url)
    if not parts.scheme and not parts.netloc and tile_url.startswith("/"):
        return None
    labels = (parts.hostname or "").split(".")
    if len(labels) > 1 and _PLACEHOLDER.search(labels[0]):
        labels[0] = "*"
    try:
        port = f":{parts.port}" if parts.port else ""
        usable = parts.scheme in ("http", "https") and all(
            _HOST_LABEL.fullmatch(label) or (index == 0 and label == "*") for index, label in enumerate(labels)
        )
    except ValueError:  # a port that is not a number
        usable = False
    if not usable:
        raise ConfigurationError(
            "REFERRAL_APP_MAP_TILE_URL must be an http(s) address such as "
            f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, or a path on this site, not {tile_url!r}"
        )
    return f"{parts.scheme}://{'.'.join(labels)}{port}"


def content_security_policy(tile_url: str) -> str:
    images = " ".join(filter(None, ("'self'", "data:", tile_source(tile_url))))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "media-src": "'self'",
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def private(response: Response) -> Response:
    """A page reached by a secret (a private link's token, recovery codes): never cached, and its address never
    leaks in a Referer header. The headers set here are kept by `init_app`'s hook."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def must_not_be_stored(response: Response) -> bool:
    """Whether an answer may hold someone's own data, so that no browser cache, proxy or the offline copies kept by
    the service worker (static/js/sw.js) may keep it: everything for a signed-in person, every page that needs a
    sign-in, every answer to a form, and a page showing a one-off message. A view may have said so already
    (`private`, pages reached by a secret such as a resident's private link)."""
    if request.endpoint in SAME_FOR_EVERYONE:
        return False
    if "no-store" in response.headers.get("Cache-Control", ""):
        return False  # said already
    return (
        request.method not in ("GET", "HEAD")
        or (request.endpoint is not None and access_of(request.endpoint) != PUBLIC)
        or current_user.is_authenticated
        or bool(request_ctx.flashes)  # "You have signed out.": not for reading again offline
    )


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Only what the proxies in front set is believed: the client's address (rate limits, audit) and the
        # scheme (HSTS, secure redirects). Host, port and prefix come from the request as the proxy passes it on.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    headers = {
        "Content-Security-Policy": content_security_policy(app.config["MAP_TILE_URL"]),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if must_not_be_stored(response):
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={ONE_YEAR}; includeSubDomains")
        return response
