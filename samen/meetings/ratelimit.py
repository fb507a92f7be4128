"""A small rate limit for live events, kept in the app's rate-limit storage (memory, or Redis when several
processes serve the board), so every process counts the same hits."""
from __future__ import annotations

from limits import parse

from samen.extensions import limiter


def hit(limit: str, *identifiers: str) -> bool:
    """Count one hit against `limit` ("5 per minute") for these identifiers; return False when over the limit.
    Always True while rate limiting is switched off (RATELIMIT_ENABLED)."""
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(parse(limit), "samen-live", *identifiers)
