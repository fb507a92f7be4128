"""A database that is locked, slow or frozen: every wait is bounded, and the answer is a 503 with Retry-After
(the error page in the page's language, problem+json in the API), with nothing half-stored."""
from __future__ import annotations

import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from samen import create_app
from samen.accounts import operations as account_ops
from samen.core import migrate
from samen.core.database import db as _db
from samen.core.database import is_unavailable, make_engine
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD, backend, make_config, scratch_postgres

pytestmark = pytest.mark.database

BOUND = 1  # DATABASE_LOCK_TIMEOUT and DATABASE_BUSY_TIMEOUT of the world below, in seconds


@dataclass
class World:
    app: Flask
    slug: str
    email: str
    token: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """An app on a database of its own whose waits for a lock are bounded by BOUND, with a member of a think tank
    (and their API token) committed: the lock must come from another connection, so no rolled-back `db`."""
    with ExitStack() as stack:
        if backend() == "postgresql":
            url = stack.enter_context(scratch_postgres(f"unavailable_{uuid.uuid4().hex[:8]}"))
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('unavailable') / 'samen.db'}"
        app = create_app(make_config(url, DATABASE_LOCK_TIMEOUT=BOUND, DATABASE_BUSY_TIMEOUT=BOUND,
                                     WTF_CSRF_ENABLED=False))
        stack.callback(app.extensions["samen_db"]["engine"].dispose)
        with app.app_context():
            migrate.upgrade()
            user = account_ops.create_user(email="lid@example.org", display_name="Lid", password=PASSWORD)
            thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
            tt_ops.join_thinktank(thinktank, user)
            token = account_ops.create_api_token(user)
            _db.session.commit()
        yield World(app, "preventie", "lid@example.org", token)


@contextmanager
def ideas_locked(world: World) -> Iterator[None]:
    """Hold the write lock of the ideas from another connection (PostgreSQL: the table; SQLite: the file)."""
    url = world.app.config["DATABASE_URL"]
    if url.startswith("postgresql"):
        other = world.app.extensions["samen_db"]["engine"].connect()
        try:
            other.exec_driver_sql("LOCK TABLE ideas IN ACCESS EXCLUSIVE MODE")
            yield
        finally:
            other.rollback()
            other.close()
        return
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def _stored(world: World, title: str) -> int:
    with world.app.app_context():
        return _db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title == title))


@pytest.mark.parametrize("lang, words", [("nl", "Tijdelijk niet beschikbaar"), ("en", "Temporarily unavailable")])
def test_posting_an_idea_while_the_ideas_are_locked_is_a_503_page(world, lang, words):
    client = world.app.test_client()
    assert client.post("/login", data={"email": world.email, "password": PASSWORD}).status_code == 302
    with client.session_transaction() as session:
        session["lang"] = lang
    with ideas_locked(world):
        started = time.monotonic()
        response = client.post(f"/thinktanks/{world.slug}/ideas/new",
                               data={"title": f"Geblokkeerd idee {lang}", "body": "Tekst."})
        assert time.monotonic() - started < BOUND + 2
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.mimetype == "text/html"
    assert words in response.get_data(as_text=True)
    assert _stored(world, f"Geblokkeerd idee {lang}") == 0
    # Once the lock is gone, the same request works.
    again = client.post(f"/thinktanks/{world.slug}/ideas/new", data={"title": f"Later idee {lang}", "body": "x"})
    assert again.status_code == 302
    assert _stored(world, f"Later idee {lang}") == 1


def test_posting_an_idea_in_the_api_while_locked_is_problem_json(world):
    client = world.app.test_client()
    with ideas_locked(world):
        started = time.monotonic()
        response = client.post(f"/api/v1/thinktanks/{world.slug}/ideas",
                               json={"title": "Geblokkeerd via de API", "body": "Tekst."},
                               headers={"Authorization": f"Bearer {world.token}"})
        assert time.monotonic() - started < BOUND + 2
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "10"
    assert response.json["status"] == 503 and response.json["code"] == "unavailable"
    assert _stored(world, "Geblokkeerd via de API") == 0


def test_a_programming_error_is_not_taken_for_an_unavailable_database():
    """Only timeouts, locks and lost connections are 503s; a broken query stays an error to fix."""
    error = OperationalError("SELECT nothing", {}, sqlite3.OperationalError("no such column: nothing"))
    assert not is_unavailable(error)
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert is_unavailable(locked)


@pytest.mark.skipif(backend() != "postgresql", reason="the server-side timeouts are PostgreSQL's")
def test_the_engine_bounds_statements_and_locks_from_the_settings(app):
    engine = make_engine(app.config["DATABASE_URL"], statement_timeout=3, lock_timeout=1, connect_timeout=2,
                         pool_timeout=4)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "3s"
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "1s"
            with pytest.raises(OperationalError) as raised:
                connection.execute(text("SELECT pg_sleep(5)"))
            assert is_unavailable(raised.value)
        assert engine.pool.timeout() == 4
    finally:
        engine.dispose()


def test_the_settings_reach_the_engine(database_url: str) -> None:
    other = create_app(make_config(database_url, DATABASE_BUSY_TIMEOUT=3, DATABASE_STATEMENT_TIMEOUT=7))
    engine = other.extensions["samen_db"]["engine"]
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "7s"
        else:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000
    engine.dispose()




@pytest.fixture
def frozen_database_url() -> Iterator[str]:
    """Return the URL of a 'PostgreSQL server' that accepts connections and never answers, as a frozen one."""
    with socket.socket() as frozen:
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(64)
        yield f"postgresql://postgres@127.0.0.1:{frozen.getsockname()[1]}/samen"


def test_readyz_and_pages_answer_in_time_when_the_database_is_frozen(frozen_database_url):
    app = create_app(make_config(frozen_database_url, DATABASE_CONNECT_TIMEOUT=1))
    client = app.test_client()
    started = time.monotonic()
    ready = client.get("/readyz")
    assert time.monotonic() - started < 2
    assert ready.status_code == 503
    assert ready.json == {"status": "unavailable", "checks": {"database": "unavailable"}}

    started = time.monotonic()
    page = client.get("/thinktanks/?lang=en")
    assert time.monotonic() - started < 4
    assert page.status_code == 503 and page.headers["Retry-After"] == "10"
    assert "Temporarily unavailable" in page.get_data(as_text=True)
    api = client.get("/api/v1/thinktanks")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"


def test_the_api_language_of_a_failed_request_needs_no_query(app, db, user, count_queries):
    """A database that goes away mid-request: the rollback expires the token's user, and the 503's language
    must not load it again (that query fails too, and the 503 became a 500; found by bench/faults.py)."""
    from flask import g

    from samen.core.i18n import select_locale

    user.locale = "en"
    db.session.commit()
    with app.test_request_context("/api/v1/ideas", headers={"Accept-Language": "nl"}):
        g.api_user = user
        assert select_locale() == "en"  # loaded: the user's own language
        db.session.expire(user)
        with count_queries() as statements:
            assert select_locale() == "nl"  # expired: what the client accepts, without a query
        assert statements == []


def test_the_website_language_of_a_failed_request_needs_no_query(app, db, user, count_queries):
    """The same for a signed-in person on the website: an expired user falls back to the session's language."""
    from flask import session
    from flask_login import login_user

    from samen.core.i18n import select_locale

    user.locale = "en"
    db.session.commit()
    with app.test_request_context("/thinktanks"):
        login_user(user)
        session["lang"] = "nl"
        assert select_locale() == "en"  # loaded: the person's own language
        db.session.expire(user)
        with count_queries() as statements:
            assert select_locale() == "nl"  # expired: the session's, without a query
        assert statements == []
