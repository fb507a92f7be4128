"""Fixtures of the admin tests: English pages, the roles and their world."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from samen.accounts.models import User
from samen.thinktanks.models import ThinkTank
from tests.thinktanks.support import World, build_world


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """Show pages in English, so that tests read the msgids whatever the Dutch catalog says."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def world(db: Any, create_user: Callable[..., User], create_thinktank: Callable[..., ThinkTank]) -> World:
    """Return a think tank by approval with one person of every role."""
    return build_world(db, create_user, create_thinktank)
