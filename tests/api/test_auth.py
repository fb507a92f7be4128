"""Bearer tokens: without a valid one, protected endpoints answer 401; a signed-in browser is not enough."""
from __future__ import annotations

import pytest

from tests.api.helpers import assert_problem

PROTECTED = [("get", "/api/v1/me"), ("put", "/api/v1/thinktanks/preventie/membership"),
             ("delete", "/api/v1/thinktanks/preventie/membership")]
EVERY = [*PROTECTED, ("get", "/api/v1/thinktanks"), ("get", "/api/v1/thinktanks/preventie")]


@pytest.mark.parametrize("method, path", PROTECTED)
def test_no_token_is_refused_with_a_bearer_challenge(client, thinktank, method, path):
    response = getattr(client, method)(path)
    assert_problem(response, 401, code="token_required")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="samen"'


@pytest.mark.parametrize("header", [
    "Bearer", "Bearer ", "Basic dXNlcjpwYXNzd29yZA==", "Token samen_abc", "samen_abc", "Bearer a=b",
    "Bearer samen_" + "x" * 300, "",
])
@pytest.mark.parametrize("method, path", EVERY)
def test_malformed_authorization_is_refused(client, thinktank, method, path, header):
    response = getattr(client, method)(path, headers={"Authorization": header})
    assert_problem(response, 401, code="invalid_token")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="samen", error="invalid_token"'


@pytest.mark.parametrize("method, path", EVERY)
def test_unknown_token_is_refused_even_where_none_is_needed(client, thinktank, token, method, path):
    response = getattr(client, method)(path, headers={"Authorization": f"Bearer {token}x"})
    assert_problem(response, 401, code="invalid_token")


def test_scheme_is_case_insensitive(client, token):
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_a_signed_in_browser_session_gives_no_access(client, auth, user):
    assert auth.login(user).status_code == 302
    assert_problem(client.get("/api/v1/me"), 401, code="token_required")


def test_changes_need_no_csrf_token(client, thinktank, bearer):
    # The API reads no cookies, so a forged cross-site request carries nothing that would let it in.
    assert client.put("/api/v1/thinktanks/preventie/membership", headers=bearer).status_code == 201
