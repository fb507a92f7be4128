"""Readiness, request ids, JSON logs with them, the access log, and trusting the proxy in front."""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy.exc import OperationalError

from samen import create_app
from samen.core import observability
from samen.core.database import db as _db
from samen.extensions import limiter
from tests.conftest import make_config, skip_or_fail


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Return a factory of second apps on the test database with settings changed; put shared state back."""
    saved = {extension: dict(vars(extension)) for extension in (limiter,)}
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        app = create_app(make_config(database_url, **settings))
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            _db.engine.dispose()
    for extension, state in saved.items():
        vars(extension).clear()
        vars(extension).update(state)
    observability.configure_logging("INFO", "text")


def test_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_when_the_database_fails(client, monkeypatch):
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(_db.session, "execute", fail)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "unavailable"}}


def test_degraded_when_redis_is_down(make_app):
    """The site still serves without Redis (rate limits in memory), so the process stays in the load balancer."""
    app = make_app(SOCKETIO_MESSAGE_QUEUE=None, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "checks": {"database": "ok", "redis": "degraded"}}


@pytest.mark.redis
def test_ready_with_redis(make_app):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not reachable at {url} ({error}); set TEST_REDIS_URL")
    app = make_app(RATELIMIT_STORAGE_URI=url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_every_response_has_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("given, kept", [
    ("a1b2c3d4e5f6a7b8c9d0", True),
    ("short", False),
    ("bad id with spaces and <script>", False),
    ("x" * 65, False),
])
def test_the_proxys_request_id_is_kept_when_sane(client, given, kept):
    returned = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert (returned == given) is kept
    assert observability.SANE_ID.match(returned)


def test_json_lines_carry_the_request_id(app):
    formatter, request_filter = observability.JsonFormatter(), observability.RequestIdFilter()
    with app.test_request_context("/"):
        from flask import g
        g.request_id = "req-12345678"
        record = logging.LogRecord("samen.test", logging.WARNING, __file__, 1, "Stemmen %s", ("open",), None)
        request_filter.filter(record)
        line = json.loads(formatter.format(record))
    assert line["message"] == "Stemmen open" and line["level"] == "warning" and line["logger"] == "samen.test"
    assert line["request_id"] == "req-12345678" and line["time"].endswith("+00:00")


def test_json_lines_carry_exceptions(app):
    try:
        raise ValueError("kapot")
    except ValueError:
        import sys
        record = logging.LogRecord("samen", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    observability.RequestIdFilter().filter(record)
    line = json.loads(observability.JsonFormatter().format(record))
    assert "ValueError: kapot" in line["exception"] and "request_id" not in line


def test_the_access_log_has_a_line_per_request(make_app, caplog):
    app = make_app(ACCESS_LOG=True)
    with caplog.at_level(logging.INFO, logger="samen.access"):
        response = app.test_client().get("/healthz", headers={"X-Request-ID": "abcdefgh-1234"})
    lines = [record for record in caplog.records if record.name == "samen.access"]
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.path, line.status) == ("GET", "/healthz", 200)
    assert line.request_id == "abcdefgh-1234" == response.headers["X-Request-ID"]
    assert line.duration_ms >= 0 and line.remote_addr == "127.0.0.1"


def test_log_format_json_makes_every_line_json(make_app):
    make_app(LOG_FORMAT="json")
    ours = [handler for handler in logging.getLogger().handlers if getattr(handler, "_samen", False)]
    assert len(ours) == 1  # one handler, however many apps a process creates
    record = logging.LogRecord("samen.test", logging.WARNING, __file__, 1, "hallo %s", ("Nijkerk",), None)
    ours[0].filter(record)
    assert json.loads(ours[0].format(record))["message"] == "hallo Nijkerk"


def test_production_logs_json_with_an_access_log(monkeypatch):
    from samen.config import ProductionConfig
    assert ProductionConfig.LOG_FORMAT == "json" and ProductionConfig.ACCESS_LOG is True


@pytest.mark.parametrize("trusted, address, scheme", [(0, "127.0.0.1", "http"), (1, "203.0.113.9", "https")])
def test_the_proxy_is_trusted_only_when_configured(make_app, caplog, trusted, address, scheme):
    app = make_app(ACCESS_LOG=True, TRUSTED_PROXIES=trusted)

    @app.get("/test-scheme")
    def scheme_view() -> str:
        from flask import request
        return request.scheme

    with caplog.at_level(logging.INFO, logger="samen.access"):
        response = app.test_client().get("/test-scheme", headers={
            "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == scheme
    assert [r.remote_addr for r in caplog.records if r.name == "samen.access"] == [address]
