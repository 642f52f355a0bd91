"""Pages everyone can read: home, help, the privacy notice and accessibility statement; the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from referral_app import page_cache
from referral_app.access import public
from referral_app.db import DatabaseState
from referral_app.media.routes import page_video
from referral_app.models import VideoPage
from referral_app.services.health import database_state, migration_heads

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def home():
    return page_cache.cached(lambda: render_template("pages/home.html", bsl_video=page_video(VideoPage.HOME)))


@bp.get("/help")
@public
def help_and_contact():
    return render_template("pages/help_and_contact.html")


@bp.get("/privacy")
@public
def privacy_notice():
    return render_template("pages/privacy_notice.html", bsl_video=page_video(VideoPage.PRIVACY_NOTICE))


@bp.get("/accessibility")
@public
def accessibility_statement():
    return render_template("pages/accessibility_statement.html")


@bp.get("/healthz")
@public
def healthz():
    state: DatabaseState = current_app.extensions["database"]
    heads = current_app.extensions.get("migration_heads")
    if heads is None:  # read the migration scripts once per process, not on every check
        heads = current_app.extensions["migration_heads"] = migration_heads()
    database = database_state(engine=state.engine, heads=heads)
    healthy = database["status"] == "ok"
    response = jsonify(status="ok" if healthy else "unavailable", database=database)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
