"""Settings from the environment.

Every setting has a safe default for a laptop. In production (`REFERRAL_APP_ENV=production`)
the app refuses to start without a `SECRET_KEY`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production")


class ConfigurationError(RuntimeError):
    """The app cannot start safely with these settings."""


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def settings_from_environment(environ: Mapping[str, str], *, instance_path: Path) -> dict[str, Any]:
    """Read every setting the app knows from `environ`; nothing here touches the disk."""
    env = environ.get("REFERRAL_APP_ENV", "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"REFERRAL_APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    production = env == "production"
    default_db = f"sqlite:///{instance_path / 'referral_app.sqlite'}"
    max_request_mb = int(environ.get("REFERRAL_APP_MAX_REQUEST_MB", "2"))
    return {
        "ENV_NAME": env,
        "SECRET_KEY": environ.get("SECRET_KEY") or None,
        "DATABASE_URL": environ.get("DATABASE_URL") or default_db,
        "CONTACT_EMAIL": environ.get("REFERRAL_APP_CONTACT_EMAIL", "help@example.org"),
        "CONTACT_PHONE": environ.get("REFERRAL_APP_CONTACT_PHONE", ""),
        "MAX_CONTENT_LENGTH": max_request_mb * 1024 * 1024,
        "SESSION_COOKIE_SECURE": _flag(environ.get("REFERRAL_APP_SECURE_COOKIES"), default=production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag(environ.get("REFERRAL_APP_SECURE_COOKIES"), default=production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 20,
        # The results map's background; only browsers that open the map ask the tile server for anything.
        "MAP_TILE_URL": environ.get("REFERRAL_APP_MAP_TILE_URL") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "MAP_ATTRIBUTION": environ.get("REFERRAL_APP_MAP_ATTRIBUTION") or "© OpenStreetMap contributors",
    }


def dev_secret_key(instance_path: Path) -> str:
    """A key made once per checkout and kept in `instance/`, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def finalise(config: dict[str, Any], *, instance_path: Path) -> None:
    """Fill in what depends on other settings, and refuse unsafe production settings."""
    if not config.get("SECRET_KEY"):
        if config["ENV_NAME"] == "production":
            raise ConfigurationError("SECRET_KEY must be set in production (a long random string).")
        config["SECRET_KEY"] = dev_secret_key(instance_path)
