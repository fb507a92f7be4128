"""Rate limits kept in Redis, as in the scale-out set-up: every worker sees the same counters."""
from __future__ import annotations

import os
import uuid

import pytest
import redis

from samen import create_app
from tests.conftest import make_config, skip_or_fail

pytestmark = pytest.mark.redis


@pytest.fixture()
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
