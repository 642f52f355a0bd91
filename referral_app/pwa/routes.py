"""The installable app: its manifest, the service worker that keeps public pages readable offline, and the page
the worker shows when someone is offline and the page they asked for was not saved.

The worker is served here, at the top of the site, rather than from static/: a worker controls only the addresses
under its own, and its address must not change with each release (static files' addresses carry a version), or
every release would install a second worker. `no-cache` makes browsers ask for a new version on each visit (a
304 when there is none). What the worker keeps and never keeps is explained in static/js/sw.js.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template, send_from_directory, url_for
from flask_babel import gettext as _

from referral_app.access import public
from referral_app.i18n import current_language

bp = Blueprint("pwa", __name__)

BRAND_COLOUR = "#1d4f4a"  # the header's (static/scss/_header.scss)
ICONS = (("icon-192.png", 192, "any"), ("icon-512.png", 512, "any"), ("icon-maskable-512.png", 512, "maskable"))
ONE_DAY = 86_400


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """In the language asked for with `?lang=` (browsers fetch a manifest without cookies)."""
    language = current_language()
    data = {
        "id": url_for("pages.home"),
        "name": _("Find local support"),
        "short_name": _("Local support"),
        "description": _(
            "Find free and low-cost help near you: food, money advice, somewhere to talk, English classes, "
            "Deaf clubs and more."
        ),
        "lang": language.html_lang,
        "dir": language.direction,
        "start_url": url_for("pages.home"),
        "scope": url_for("pages.home"),
        "display": "standalone",
        "theme_color": BRAND_COLOUR,
        "background_color": BRAND_COLOUR,
        "icons": [
            {
                "src": url_for("static", filename=f"img/icons/{name}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose in ICONS
        ],
    }
    response = current_app.response_class(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = f"public, max-age={ONE_DAY}"
    response.vary.add("Accept-Language")  # the language, when `?lang=` does not say
    return response


@bp.get("/sw.js")
@public
def service_worker():
    response = send_from_directory(current_app.static_folder, "js/sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("pages.home")
    return response


@bp.get("/offline")
@public
def offline():
    """The page the worker keeps (in the reader's language) and shows, with the pages saved, when one is not."""
    return render_template("pwa/offline.html")
