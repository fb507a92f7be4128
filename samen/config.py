"""Configuration read from the environment; no secrets in code."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

INSTANCE = Path(__file__).resolve().parent.parent / "instance"
DEFAULT_SECRET = "dev-insecure-secret-key"


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """Return the duration a setting names: a number with s, m, h or d (30m, 2h, 12h, 30d); seconds without."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _UNITS else "s"
    number = value[:-1] if value[-1:] in _UNITS else value
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30m, 2h, 12h or 30d)") from None
    if amount <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return timedelta(seconds=amount * _UNITS[unit])


def _duration(name: str, default: str) -> timedelta:
    return parse_duration(os.environ.get(name) or default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_base_url(environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """Return the site's address when BASE_URL is not set: where `make run` serves (HOST and PORT), so the links
    in e-mails of a second instance on another port lead to that instance. A wildcard HOST (0.0.0.0, ::) is
    served on this machine's loopback address too."""
    host = (environ.get("HOST") or "127.0.0.1").strip()
    if host in {"0.0.0.0", "::", "[::]", ""}:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    port = (environ.get("PORT") or "5000").strip()
    return f"http://{host}:{port}"


def _days(name: str, default: int) -> int:
    """Read a whole number of days (or minutes) from the environment; 0 means 'keep for ever' for retention."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise RuntimeError(f"{name} must be 0 or more, not {number}")
    return number


class Config:
    """Settings shared by every environment; each can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'samen.db'}")
    # PostgreSQL connections a process keeps open (as many again may be opened for a moment under load).
    DATABASE_POOL_SIZE = _int("DATABASE_POOL_SIZE", 10)
    # Bounded waits on the database, in seconds (0: none), so a slow or frozen database gives a 503, not a hang:
    # PostgreSQL connecting, a free connection of the pool, one statement, one lock; SQLite another writer.
    DATABASE_CONNECT_TIMEOUT = _int("DATABASE_CONNECT_TIMEOUT", 5)
    DATABASE_POOL_TIMEOUT = _int("DATABASE_POOL_TIMEOUT", 5)
    DATABASE_STATEMENT_TIMEOUT = _int("DATABASE_STATEMENT_TIMEOUT", 10)
    DATABASE_LOCK_TIMEOUT = _int("DATABASE_LOCK_TIMEOUT", 5)
    DATABASE_BUSY_TIMEOUT = _int("DATABASE_BUSY_TIMEOUT", 10)
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or "flask-socketio"  # one per site sharing a Redis
    # Seconds between the live board listener's tries to subscribe again while Redis is away (core/live_queue.py).
    LIVE_QUEUE_RETRY = float(os.environ.get("LIVE_QUEUE_RETRY") or 0.5)
    SOCKETIO_CORS_ALLOWED_ORIGINS: ClassVar[list[str]] = [
        origin.strip() for origin in os.environ.get("SOCKETIO_CORS_ALLOWED_ORIGINS", "").split(",") if origin.strip()
    ]
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")  # one per site sharing a Redis
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # While the storage (Redis) is down, limits count in memory; it is tried again every this many seconds.
    RATELIMIT_STORAGE_RETRY = _int("RATELIMIT_STORAGE_RETRY", 10)
    # Hours the API keeps the answer to a POST sent with an Idempotency-Key (samen/api/idempotency.py).
    IDEMPOTENCY_KEY_HOURS = _int("IDEMPOTENCY_KEY_HOURS", 24)
    # Seconds a website form's first request may still be running; a copy sent later whose first left no answer
    # (its process was killed after storing) is told it was saved once (samen/core/once.py).
    ONCE_HANDLING_SECONDS = _int("ONCE_HANDLING_SECONDS", 60)
    # An open action without a progress update for this many weeks reminds who carries it (0: never).
    ACTION_STALE_WEEKS = _int("ACTION_STALE_WEEKS", 6)
    RATELIMIT_HEADERS_ENABLED = True
    # Behind a reverse proxy: how many proxies in front set X-Forwarded-For/-Proto. Without this, every visitor
    # would have the proxy's address, and share its rate limits.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # The site's address: every absolute link (e-mails, feeds, open data, the report, the API, the live board's
    # QR code) starts with it, never with the Host a request came in with; and its host name is the one the
    # site answers to (samen/core/hosts.py).
    # Unset: http://HOST:PORT, where `make run` serves (default_base_url).
    BASE_URL = os.environ.get("BASE_URL") or default_base_url()
    # Other host names the site answers to (comma-separated; ".example.nl" for every subdomain). Every other
    # Host gets 400. create_app() adds BASE_URL's host name to these: Flask's TRUSTED_HOSTS is the whole list.
    TRUSTED_HOSTS: ClassVar[list[str]] = [
        name.strip() for name in os.environ.get("TRUSTED_HOSTS", "").split(",") if name.strip()
    ]
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
    LANGUAGES: ClassVar[dict[str, str]] = {"nl": "Nederlands", "en": "English"}

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: a long meeting must not break forms

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    # A signed-in session ends after this long without a request, and this long after signing in at the latest.
    SESSION_IDLE_TIMEOUT = _duration("SESSION_IDLE_TIMEOUT", "2h")
    SESSION_ABSOLUTE_TIMEOUT = _duration("SESSION_ABSOLUTE_TIMEOUT", "12h")
    # 'Keep me signed in': the session lasts this long after signing in, however it is used (the remember-me
    # cookie expires at the same moment); no idle timeout. See docs/security.md.
    REMEMBER_COOKIE_DURATION = _duration("REMEMBER_COOKIE_DURATION", "30d")
    # Personal API tokens expire: this many days unless their owner chooses otherwise, at most API_TOKEN_MAX_DAYS.
    API_TOKEN_MAX_DAYS = _int("API_TOKEN_MAX_DAYS", 365)
    API_TOKEN_DEFAULT_DAYS = min(_int("API_TOKEN_DEFAULT_DAYS", 90), API_TOKEN_MAX_DAYS)
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_TIMEOUT

    # Seconds a process reuses the public pages' fingerprint (their ETag) when another process may have written.
    PUBLIC_STATE_TTL = float(os.environ.get("PUBLIC_STATE_TTL", "1"))
    # Rendered public pages kept per state of the data and language (0: render every time).
    PUBLIC_PAGE_CACHE_SIZE = int(os.environ.get("PUBLIC_PAGE_CACHE_SIZE", "64"))

    # The live board (docs/live-protocol.md, docs/deployment.md).
    LIVE_SERVER_ID = os.environ.get("LIVE_SERVER_ID") or None  # names this process in live_connections
    LIVE_IDEA_RATE_LIMIT = os.environ.get("LIVE_IDEA_RATE_LIMIT", "5 per minute")
    # Per connection: every live event, and hands and votes apart (a hand waved up and down, a vote changed a hundred
    # times a minute); over it, an event is answered `rate_limited` and changes nothing.
    LIVE_EVENT_RATE_LIMIT = os.environ.get("LIVE_EVENT_RATE_LIMIT", "60 per minute")
    LIVE_HAND_RATE_LIMIT = os.environ.get("LIVE_HAND_RATE_LIMIT", "10 per minute")
    LIVE_VOTE_RATE_LIMIT = os.environ.get("LIVE_VOTE_RATE_LIMIT", "20 per minute")
    # Becoming a meeting's guest, per address: a school hall's phones share one address behind its Wi-Fi.
    LIVE_GUEST_RATE_LIMIT = os.environ.get("LIVE_GUEST_RATE_LIMIT", "300 per hour")
    LIVE_TALLY_INTERVAL = float(os.environ.get("LIVE_TALLY_INTERVAL", "0.1"))  # seconds between tallies at most
    LIVE_PRESENCE_INTERVAL = float(os.environ.get("LIVE_PRESENCE_INTERVAL", "0.5"))  # and presence broadcasts
    LIVE_HEARTBEAT_SECONDS = float(os.environ.get("LIVE_HEARTBEAT_SECONDS", "60"))

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # text | json (one JSON object per line)
    ACCESS_LOG = _bool("ACCESS_LOG", False)  # a line per request, with its id, status and duration

    PASSWORD_MIN_LENGTH = 10
    # Rate limits (https://limits.readthedocs.io notation; several separated by ';'). Sign-in, registration and
    # password-reset requests count per client address; posting, supporting, reporting and e-mail changes per
    # signed-in user (web and API share one counter).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per minute")

    # Privacy (docs/privacy.md, docs/backups.md): retention periods in days, 0 keeps for ever.
    RETENTION_REPORTS_DAYS = _days("RETENTION_REPORTS_DAYS", 365)  # handled reports, after handling
    RETENTION_INVITATIONS_DAYS = _days("RETENTION_INVITATIONS_DAYS", 90)  # unused invitations, after they expired
    # Invitations by e-mail (samen/people, docs/people.md): how long the link works, how many people one person
    # may invite, and how many invitations one address may get.
    INVITATION_TOKEN_LIFETIME = _duration("INVITATION_TOKEN_LIFETIME", "14d")
    INVITATION_RATE_LIMIT = os.environ.get("INVITATION_RATE_LIMIT", "200 per day")
    INVITATION_MAIL_RATE_LIMIT = os.environ.get("INVITATION_MAIL_RATE_LIMIT", "3 per day")
    RETENTION_AUDIT_DAYS = _days("RETENTION_AUDIT_DAYS", 730)
    RETENTION_REGISTRATIONS_DAYS = _days("RETENTION_REGISTRATIONS_DAYS", 180)  # after the meeting
    RETENTION_BACKUPS_DAYS = _days("RETENTION_BACKUPS_DAYS", 30)  # backup files in BACKUP_DIR
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE / "backups"))
    REAUTH_MINUTES = _days("REAUTH_MINUTES", 10)  # downloading or deleting asks the password again after this
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")  # e-mail address for questions about personal data
    # Where the help pages' quick-exit button goes: a neutral site, requested only when the button is used.
    HELP_QUICK_EXIT_URL = os.environ.get("HELP_QUICK_EXIT_URL") or "https://www.google.nl"
    POST_RATE_LIMIT = os.environ.get("POST_RATE_LIMIT", "10 per minute;100 per day")
    SUPPORT_RATE_LIMIT = os.environ.get("SUPPORT_RATE_LIMIT", "30 per minute")
    REPORT_RATE_LIMIT = os.environ.get("REPORT_RATE_LIMIT", "10 per hour")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    EMAIL_CHANGE_RATE_LIMIT = os.environ.get("EMAIL_CHANGE_RATE_LIMIT", "5 per hour")
    # Confirmation e-mails to a new account's address (and notices of a registration with a taken address):
    # per signed-in user at the resend button, and per e-mail address whatever asks for them.
    EMAIL_CONFIRM_RATE_LIMIT = os.environ.get("EMAIL_CONFIRM_RATE_LIMIT", "3 per hour;10 per day")
    # Following by e-mail without an account: requests per client address, and confirmation mails per address.
    FOLLOW_EMAIL_RATE_LIMIT = os.environ.get("FOLLOW_EMAIL_RATE_LIMIT", "10 per hour")
    FOLLOW_EMAIL_ADDRESS_LIMIT = os.environ.get("FOLLOW_EMAIL_ADDRESS_LIMIT", "3 per hour;10 per day")
    # Tell followers from a thread right after a commit (development: no timer needed); production: the timer.
    FOLLOW_FANOUT_AFTER_COMMIT = _bool("FOLLOW_FANOUT_AFTER_COMMIT", os.environ.get("SAMEN_ENV") != "production")
    # Seconds a POST to the sign-in, registration and password-reset forms takes at least, so that an address
    # with an account and one without are answered after the same time (docs/security.md; 0: no floor).
    ACCOUNT_FORM_MIN_SECONDS = float(os.environ.get("ACCOUNT_FORM_MIN_SECONDS", "0.25"))
    # This many failed sign-ins in a row lock an account, until the e-mailed link or a password reset.
    LOGIN_LOCKOUT_THRESHOLD = _int("LOGIN_LOCKOUT_THRESHOLD", 10)
    # How long the links in account e-mails work (each works once).
    PASSWORD_RESET_TOKEN_LIFETIME = _duration("PASSWORD_RESET_TOKEN_LIFETIME", "1h")
    UNLOCK_TOKEN_LIFETIME = _duration("UNLOCK_TOKEN_LIFETIME", "24h")
    EMAIL_CHANGE_TOKEN_LIFETIME = _duration("EMAIL_CHANGE_TOKEN_LIFETIME", "24h")
    EMAIL_CONFIRM_TOKEN_LIFETIME = _duration("EMAIL_CONFIRM_TOKEN_LIFETIME", "48h")
    # The confidential help desk (docs/helpdesk.md). Keys: Fernet keys, comma-separated, newest first; without
    # one, development and tests derive a key from SECRET_KEY (with a warning) and production refuses to start.
    HELP_REQUESTS_ENABLED = _bool("HELP_REQUESTS_ENABLED", True)
    HELP_ENCRYPTION_KEY = os.environ.get("HELP_ENCRYPTION_KEY", "")
    HELP_RETENTION_DAYS = _days("HELP_RETENTION_DAYS", 90)  # closed requests, after closing (0: keep)
    HELP_REQUEST_RATE_LIMIT = os.environ.get("HELP_REQUEST_RATE_LIMIT", "3 per hour;10 per day")
    HELP_LOOKUP_RATE_LIMIT = os.environ.get("HELP_LOOKUP_RATE_LIMIT", "20 per hour")
    HELP_COUNT_THRESHOLD = _int("HELP_COUNT_THRESHOLD", 5)  # public counts below this read "< 5"
    STORIES_ENCRYPTION_KEY = os.environ.get("STORIES_ENCRYPTION_KEY", "")  # Fernet keys, newest first
    STORIES_RETENTION_DAYS = _days("STORIES_RETENTION_DAYS", 1095)  # after the day told (0: keep)
    # The overview of what waits for chairs and owners (samen/overview, docs/search.md): ideas without an answer
    # after this many days, open actions without an update for this many weeks, meetings in this many days.
    OVERVIEW_UNANSWERED_DAYS = _int("OVERVIEW_UNANSWERED_DAYS", 14)
    OVERVIEW_QUIET_WEEKS = _int("OVERVIEW_QUIET_WEEKS", 4)
    OVERVIEW_MEETING_DAYS = _int("OVERVIEW_MEETING_DAYS", 14)
    TESTING = False
    PRODUCTION = False


class ProductionConfig(Config):
    """Settings for a real deployment: secure cookies, and no start without a real secret."""

    PRODUCTION = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    ACCESS_LOG = _bool("ACCESS_LOG", True)
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)


class TestConfig(Config):
    """Settings for the test suite: fast password hashing is not used — hashing stays real."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    ACCOUNT_FORM_MIN_SECONDS = 0.0  # tests/accounts/test_enumeration.py switches it on where it tests it
    SERVER_NAME = None
    BASE_URL = "http://localhost"  # the test client's host
    TRUSTED_HOSTS: ClassVar[list[str]] = []
    PUBLIC_PAGE_CACHE_SIZE = 0
    PUBLIC_STATE_TTL = 0  # tests write through other connections too; tests/public/test_caching.py turns it on
    LIVE_HEARTBEAT_SECONDS = 0  # no background thread touching the rolled-back test database
    LIVE_TALLY_INTERVAL = 0  # tallies broadcast at once, in the request (production: coalesced, see events.py)
    LIVE_PRESENCE_INTERVAL = 0  # the same for presence
    FOLLOW_FANOUT_AFTER_COMMIT = False  # tests run the fan-out themselves (tests/follows)


def config_from_env() -> type[Config]:
    """Return the configuration class named by SAMEN_ENV (development by default)."""
    return ProductionConfig if os.environ.get("SAMEN_ENV", "development") == "production" else Config
