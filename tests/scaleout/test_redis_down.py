"""With Redis down the site keeps working: rate limits count in this process's memory, and in Redis again once
it is back (docs/deployment.md, "When a part fails")."""
from __future__ import annotations

import logging
import time
import uuid

import pytest
import redis

from samen import create_app
from samen.core import ratelimit
from samen.core.limiter_storage import EXTENSION, FallbackStorage
from samen.extensions import socketio_for
from tests.conftest import PASSWORD, make_config

pytestmark = pytest.mark.redis

LOG = "samen.core.limiter_storage"


@pytest.fixture
def limits_in(app, monkeypatch, rate_limited):
    """Return a function that makes the suite app count its rate limits in the Redis at `url`."""
    def use(url: str, **limits: str) -> FallbackStorage:
        rate_limited(**limits)
        storage = FallbackStorage(url, prefix=f"samen-test-{uuid.uuid4().hex}", retry_after=0)
        monkeypatch.setitem(app.extensions, EXTENSION, storage)
        return storage
    return use


def test_signing_in_commenting_supporting_and_tokens_work_while_redis_is_down(
        client, auth, member, idea, limits_in, redis_server, caplog):
    storage = limits_in(redis_server.url, LOGIN_RATE_LIMIT="100 per minute", POST_RATE_LIMIT="2 per minute",
                        SUPPORT_RATE_LIMIT="100 per minute")
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger=LOG):
        assert auth.login(member).status_code == 302
        assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Ook zonder Redis."}).status_code == 302
        assert auth.post(f"/ideas/{idea.id}/support").status_code == 302
        token = client.post("/api/v1/tokens", json={"email": member.email, "password": PASSWORD})
        assert token.status_code == 201, token.get_data(as_text=True)
        # The limits still hold, counted in this process.
        assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Nog een."}).status_code == 302
        assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Een te veel."}).status_code == 429
    assert storage.falling_back
    assert "rate limiting fell back to per-process memory" in caplog.text
    assert "127.0.0.1" in caplog.text

    redis_server.start()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOG):
        # Counted in Redis again, where the counts from the outage are not.
        assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Redis is terug."}).status_code == 302
    assert not storage.falling_back
    assert f"rate limiting counts in the storage at {redis_server.url} again" in caplog.text
    assert redis.Redis.from_url(redis_server.url).keys(f"*{storage.prefix}*")


def test_hit_falls_back_instead_of_raising(app, limits_in, redis_server, caplog):
    """What the live board's commands use."""
    storage = limits_in(redis_server.url)
    redis_server.stop()
    with app.app_context(), caplog.at_level(logging.WARNING, logger=LOG):
        assert [ratelimit.hit("meeting-post:1", "2 per minute") for _ in range(3)] == [True, True, False]
        ratelimit.clear("meeting-post:1", "2 per minute")
        assert ratelimit.hit("meeting-post:1", "2 per minute")
    assert storage.falling_back
    assert "fell back" in caplog.text


def test_a_storage_that_failed_is_tried_again_only_after_the_retry_interval(app, redis_server):
    storage = FallbackStorage(redis_server.url, retry_after=3600)
    redis_server.stop()
    assert storage.call("incr", "k", 60) == 1
    redis_server.start()
    assert storage.call("incr", "k", 60) == 2  # still in memory: not retried yet
    assert storage.falling_back


def _wait_for(condition, seconds: float = 30.0) -> bool:
    """Ask `condition` until it holds or `seconds` have passed (a reconnection that takes its own time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _readyz(client) -> tuple[float, int, dict]:
    started = time.monotonic()
    response = client.get("/readyz")
    return time.monotonic() - started, response.status_code, response.json


def test_readyz_says_degraded_until_the_live_board_is_back_in_step(database_url, redis_server):
    app = create_app(make_config(database_url, RATELIMIT_STORAGE_URI=redis_server.url,
                                 SOCKETIO_MESSAGE_QUEUE=redis_server.url,
                                 SOCKETIO_CHANNEL=f"samen-test-{uuid.uuid4().hex}",
                                 RATELIMIT_STORAGE_RETRY=0))
    client = app.test_client()
    name = app.extensions["samen_live_queue"]
    listener = redis.Redis.from_url(redis_server.url)

    def subscribed() -> bool:
        try:
            return any(entry.get("name") == name and int(entry.get("sub", 0)) > 0
                       for entry in listener.client_list(_type="pubsub"))
        except redis.ConnectionError:
            return False

    try:
        # A live client's handshake starts this process's listener on the message queue.
        assert client.get("/socket.io/?EIO=4&transport=polling").status_code == 200
        assert _wait_for(subscribed)
        assert _readyz(client)[1:] == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})

        redis_server.stop()
        seconds, code, answer = _readyz(client)
        assert seconds < 2
        assert (code, answer) == (200, {"status": "degraded", "checks": {"database": "ok", "redis": "degraded"}})
        # A live update sent while Redis is down is lost, but the request that sends it does not fail.
        started = time.monotonic()
        with app.app_context():
            socketio_for(app).emit("ping", {"n": 1}, to="meeting:0", namespace="/live")
        assert time.monotonic() - started < 7  # two bounded tries (LIVE_QUEUE_REDIS_OPTIONS), never a hang

        redis_server.start()
        answers = []

        def ready() -> bool:
            answers.append((_readyz(client)[2]["status"], subscribed()))
            return answers[-1][0] == "ok"

        assert _wait_for(ready, 5)  # the listener tries again every LIVE_QUEUE_RETRY (0.5) seconds
        # It never said ok while this process's listener was not subscribed.
        assert all(in_step for status, in_step in answers if status == "ok")
    finally:
        listener.close()


def test_a_frozen_redis_slows_a_request_by_at_most_its_timeout(auth, member, idea, limits_in, redis_server,
                                                               caplog):
    """Frozen (the process stopped, its port open): connections are accepted and nothing answers."""
    storage = limits_in(redis_server.url, POST_RATE_LIMIT="100 per minute", LOGIN_RATE_LIMIT="100 per minute")
    assert auth.login(member).status_code == 302
    redis_server.freeze()
    try:
        with caplog.at_level(logging.WARNING, logger=LOG):
            started = time.monotonic()
            assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Redis staat stil."}).status_code == 302
            assert time.monotonic() - started < 4  # one Redis timeout (1 s), then memory
        assert storage.falling_back
    finally:
        redis_server.thaw()


def test_readyz_answers_within_two_seconds_when_redis_is_frozen(database_url, redis_server):
    app = create_app(make_config(database_url, RATELIMIT_STORAGE_URI=redis_server.url,
                                 SOCKETIO_MESSAGE_QUEUE=redis_server.url))
    redis_server.freeze()
    try:
        seconds, code, answer = _readyz(app.test_client())
        assert seconds < 2
        assert (code, answer) == (200, {"status": "degraded", "checks": {"database": "ok", "redis": "degraded"}})
    finally:
        redis_server.thaw()
