"""The rate limiter's storage, one per app, that keeps counting in memory while its shared storage is down.

Flask-Limiter keeps one storage per Limiter object, and Samen has one Limiter object (its decorators are bound to
it at import time) but may create several apps in one process: the tests' "two workers", a live server, a tool.
`AppStorage` is the storage Flask-Limiter is given (the scheme `samen-app://`, registered with `limits` as a
custom storage); it forwards every call to the storage of the current app, which `install` builds from that app's
RATELIMIT_STORAGE_URI. So two apps share counts only through Redis, as two worker processes do.

When that storage (Redis) cannot be reached, the app's counts go on in memory in this process — the limits still
hold, per process — and the log says so; every RATELIMIT_STORAGE_RETRY seconds one call tries the shared storage
again, and once it answers, counting goes back to it (the log says that too). A limit never turns a request into
a 500 because Redis is gone.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask, current_app
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string

logger = logging.getLogger(__name__)

EXTENSION = "samen_limiter_storage"
SCHEME = "samen-app"
# Redis must answer quickly, or not at all: a request waits at most this long for its rate limit.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class FallbackStorage:
    """One app's counters: in its configured storage, or in this process's memory while that is unreachable."""

    def __init__(self, uri: str, *, prefix: str = "", retry_after: float = 10.0,
                 options: dict[str, Any] | None = None) -> None:
        shared = uri.startswith(("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://"))
        self.uri = uri
        self.prefix = f"{prefix}:" if prefix else ""
        self.retry_after = retry_after
        self.primary: Storage = storage_from_string(
            uri, wrap_exceptions=True, **({**REDIS_TIMEOUTS, **(options or {})} if shared else (options or {})))
        self.memory = MemoryStorage()
        self.failed_at: float | None = None  # when the primary last failed; None while it works
        self._lock = threading.Lock()

    @property
    def falling_back(self) -> bool:
        """Whether counts are kept in memory because the configured storage is unreachable."""
        return self.failed_at is not None

    def recheck(self) -> bool:
        """Try the configured storage again if it is time to, and return whether counts are still kept in memory
        (for /readyz: once Redis answers, the limits count there again without waiting for the next request)."""
        if self.failed_at is not None and time.monotonic() - self.failed_at >= self.retry_after:
            self.call("get", self.prefix + "samen-readiness")
        return self.falling_back

    def _where(self, address: str) -> str:
        return address.split("@")[-1]  # no password in the log

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call `method` on the configured storage, or on the memory while that is down."""
        if self.failed_at is not None and time.monotonic() - self.failed_at < self.retry_after:
            return getattr(self.memory, method)(*args, **kwargs)
        try:
            result = getattr(self.primary, method)(*args, **kwargs)
        except StorageError as error:
            with self._lock:
                if self.failed_at is None:
                    logger.warning("rate limiting fell back to per-process memory: the storage at %s cannot be "
                                   "reached (%s)", self._where(self.uri), error.storage_error)
                self.failed_at = time.monotonic()
            return getattr(self.memory, method)(*args, **kwargs)
        if self.failed_at is not None:
            with self._lock:
                if self.failed_at is not None:
                    logger.warning("rate limiting counts in the storage at %s again", self._where(self.uri))
                    self.failed_at = None
        return result


class AppStorage(Storage):
    """The storage Flask-Limiter is given: forwards to the current app's FallbackStorage (see the module)."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the type limits gives it)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return StorageError

    @staticmethod
    def target() -> FallbackStorage:
        """The current app's storage."""
        return current_app.extensions[EXTENSION]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        target = self.target()
        return target.call("incr", target.prefix + key, expiry, amount=amount)

    def get(self, key: str) -> int:
        target = self.target()
        return target.call("get", target.prefix + key)

    def get_expiry(self, key: str) -> float:
        target = self.target()
        return target.call("get_expiry", target.prefix + key)

    def check(self) -> bool:
        return bool(self.target().call("check"))

    def reset(self) -> int | None:
        target = self.target()
        target.memory.reset()
        return target.call("reset")

    def clear(self, key: str) -> None:
        target = self.target()
        target.memory.clear(target.prefix + key)
        target.call("clear", target.prefix + key)


def install(app: Flask) -> FallbackStorage:
    """Give the app its own rate-limit storage, from its RATELIMIT_STORAGE_URI and RATELIMIT_KEY_PREFIX."""
    storage = FallbackStorage(app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
                              prefix=app.config.get("RATELIMIT_KEY_PREFIX") or "",
                              retry_after=float(app.config.get("RATELIMIT_STORAGE_RETRY", 10)),
                              options=app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    app.extensions[EXTENSION] = storage
    return storage


def storage_of(app: Flask | None = None) -> FallbackStorage:
    """Return the app's rate-limit storage (of the current app without one)."""
    return (app or current_app).extensions[EXTENSION]
