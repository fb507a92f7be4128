"""Rate limits kept in Redis, as in the scale-out set-up: every worker sees the same counters."""
from __future__ import annotations

import os
import uuid

import pytest
import redis

from samen import create_app
from tests.conftest import make_config, skip_or_fail

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not reachable at {url} ({error}); set TEST_REDIS_URL")
    return url


def test_login_limit_is_counted_in_redis(app, database_url: str, redis_url: str) -> None:
    prefix = f"samen-test-{uuid.uuid4().hex}"
    worker = create_app(make_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url,
                                 RATELIMIT_KEY_PREFIX=prefix, LOGIN_RATE_LIMIT="3 per minute",
                                 WTF_CSRF_ENABLED=False))
    client = worker.test_client()
    statuses = [client.post("/login", data={"email": "x@example.org", "password": "wrong"}).status_code
                for _ in range(4)]
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429
    connection = redis.Redis.from_url(redis_url)
    keys = connection.keys(f"*{prefix}*")
    assert keys, "the limiter kept no counter in Redis"
    # A second worker (another app on the same Redis) is refused too: the counter is shared.
    other = create_app(make_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url,
                                   RATELIMIT_KEY_PREFIX=prefix, LOGIN_RATE_LIMIT="3 per minute",
                                   WTF_CSRF_ENABLED=False))
    assert other.test_client().post("/login", data={"email": "x@example.org", "password": "x"}).status_code == 429
    connection.delete(*keys)


def _worker(database_url: str, redis_url: str, prefix: str, **settings: object):
    """Return an app like one worker process of a scaled-out deployment: its own limiter storage, on Redis."""
    return create_app(make_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url,
                                  RATELIMIT_KEY_PREFIX=prefix, **settings))


def test_two_workers_share_the_counters_of_hit(app, database_url: str, redis_url: str) -> None:
    """What the live meeting's Socket.IO handlers use: one worker's count is the other's."""
    from samen.core import ratelimit
    from samen.core.limiter_storage import storage_of

    prefix = f"samen-test-{uuid.uuid4().hex}"
    first, second = _worker(database_url, redis_url, prefix), _worker(database_url, redis_url, prefix)
    connection = redis.Redis.from_url(redis_url)
    try:
        with first.app_context():
            first_storage = storage_of()
            assert [ratelimit.hit("meeting-post:7", "2 per minute") for _ in range(2)] == [True, True]
        with second.app_context():
            assert storage_of() is not first_storage  # two storages, one Redis
            assert not ratelimit.hit("meeting-post:7", "2 per minute")
            assert ratelimit.hit("meeting-post:8", "2 per minute")  # another user's counter
        assert connection.keys(f"*{prefix}*")
    finally:
        keys = connection.keys(f"*{prefix}*")
        if keys:
            connection.delete(*keys)


def test_two_workers_share_the_lockout_count_of_unknown_addresses(app, database_url: str,
                                                                  redis_url: str) -> None:
    prefix = f"samen-test-{uuid.uuid4().hex}"
    settings = {"LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_LOCKOUT_THRESHOLD": 3, "WTF_CSRF_ENABLED": False}
    workers = [_worker(database_url, redis_url, prefix, **settings) for _ in range(2)]
    attempt = {"email": f"niemand-{uuid.uuid4().hex}@example.org", "password": "fout"}
    connection = redis.Redis.from_url(redis_url)
    try:
        answers = [workers[n % 2].test_client().post("/login?lang=en", data=attempt) for n in range(3)]
        assert [answer.status_code for answer in answers] == [422, 422, 422]
        assert "locked" not in answers[1].get_data(as_text=True)
        assert "locked after too many failed" in answers[2].get_data(as_text=True)
    finally:
        keys = connection.keys(f"*{prefix}*")
        if keys:
            connection.delete(*keys)
