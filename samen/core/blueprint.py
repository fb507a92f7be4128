"""Routes every site has: liveness (/healthz) and readiness (/readyz) for the load balancer and monitoring."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from samen.core.database import db

logger = logging.getLogger(__name__)

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def healthz():
    """Answer that the process is up."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """Answer whether this process can serve: its database answers, and Redis when it is configured."""
    checks = {"database": _check_database()}
    redis_urls = {url for url in (current_app.config.get("SOCKETIO_MESSAGE_QUEUE"),
                                  current_app.config.get("RATELIMIT_STORAGE_URI"))
                  if url and url.startswith(("redis://", "rediss://", "unix://"))}
    if redis_urls:
        checks["redis"] = "ok" if all(_check_redis(url) == "ok" for url in sorted(redis_urls)) else "unavailable"
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # any failure means not ready; the log says which
        logger.exception("readiness: the database does not answer")
        db.session.rollback()
        return "unavailable"


def _check_redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception:
        logger.exception("readiness: Redis at %s does not answer", url.split("@")[-1])
        return "unavailable"
