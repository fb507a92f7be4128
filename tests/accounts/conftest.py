"""Fixtures for the accounts tests: clients that behave like separate browsers, and extra apps."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from flask import Flask, request_finished
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from samen import create_app
from samen.core.database import db as _db
from samen.extensions import limiter


class BrowserClient(FlaskClient):
    """A test client whose every request runs in its own app context, as under a real server.

    The `db` fixture keeps one app context pushed for the whole test. Requests would share its `g`, where
    Flask-Login caches the signed-in user, so a second client (or a replayed cookie) would see the first
    client's user. A fresh app context per request gives each request its own `g` and database session.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def new_client(app: Flask, db: Any) -> Callable[[], BrowserClient]:
    """Return a factory for clients that each act as a separate browser on the rolled-back database."""
    def make() -> BrowserClient:
        return BrowserClient(app, app.response_class, use_cookies=True)
    return make


@pytest.fixture
def client(new_client: Callable[[], BrowserClient]) -> BrowserClient:
    """Return a browser-like test client (the `auth` helper signs this one in)."""
    return new_client()


@contextmanager
def _rolled_back(extra: Flask) -> Iterator[None]:
    """Pin an extra app to one connection whose transaction is rolled back at the end, as `db` does."""
    with extra.app_context():
        connection = _db.engine.connect()
        raw = connection.connection.dbapi_connection
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # pysqlite defers BEGIN until the first write, so SAVEPOINTs would escape the outer transaction.
            raw.isolation_level = None
            raw.execute("BEGIN")
        transaction = connection.begin()
        _db.pin_connection(connection)
    try:
        yield
    finally:
        with extra.app_context():
            _db.session.remove()
            _db.pin_connection(None)
            if transaction.is_active:
                transaction.rollback()
            if sqlite:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raw.isolation_level = ""
            connection.close()
            _db.engine.dispose()


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[[Any], Flask]]:
    """Return a factory for extra apps on the suite's migrated database, each on a rolled-back transaction.

    The limiter is a single object that every create_app() binds again (its storage); its state is put
    back afterwards, so the suite's app is as it was. Do not combine with the `db`
    fixture: two write transactions on one SQLite file wait for each other.
    """
    saved = {extension: dict(vars(extension)) for extension in (limiter,)}
    with ExitStack() as stack:

        def make(config: Any) -> Flask:
            extra = create_app(config)
            stack.enter_context(_rolled_back(extra))
            return extra

        try:
            yield make
        finally:
            stack.close()
            for extension, state in saved.items():
                vars(extension).clear()
                vars(extension).update(state)


@pytest.fixture
def mailbox(app: Flask) -> Iterator[list[Any]]:
    """Return the memory outbox's messages, emptied (the outbox lives as long as the app). Mail that a request
    sends after its response (core.mail.send_after_response) is in it once the test client has the response:
    the fixture waits for the mail worker at the end of every request."""
    from samen.core.mail import outbox, wait_for_mail

    def delivered(sender: Flask, **_extra: Any) -> None:
        assert wait_for_mail(sender), "the mail worker did not finish"

    with app.app_context():
        wait_for_mail(app)
        messages = outbox().messages
    messages.clear()
    request_finished.connect(delivered, app)
    try:
        yield messages
    finally:
        request_finished.disconnect(delivered, app)
