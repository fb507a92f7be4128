"""The live board's message queue on Redis, that heals within a second of Redis coming back.

python-socketio's RedisManager retries a lost subscription after 1, 2, 4 … up to 60 seconds, so after a Redis
outage a process could go on for most of a minute without the broadcasts of the other processes: a vote on one
phone did not reach the projector. This manager is a PubSubManager, python-socketio's documented base for a message
queue (a backend implements `_publish` and `_listen`), on redis-py's public API: its listener tries again every
`retry` seconds (0.5 by default), never longer, and when it has subscribed again after an outage it tells this
process's own live clients to fetch their state again (the `resync` event, sent to them only), since what was
broadcast meanwhile did not reach them. Its Redis connections carry a name of their own, by which /readyz sees
whether this process is subscribed (samen/core/blueprint.py).
"""
from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

import redis
import socketio

logger = logging.getLogger(__name__)

# The event a process sends its own clients when its listener is back after an outage: fetch the state again.
RESYNC = "resync"
NAMESPACES = ("/live", "/public")


class LiveQueue(socketio.PubSubManager):
    """A Redis pub/sub message queue whose listener is back within `retry` seconds of Redis."""

    name = "samen-redis"

    def __init__(self, url: str, channel: str = "socketio", *, redis_options: dict[str, Any] | None = None,
                 retry: float = 0.5, write_only: bool = False, logger: Any = None) -> None:
        super().__init__(channel=channel, write_only=write_only, logger=logger)
        self.url = url
        self.redis_options = dict(redis_options or {})
        self.retry = retry
        self.publisher: redis.Redis | None = None

    def _connection(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, **self.redis_options)

    def _publish(self, data: Any) -> Any:
        """Send to every process; two tries, each bounded by the connection's timeouts. A lost broadcast is
        logged, never raised: the command that sent it is stored already."""
        for attempt in (1, 2):
            try:
                if self.publisher is None:
                    self.publisher = self._connection()
                return self.publisher.publish(self.channel, self.json.dumps(data))
            except redis.RedisError as error:
                self.publisher = None
                if attempt == 2:
                    logger.error("live board: cannot publish to Redis, this broadcast is lost (%s)", error)
        return None

    def _listen(self) -> Iterator[Any]:
        """Yield what the other processes publish, subscribing again every `retry` seconds while Redis is away."""
        channel = self.channel.encode()
        lost_at: float | None = None
        while True:
            pubsub = None
            try:
                pubsub = self._connection().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                if lost_at is not None:
                    logger.warning("live board: subscribed to Redis again after %.1f s; clients fetch their state "
                                   "again", time.monotonic() - lost_at)
                    lost_at = None
                    self._resync_own_clients()
                for message in pubsub.listen():
                    if message.get("type") == "message" and message.get("channel") == channel:
                        yield message["data"]
            except redis.RedisError as error:
                if lost_at is None:
                    lost_at = time.monotonic()
                    logger.error("live board: lost the Redis subscription (%s); trying again every %s s",
                                 error, self.retry)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(redis.RedisError):
                        pubsub.close()
            time.sleep(self.retry)

    def _resync_own_clients(self) -> None:
        """Tell this process's clients (and only them: ignore_queue) to fetch their state again."""
        for namespace in NAMESPACES:
            try:
                self.server.emit(RESYNC, {}, namespace=namespace, ignore_queue=True)
            except Exception:  # a namespace nobody uses, a client gone meanwhile: the next resync will do
                logger.debug("live board: resync of %s failed", namespace, exc_info=True)
