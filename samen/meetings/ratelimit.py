"""Rate limits for live events: the site's limits (samen.core.ratelimit), with the live board's keys.

The counters live where Flask-Limiter keeps its own (RATELIMIT_STORAGE_URI: memory, or Redis when several
processes serve the board), so every process counts the same hits.
"""
from __future__ import annotations

from samen.core import ratelimit
from samen.extensions import limiter


def hit(limit: str, *identifiers: str) -> bool:
    """Count one hit against `limit` ("5 per minute") for these identifiers; return False when over the limit.
    Always True while rate limiting is switched off (RATELIMIT_ENABLED)."""
    return ratelimit.hit(":".join(("live", *identifiers)), limit)


def reset() -> None:
    """Forget every count (tests)."""
    limiter.limiter.storage.reset()
