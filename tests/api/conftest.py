"""Fixtures for the API: personal tokens and the headers that carry them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.accounts.models import User


@pytest.fixture
def create_token(db: Any) -> Callable[[User], str]:
    """Return a factory for personal API tokens."""
    def make(owner: User) -> str:
        token = account_ops.create_api_token(owner)
        db.session.commit()
        return token
    return make


@pytest.fixture
def token(create_token: Callable[[User], str], user: User) -> str:
    """Return a token of `user`."""
    return create_token(user)


@pytest.fixture
def bearer(token: str) -> dict[str, str]:
    """Return the Authorization header with `user`'s token."""
    return {"Authorization": f"Bearer {token}"}
