"""Routes every site has: liveness (/healthz) and readiness (/readyz) for the load balancer and monitoring."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from samen.core import limiter_storage
from samen.core.database import db
from samen.extensions import socketio_for

logger = logging.getLogger(__name__)

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def healthz():
    """Answer that the process is up."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """Answer whether this process can serve, within about two seconds whatever is down.

    `database` must answer (else 503: this process cannot serve). Redis, when configured, is `ok`, or `degraded`
    while it is unreachable, while the rate limits still count in memory after it came back, or while this
    process's live-board listener is not (yet) subscribed again: the site works, but limits are per process and
    live updates from other processes do not arrive. Degraded answers 200 with status "degraded": every process
    can still serve, and taking them all out of the load balancer would take the site down.
    """
    checks = {"database": _check_database()}
    redis_urls = {url for url in (current_app.config.get("SOCKETIO_MESSAGE_QUEUE"),
                                  current_app.config.get("RATELIMIT_STORAGE_URI"))
                  if url and url.startswith(("redis://", "rediss://", "unix://"))}
    if redis_urls:
        fine = all(_check_redis(url) == "ok" for url in sorted(redis_urls))
        fine = fine and not limiter_storage.storage_of().recheck() and _live_queue_in_step()
        checks["redis"] = "ok" if fine else "degraded"
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok", 200) if all(value == "ok" for value in checks.values()) else ("degraded", 200)
    response = jsonify(status=status, checks=checks)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def _live_queue_in_step() -> bool:
    """Whether this process's live-board listener is subscribed to the message queue (when it has started: it
    starts with the first live client), found by the name its Redis connection carries."""
    name = current_app.extensions.get("samen_live_queue")
    server = socketio_for().server
    if name is None or not server.manager_initialized:
        return True
    import redis

    client = redis.Redis.from_url(current_app.config["SOCKETIO_MESSAGE_QUEUE"], socket_connect_timeout=1,
                                  socket_timeout=1)
    try:
        clients = client.client_list(_type="pubsub")
    except redis.RedisError:
        logger.warning("readiness: cannot list the live board's Redis connections", exc_info=True)
        return False
    finally:
        client.close()
    return any(entry.get("name") == name and int(entry.get("sub", 0)) > 0 for entry in clients)


# Seconds /readyz waits for the database's `SELECT 1`: with the Redis checks, the answer comes within 2 s.
DATABASE_CHECK_WAIT = 1.0


def _check_database() -> str:
    """Run `SELECT 1` on a thread of the app's own and wait at most DATABASE_CHECK_WAIT for it: a frozen database
    (or a pool whose connections are all stuck) does not answer, and neither would a statement_timeout. While a
    check is stuck, the next ones queue behind it and time out too, so stuck checks do not pile up threads."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    checker = app.extensions.setdefault(
        "samen_readiness", ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz-database"))
    future = checker.submit(_select_one, app)
    try:
        return future.result(timeout=DATABASE_CHECK_WAIT)
    except FutureTimeout:
        logger.warning("readiness: the database did not answer within %s s", DATABASE_CHECK_WAIT)
        return "unavailable"


def _select_one(app: Flask) -> str:
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
            return "ok"
        except Exception:  # any failure means not ready; the log says which
            logger.exception("readiness: the database does not answer")
            db.session.rollback()
            return "unavailable"


def _check_redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.4, socket_timeout=0.4)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception:
        logger.warning("readiness: Redis at %s does not answer", url.split("@")[-1], exc_info=True)
        return "unavailable"
