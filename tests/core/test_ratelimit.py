"""`samen.core.ratelimit.hit` (for Socket.IO commands and other code that is not a route), and a limiter that
keeps its storage per app."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from samen import create_app
from samen.core import limiter_storage, ratelimit
from samen.extensions import limiter
from tests.conftest import make_config


@pytest.fixture
def limited_app(app: Flask, rate_limited: Any) -> Iterator[Flask]:
    """Return the suite's app with rate limiting on, in an app context."""
    rate_limited()
    with app.app_context():
        yield app


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_hit_allows_up_to_the_limit(limited_app):
    key = _key()
    assert [ratelimit.hit(key, "3 per minute") for _ in range(4)] == [True, True, True, False]


def test_keys_are_counted_apart(limited_app):
    first, second = _key(), _key()
    assert ratelimit.hit(first, "1 per minute")
    assert not ratelimit.hit(first, "1 per minute")
    assert ratelimit.hit(second, "1 per minute")


def test_several_limits_all_apply(limited_app):
    key = _key()
    assert [ratelimit.hit(key, "5 per minute;2 per hour") for _ in range(3)] == [True, True, False]


def test_a_cost_counts_several_events(limited_app):
    key = _key()
    assert ratelimit.hit(key, "3 per minute", cost=3)
    assert not ratelimit.hit(key, "3 per minute")


def test_clear_forgets_the_counts(limited_app):
    key = _key()
    ratelimit.hit(key, "1 per minute")
    ratelimit.clear(key, "1 per minute")
    assert ratelimit.hit(key, "1 per minute")


def test_hit_counts_nothing_when_rate_limiting_is_off(app):
    with app.app_context():
        assert app.config["RATELIMIT_ENABLED"] is False
        key = _key()
        assert all(ratelimit.hit(key, "1 per minute") for _ in range(3))
        # ... unless the counter is a security measure that must not depend on the switch.
        assert ratelimit.hit(key, "1 per minute", even_when_disabled=True)
        assert not ratelimit.hit(key, "1 per minute", even_when_disabled=True)


def test_hit_shares_the_storage_of_the_routes(limited_app):
    """The counters live where Flask-Limiter keeps the routes' counters (Redis in production)."""
    key = _key()
    ratelimit.hit(key, "1 per minute")
    assert any(key in str(stored) for stored in limiter_storage.storage_of().primary.storage)


def test_each_app_has_its_own_switch_storage_and_key_prefix(database_url, app):
    first = create_app(make_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX="eerste"))
    second = create_app(make_config(database_url, RATELIMIT_ENABLED=False))
    with first.app_context():
        first_storage = limiter_storage.storage_of()
        assert limiter.enabled and first_storage.prefix == "eerste:"
        assert ratelimit.hit("elk-zijn-eigen", "1 per minute")
        assert any(key.startswith("eerste:") for key in first_storage.primary.storage)
    with second.app_context():
        assert limiter_storage.storage_of() is not first_storage
        assert not limiter.enabled and limiter_storage.storage_of().prefix == ""
        assert ratelimit.hit("elk-zijn-eigen", "1 per minute", even_when_disabled=True)  # its own count
    with app.app_context():  # the suite's app is as it was
        assert not limiter.enabled and limiter_storage.storage_of() is not first_storage


def test_two_apps_with_memory_storage_do_not_share_counts(database_url):
    """The control for tests/scaleout: without Redis, two workers count apart."""
    apps = [create_app(make_config(database_url, RATELIMIT_ENABLED=True)) for _ in range(2)]
    key = _key()
    with apps[0].app_context():
        assert ratelimit.hit(key, "1 per minute")
        assert not ratelimit.hit(key, "1 per minute")
    with apps[1].app_context():
        assert ratelimit.hit(key, "1 per minute")
