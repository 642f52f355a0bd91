"""Settings from the environment.

Every setting has a safe default for a laptop. In production (`REFERRAL_APP_ENV=production`)
the app refuses to start without a `SECRET_KEY`.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import limits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production")


class ConfigurationError(RuntimeError):
    """The app cannot start safely with these settings."""


def _flag(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SMTP_SECURITY_MODES = ("none", "starttls", "ssl")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAIL_FROM_PATTERN = re.compile(r"[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+")
SMS_PROVIDER_PATTERN = re.compile(r"record|[A-Za-z_][\w.]*:[A-Za-z_]\w*")


def _whole_number(environ: Mapping[str, str], name: str, *, default: int, minimum: int, maximum: int) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or not minimum <= int(raw) <= maximum:
        raise ConfigurationError(f"{name} must be a whole number from {minimum} to {maximum}, not {raw!r}")
    return int(raw)


def _checked(environ: Mapping[str, str], name: str, *, default: str, pattern: re.Pattern[str], expected: str) -> str:
    value = (environ.get(name) or default).strip()
    if not pattern.fullmatch(value):
        raise ConfigurationError(f"{name} must be {expected}, not {value!r}")
    return value


def _rate_limit(environ: Mapping[str, str], name: str, *, default: str) -> str:
    # Checked here: Flask-Limiter logs a limit it cannot read and then does not apply it at all.
    value = (environ.get(name) or default).strip()
    try:
        limits.parse_many(value)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be a rate limit such as '10 per hour;50 per day', not {value!r}"
        ) from None
    return value


def _smtp_host(environ: Mapping[str, str]) -> str:
    return (environ.get("REFERRAL_APP_SMTP_HOST") or "localhost").strip()


def _smtp_port(environ: Mapping[str, str]) -> int:
    return _whole_number(environ, "REFERRAL_APP_SMTP_PORT", default=25, minimum=1, maximum=65535)


def _smtp_security(environ: Mapping[str, str]) -> str:
    # Port 465 speaks TLS from the first byte. A relay on this machine (postfix, an SMTP sidecar) needs no TLS;
    # any other server gets STARTTLS, so that a password and residents' messages never cross a network in clear.
    default = "none" if _smtp_host(environ) in LOOPBACK_HOSTS else "starttls"
    if _smtp_port(environ) == 465:
        default = "ssl"
    value = (environ.get("REFERRAL_APP_SMTP_SECURITY") or default).strip().lower()
    if value not in SMTP_SECURITY_MODES:
        raise ConfigurationError(f"REFERRAL_APP_SMTP_SECURITY must be none, starttls or ssl, not {value!r}")
    return value


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
        # Public search and service pages built for people not signed in are kept this long by each worker
        # (referral_app/page_cache.py); 0 turns it off.
        "PAGE_CACHE_SECONDS": _whole_number(
            environ, "REFERRAL_APP_PAGE_CACHE_SECONDS", default=60, minimum=0, maximum=60
        ),
        "PAGE_CACHE_ENTRIES": _whole_number(
            environ, "REFERRAL_APP_PAGE_CACHE_ENTRIES", default=300, minimum=10, maximum=100_000
        ),
        # Searches are logged for the insights in batches, written at most this many seconds after the search
        # (services/search_log.py); 0 writes each one with its request.
        "SEARCH_LOG_FLUSH_SECONDS": _whole_number(
            environ, "REFERRAL_APP_SEARCH_LOG_FLUSH_SECONDS", default=5, minimum=0, maximum=300
        ),
        # Links in emails and text messages are built from this, since the sender runs outside any request.
        "BASE_URL": (environ.get("REFERRAL_APP_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        # Rate limits: in this process's memory, or shared through Redis so several app machines keep one count.
        "RATELIMIT_STORAGE_URI": environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Said for every app: Flask-Limiter keeps one state for all apps in a process, so an app made with limits
        # off (a test) would otherwise leave them off for every app made after it.
        "RATELIMIT_ENABLED": True,
        # If Redis cannot be reached, each process counts in its own memory until it can, instead of failing.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "SELF_REFERRAL_RATE_LIMIT": _rate_limit(
            environ, "REFERRAL_APP_SELF_REFERRAL_RATE_LIMIT", default="10 per hour;50 per day"
        ),
        "PROBLEM_REPORT_RATE_LIMIT": _rate_limit(
            environ, "REFERRAL_APP_PROBLEM_REPORT_RATE_LIMIT", default="10 per hour;50 per day"
        ),
        # Per client address across the whole Open Referral API: far more than a client syncing the directory needs.
        "API_RATE_LIMIT": _rate_limit(environ, "REFERRAL_APP_API_RATE_LIMIT", default="120 per minute"),
        # How many reverse proxies in front of the app to believe about the client's address and the scheme
        # (X-Forwarded-For, X-Forwarded-Proto); 0 believes none. The rate limits count by that address.
        "TRUSTED_PROXIES": _whole_number(environ, "REFERRAL_APP_TRUSTED_PROXIES", default=0, minimum=0, maximum=5),
        # Failed sign-ins, counted per email address typed (whether or not it has an account) and per client
        # address; the longer windows are the back-off. Also used for two-factor codes and re-authentication.
        "SIGN_IN_RATE_LIMIT_PER_ACCOUNT": _rate_limit(
            environ, "REFERRAL_APP_SIGN_IN_RATE_LIMIT_PER_ACCOUNT", default="5 per minute;20 per hour;50 per day"
        ),
        "SIGN_IN_RATE_LIMIT_PER_ADDRESS": _rate_limit(
            environ, "REFERRAL_APP_SIGN_IN_RATE_LIMIT_PER_ADDRESS", default="30 per minute;200 per hour"
        ),
        # Staff must set up two-factor authentication at their first sign-in (Quick start's demo server turns it off).
        "REQUIRE_TWO_FACTOR": _flag(environ.get("REFERRAL_APP_REQUIRE_TWO_FACTOR"), default=True),
        "SESSION_IDLE_MINUTES": _whole_number(
            environ, "REFERRAL_APP_SESSION_IDLE_MINUTES", default=30, minimum=1, maximum=24 * 60
        ),
        "SESSION_MAX_HOURS": _whole_number(
            environ, "REFERRAL_APP_SESSION_MAX_HOURS", default=12, minimum=1, maximum=24 * 7
        ),
        # A referral with no answer after this many working days is flagged to its referrer and nudged.
        "NUDGE_WORKING_DAYS": int(environ.get("REFERRAL_APP_NUDGE_WORKING_DAYS", "5")),
        # The results map's background; only browsers that open the map ask the tile server for anything.
        "MAP_TILE_URL": environ.get("REFERRAL_APP_MAP_TILE_URL") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "MAP_ATTRIBUTION": environ.get("REFERRAL_APP_MAP_ATTRIBUTION") or "© OpenStreetMap contributors",
        # Email and text messages: see "Email and text messages" in the README.
        "SMTP_HOST": _smtp_host(environ),
        "SMTP_PORT": _smtp_port(environ),
        "SMTP_USERNAME": environ.get("REFERRAL_APP_SMTP_USERNAME", ""),
        "SMTP_PASSWORD": environ.get("REFERRAL_APP_SMTP_PASSWORD", ""),
        "SMTP_SECURITY": _smtp_security(environ),
        "SMTP_TIMEOUT": _whole_number(environ, "REFERRAL_APP_SMTP_TIMEOUT", default=30, minimum=1, maximum=300),
        "MAIL_FROM": _checked(
            environ,
            "REFERRAL_APP_MAIL_FROM",
            default="Community referrals <no-reply@example.org>",
            pattern=MAIL_FROM_PATTERN,
            expected="an email address, optionally as 'Name <address>'",
        ),
        # "record" sends no text message at all: it logs each one and the outbox keeps it.
        "SMS_PROVIDER": _checked(
            environ,
            "REFERRAL_APP_SMS_PROVIDER",
            default="record",
            pattern=SMS_PROVIDER_PATTERN,
            expected="'record' or an import path like 'package.module:ClassName'",
        ),
        # BSL videos: stored outside static/ (share this folder between app machines), with an upload limit.
        "MEDIA_ROOT": environ.get("REFERRAL_APP_MEDIA_DIR") or str(instance_path / "media"),
        "VIDEO_MAX_MB": _whole_number(environ, "REFERRAL_APP_VIDEO_MAX_MB", default=50, minimum=1, maximum=2048),
        "OUTBOX_MAX_ATTEMPTS": _whole_number(
            environ, "REFERRAL_APP_OUTBOX_MAX_ATTEMPTS", default=6, minimum=1, maximum=20
        ),
        # Closed referrals untouched for this long are anonymised by `flask --app wsgi retention apply`.
        "RETENTION_MONTHS": _whole_number(
            environ, "REFERRAL_APP_RETENTION_MONTHS", default=24, minimum=1, maximum=1200
        ),
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
