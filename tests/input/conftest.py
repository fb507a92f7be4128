"""Fixtures for hostile input: a world built once per module in a transaction of its own, each test in a savepoint
rolled back after it, clients signed in once, and a watch on the errors the app logs."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

from samen.core.database import Base
from samen.core.database import db as _db
from tests.conftest import PASSWORD, pinned, read_csrf_token, rolled_back


@contextmanager
def module_transaction(app: Flask) -> Iterator[Any]:
    """Pin one connection with an open transaction for a whole module, rolled back at its end (as `db` does for
    one test); yield the connection."""
    with rolled_back(app) as connection, pinned(app, connection):
        yield connection


@contextmanager
def savepoint(connection: Any) -> Iterator[None]:
    """Undo whatever happens inside, commits included: the world stays as the module built it."""
    # Requests reuse the module's app context, so the session outlives them, with the savepoint it began: end it
    # first, or its commit would release this savepoint too.
    _db.session.remove()
    nested = connection.begin_nested()
    try:
        yield
    finally:
        _db.session.remove()
        if nested.is_active:
            nested.rollback()


def sign_in(app: Flask, email: str) -> FlaskClient:
    """Return a test client signed in through the login form."""
    client = app.test_client()
    token = read_csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    return client


def csrf_of(client: FlaskClient, path: str = "/") -> str:
    """Return the CSRF token of the client's session, read from a page."""
    return read_csrf_token(client, path)


def english(message: Any) -> str:
    """Return a (lazy) message as an English reader sees it."""
    with force_locale("en"):
        return str(message)


def dutch(message: Any) -> str:
    """Return a (lazy) message as a Dutch reader sees it."""
    with force_locale("nl"):
        return str(message)


def row_counts() -> tuple[int, ...]:
    """Return how many rows each table holds, in one query: a refusal must not change any of them."""
    tables = sorted(Base.metadata.tables.values(), key=lambda table: table.name)
    counts = [select(func.count()).select_from(table).scalar_subquery() for table in tables]
    return tuple(_db.session.execute(select(*counts)).one())


class ErrorWatch(logging.Handler):
    """Collect what the app logs at ERROR and the exceptions Flask's `got_request_exception` reports."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        cause = f" ({record.exc_info[1]!r:.300})" if record.exc_info and record.exc_info[1] else ""
        self.problems.append(f"{record.name}: {record.getMessage()}{cause}")

    def exception(self, _sender: Any, exception: BaseException, **_extra: Any) -> None:
        self.problems.append(f"request exception: {exception!r}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture(scope="module")
def error_watch(app: Flask) -> Iterator[ErrorWatch]:
    """Watch the app's logger, the samen loggers and got_request_exception for the whole module."""
    watch = ErrorWatch()
    # The Socket.IO and Engine.IO *server* loggers: a client library's thread left over from another module of
    # this process (python-socketio clients in the live-server tests) may log its own disconnection meanwhile.
    loggers = [app.logger, logging.getLogger("samen"), logging.getLogger("werkzeug"),
               logging.getLogger("socketio.server"), logging.getLogger("engineio.server")]
    for logger in loggers:
        logger.addHandler(watch)
    got_request_exception.connect(watch.exception, app)
    try:
        yield watch
    finally:
        got_request_exception.disconnect(watch.exception, app)
        for logger in loggers:
            logger.removeHandler(watch)


@pytest.fixture
def no_errors_logged(error_watch: ErrorWatch) -> Iterator[Callable[[], None]]:
    """Fail the test if the app logged an error or a request raised while it ran."""
    error_watch.take()
    yield error_watch.take
    problems = error_watch.take()
    assert not problems, problems


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[Any]:
    """Build the module's plan once (tests/input/world.py): a think tank, an idea, an action, an indicator, a
    meeting, and people signed in through the web, the API and the live board."""
    from tests.input.world import built

    with built(app) as world:
        yield world


@pytest.fixture
def undone(world: Any) -> Iterator[None]:
    """Roll back whatever a test stored (it should store nothing); for modules that build the world once."""
    with savepoint(world.connection):
        yield
