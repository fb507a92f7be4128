"""POST /api/v1/tokens: an e-mail address and password buy a personal token; nothing else does."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from samen import create_app
from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken
from samen.core.database import db as _db
from samen.extensions import limiter
from tests.api.helpers import assert_problem
from tests.conftest import PASSWORD, make_config


def test_right_password_gives_a_token_that_works(client, user, db):
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    token = response.get_json()["token"]
    assert account_ops.user_for_token(token).id == user.id
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["email"] == user.email


def test_email_is_matched_as_stored_and_the_token_is_named(client, user, db):
    response = client.post("/api/v1/tokens", json={"email": f"  {user.email.upper()} ", "password": PASSWORD,
                                                    "name": "dashboard"})
    assert response.status_code == 201
    names = db.session.scalars(select(ApiToken.name).where(ApiToken.user_id == user.id)).all()
    assert names == ["dashboard"]


def test_wrong_password_is_refused(client, user, db):
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD + "x"})
    assert_problem(response, 401, code="invalid_credentials")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []


def test_unknown_email_is_refused_like_a_wrong_password(client, user):
    unknown = client.post("/api/v1/tokens", json={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/api/v1/tokens", json={"email": user.email, "password": "not-it"})
    assert assert_problem(unknown, 401, code="invalid_credentials") == assert_problem(wrong, 401)


@pytest.mark.parametrize("body, fields", [
    ({}, {"email", "password"}),
    ({"email": "a@example.org"}, {"password"}),
    ({"email": "  ", "password": ""}, {"email", "password"}),
    ({"email": None, "password": PASSWORD}, {"email"}),
    ({"email": 5, "password": True}, {"email", "password"}),
    ({"email": ["a@example.org"], "password": {"x": 1}}, {"email", "password"}),
    ({"email": "a" * 250 + "@example.org", "password": PASSWORD}, {"email"}),
    ({"email": "a@example.org", "password": "p" * 201}, {"password"}),
    ({"email": "a@example.org", "password": PASSWORD, "name": "n" * 81}, {"name"}),
    ({"email": "a@example.org", "password": PASSWORD, "name": 7}, {"name"}),
])
def test_missing_wrong_type_or_too_long_fields_are_named(client, body, fields):
    problem = assert_problem(client.post("/api/v1/tokens", json=body), 422, code="validation_failed")
    assert set(problem["errors"]) == fields
    assert all(isinstance(message, str) and message for messages in problem["errors"].values()
               for message in messages)


@pytest.fixture
def limited_client(app: Any, database_url: str) -> Iterator[FlaskClient]:
    """Return a client of a second app on the test database (read only): 2 token requests a minute."""
    # The limiter is a single object that create_app() binds again: put its state back after.
    saved = {extension: dict(vars(extension)) for extension in (limiter,)}
    limited = create_app(make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute"))
    try:
        yield limited.test_client()
    finally:
        with limited.app_context():  # each app has its own storage (samen.core.limiter_storage)
            limiter.reset()
            _db.engine.dispose()
        for extension, state in saved.items():
            vars(extension).clear()
            vars(extension).update(state)


def test_token_requests_are_rate_limited_like_signing_in(limited_client):
    body = {"email": "nobody@example.org", "password": "guess"}
    assert [limited_client.post("/api/v1/tokens", json=body).status_code for _ in range(2)] == [401, 401]
    refused = limited_client.post("/api/v1/tokens", json=body)
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert limited_client.get("/api/v1/thinktanks").status_code == 200  # reading is not limited


def test_the_suites_app_is_not_rate_limited_afterwards(client, db):
    # Invalid bodies count towards the limit too, and cost no password hashing.
    assert {client.post("/api/v1/tokens", json={}).status_code for _ in range(12)} == {422}
