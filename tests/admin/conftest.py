"""Fixtures of the admin tests: a fresh `g` per request, English pages, quick sign-in, roles."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samen.accounts.models import User
from samen.thinktanks.models import ThinkTank
from tests.thinktanks.support import World, build_world, fresh_globals_per_request, with_cheap_hash


@pytest.fixture(autouse=True)
def _fresh_globals(app: Flask) -> Iterator[None]:
    """Start every request with an empty `g` (see fresh_globals_per_request)."""
    with fresh_globals_per_request(app):
        yield


@pytest.fixture
def create_user(create_user: Callable[..., User], db: Any) -> Callable[..., User]:
    """Return the user factory of tests/conftest.py, with a password hash that is quick to check."""
    return with_cheap_hash(create_user, db)


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """Show pages in English, so that tests read the msgids whatever the Dutch catalog says."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def world(db: Any, create_user: Callable[..., User], create_thinktank: Callable[..., ThinkTank]) -> World:
    """Return a think tank by approval with one person of every role."""
    return build_world(db, create_user, create_thinktank)
