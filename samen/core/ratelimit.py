"""Rate limits: the keys and shared limits the routes use, and `hit` for code that is not a route.

The counters live in the limiter's storage (RATELIMIT_STORAGE_URI): in memory per process by default, in Redis
when several processes serve the site, so that every worker sees the same counts. The live meeting's Socket.IO
handlers, which Flask-Limiter's decorators do not reach, limit their commands with `hit`:

    if not ratelimit.hit(f"meeting-post:{user.id}", current_app.config["POST_RATE_LIMIT"]):
        emit("refused", {"reason": "rate_limited"})
        return
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from flask_limiter import RouteLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many

from samen.extensions import limiter

# Counters of `hit` are kept apart from the routes' counters by this part of their key.
HIT_SCOPE = "samen-hit"


def hit(key: str, limit: str, *, cost: int = 1, even_when_disabled: bool = False) -> bool:
    """Count one event for `key` against `limit` (e.g. "10 per minute", or several: "5/second;100/hour") and
    return whether it is allowed: False once the limit is used up, until its window has passed.

    Uses the current app's limiter storage, so counts are shared with other workers through Redis; while Redis
    cannot be reached they are kept in this process's memory (samen.core.limiter_storage), never an error. With
    RATELIMIT_ENABLED off every event is allowed and nothing is counted, unless `even_when_disabled` (for a
    security counter such as the lockout of unknown addresses, which must not depend on the rate limits).
    """
    if not (limiter.enabled or even_when_disabled):
        return True
    strategy = limiter.limiter
    return all(strategy.hit(item, HIT_SCOPE, key, cost=cost) for item in parse_many(limit))


def clear(key: str, limit: str) -> None:
    """Forget the counts of `key` for `limit` (after an unlock, say)."""
    strategy = limiter.limiter
    for item in parse_many(limit):
        strategy.clear(item, HIT_SCOPE, key)


def user_or_address() -> str:
    """Key a limit by the acting user (web session or API token), or by the client address without one.

    Per user rather than per address: many residents share one address (a school, a town hall's Wi-Fi).
    """
    api_user = g.get("api_user")
    if api_user is not None:
        return f"user:{api_user.id}"
    if not request.path.startswith("/api/") and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def per_user(setting: str, scope: str, *, methods: list[str] | None = None,
             exempt_when: Callable[[], bool] | None = None) -> RouteLimit:
    """Limit a route by the rate the setting names, per user, with one counter for every route of `scope`
    (the web page and the API count together). Put it below the decorator that signs the caller in, so the
    caller is known and anonymous requests are sent away before they count."""
    return limiter.shared_limit(_setting(setting), scope=scope, key_func=user_or_address, methods=methods,
                                exempt_when=exempt_when)


def per_address(setting: str, *, methods: list[str] | None = None, scope: str | None = None) -> Any:
    """Limit a route by the rate the setting names, per client address (sign-in, registration, …)."""
    if scope is not None:
        return limiter.shared_limit(_setting(setting), scope=scope, key_func=get_remote_address,
                                    methods=methods)
    return limiter.limit(_setting(setting), key_func=get_remote_address, methods=methods)
