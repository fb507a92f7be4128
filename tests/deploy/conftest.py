"""Fixtures: deploy/serve-prod running on a database of its own (a new PostgreSQL database next to
TEST_DATABASE_URL's, as in production; a SQLite file where there is no PostgreSQL), Redis at TEST_REDIS_URL,
nginx."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import postgres_url, skip_or_fail
from tests.deploy import serveprod


@pytest.fixture(scope="module")
def nginx() -> str:
    """Return the nginx binary, or skip (fail in CI) when nginx is not installed."""
    binary = serveprod.find_nginx()
    if binary is None:
        skip_or_fail("nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)")
    return binary


@pytest.fixture(scope="module")
def redis_url() -> str:
    """Return TEST_REDIS_URL, or skip (fail in CI) when Redis does not answer."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not reachable at {url} ({error}); set TEST_REDIS_URL")
    return url


@pytest.fixture(scope="module")
def production_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the URL of a database that does not exist yet (serve-prod creates it); drop it afterwards."""
    url = postgres_url()
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('serve-prod') / 'samen.db'}"
        return
    server = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"samen_deploy_{uuid.uuid4().hex[:12]}"
    yield server.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "", 1)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def serve_prod(nginx: str, redis_url: str, production_database: str,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[serveprod.ServeProd]:
    """Run `deploy/serve-prod` (two gunicorn processes behind nginx) with the demo plan, on its own channel and
    rate-limit prefix in Redis; stop it afterwards."""
    import redis

    tag = f"samen-test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": production_database, "NGINX": nginx,
           "SOCKETIO_MESSAGE_QUEUE": redis_url, "RATELIMIT_STORAGE_URI": redis_url,
           "SOCKETIO_CHANNEL": tag, "RATELIMIT_KEY_PREFIX": tag}
    env.pop("SECRET_KEY", None)  # serve-prod makes one and keeps it in the instance folder
    served = serveprod.start(tmp_path_factory.mktemp("instance"), env)
    try:
        yield served
    finally:
        returncode = served.stop()
        connection = redis.Redis.from_url(redis_url)
        keys = connection.keys(f"*{tag}*")
        if keys:
            connection.delete(*keys)
        assert returncode == 0, "deploy/serve-prod did not stop cleanly:\n" + "\n".join(served.output[-20:])
