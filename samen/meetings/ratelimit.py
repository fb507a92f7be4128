"""A small rate limit for live events, kept where Flask-Limiter keeps its counters (RATELIMIT_STORAGE_URI:
memory, or Redis when several processes serve the board), so every process counts the same hits."""
from __future__ import annotations

from typing import Any

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from samen.extensions import limiter


def _strategy() -> Any:
    """Return this app's rate limiter over the limiter's storage (made once per app: Flask-Limiter keeps only
    the last app's, and none while rate limiting was off at start-up)."""
    state = current_app.extensions.setdefault("samen_live_ratelimit", {})
    if "strategy" not in state:
        storage = storage_from_string(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
        state["strategy"] = MovingWindowRateLimiter(storage)
    return state["strategy"]


def hit(limit: str, *identifiers: str) -> bool:
    """Count one hit against `limit` ("5 per minute") for these identifiers; return False when over the limit.
    Always True while rate limiting is switched off (RATELIMIT_ENABLED)."""
    if not limiter.enabled:
        return True
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "samen"
    return _strategy().hit(parse(limit), prefix, "live", *identifiers)


def reset() -> None:
    """Forget every count (tests)."""
    _strategy().storage.reset()
