"""The community referral app: `create_app()` wires the parts together and does nothing else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from referral_app import (
    access,
    db,
    errors,
    formatting,
    i18n,
    labels,
    page_cache,
    referral_labels,
    request_values,
    security_headers,
    static_files,
)
from referral_app.accounts import sessions
from referral_app.config import PROJECT_ROOT, finalise, settings_from_environment
from referral_app.extensions import babel, compress, csrf, htmx, limiter, login_manager, wtforms_helpers


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `config` overriding any setting (tests use it)."""
    instance_path = Path(os.environ.get("REFERRAL_APP_INSTANCE_PATH", PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, config)
    register_extensions(app)
    register_templates(app)
    register_blueprints(app)
    errors.init_app(app)
    register_commands(app)
    return app


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    settings = settings_from_environment(os.environ, instance_path=Path(app.instance_path))
    settings.update(overrides or {})
    finalise(settings, instance_path=Path(app.instance_path))
    app.config.from_mapping(settings)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")


def register_extensions(app: Flask) -> None:
    from referral_app.media.routes import raise_limit_for_video_uploads

    compress.init_app(app)  # first, so its after-request hook runs last, on the finished response
    static_files.init_app(app)
    db.init_app(app)
    app.before_request(raise_limit_for_video_uploads)  # before the CSRF check reads a large upload's form
    csrf.init_app(app)
    htmx.init_app(app)
    wtforms_helpers.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)
    security_headers.init_app(app)
    page_cache.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)  # before access: an expired session is signed out first
    access.init_app(app)
    request_values.init_app(app)  # after htmx, which sets its own request class


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    labels.init_app(app)
    referral_labels.init_app(app)
    formatting.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def register_blueprints(app: Flask) -> None:
    from referral_app.accounts.routes import bp as accounts
    from referral_app.admin.routes import bp as admin
    from referral_app.api.routes import bp as api
    from referral_app.directory.routes import bp as directory
    from referral_app.insights.routes import bp as insights
    from referral_app.manage.routes import bp as manage
    from referral_app.media.routes import bp as media
    from referral_app.pages.routes import bp as pages
    from referral_app.pwa.routes import bp as pwa
    from referral_app.referrals.routes import bp as referrals

    for blueprint in (pages, directory, referrals, accounts, manage, admin, api, media, insights, pwa):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from referral_app.cli import db_cli, demo_cli, export_oruk, import_oruk, users_cli
    from referral_app.cli_outbox import outbox_cli
    from referral_app.cli_referrals import insights_cli, measures_cli, referrals_cli
    from referral_app.cli_retention import retention_cli
    from referral_app.cli_translations import translations_cli

    groups = (db_cli, demo_cli, users_cli, import_oruk, export_oruk, outbox_cli, referrals_cli, measures_cli)
    for group in (*groups, insights_cli, translations_cli, retention_cli):
        app.cli.add_command(group)
