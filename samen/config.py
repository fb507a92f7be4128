"""Configuration read from the environment; no secrets in code."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent.parent / "instance"
DEFAULT_SECRET = "dev-insecure-secret-key"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment; each can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'samen.db'}")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or "flask-socketio"  # one per site sharing a Redis
    SOCKETIO_CORS_ALLOWED_ORIGINS = [
        origin.strip() for origin in os.environ.get("SOCKETIO_CORS_ALLOWED_ORIGINS", "").split(",") if origin.strip()
    ]
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True

    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")  # for links in e-mails
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")  # console | file | smtp
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Samen <noreply@samen.local>")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE / "mail"))

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Amsterdam")
    LANGUAGES = {"nl": "Nederlands", "en": "English"}

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: a long meeting must not break forms

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    PASSWORD_MIN_LENGTH = 10
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per minute")
    TESTING = False
    PRODUCTION = False


class ProductionConfig(Config):
    """Settings for a real deployment: secure cookies, and no start without a real secret."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)


class TestConfig(Config):
    """Settings for the test suite: fast password hashing is not used — hashing stays real."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    SERVER_NAME = None
    LIVE_HEARTBEAT_SECONDS = 0  # no background thread touching the rolled-back test database
    LIVE_TALLY_INTERVAL = 0  # tallies broadcast at once, in the request (production: coalesced, see events.py)


def config_from_env() -> type[Config]:
    """Return the configuration class named by SAMEN_ENV (development by default)."""
    return ProductionConfig if os.environ.get("SAMEN_ENV", "development") == "production" else Config
