"""Every error of the API is application/problem+json: bad bodies, wrong methods, unknown addresses."""
from __future__ import annotations

import pytest

from tests.api.helpers import assert_problem

TOKENS = "/api/v1/tokens"


@pytest.mark.parametrize("data", [
    b"", b"{", b"{'email': 'a'}", b'{"email": "a",}', b"\xff\xfe\x00garbage", b"NaN-ish",
    b"[" * 100_000,  # nested deeper than the parser's stack
], ids=["empty", "unclosed", "single-quotes", "trailing-comma", "not-utf8", "not-json", "deeply-nested"])
def test_malformed_json_is_a_400(client, db, data):
    response = client.post(TOKENS, data=data, content_type="application/json")
    assert_problem(response, 400, code="invalid_json")


@pytest.mark.parametrize("data", [b"[]", b'"email"', b"null", b"42", b"true", b'[{"email": "a"}]'])
def test_a_body_that_is_not_an_object_is_a_400(client, db, data):
    assert_problem(client.post(TOKENS, data=data, content_type="application/json"), 400, code="invalid_json")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_a_415(client, db, content_type):
    response = client.post(TOKENS, data="email=a@example.org&password=x", content_type=content_type)
    assert_problem(response, 415, code="unsupported_media_type")


def test_a_body_that_is_too_large_is_a_413(client, app, db):
    data = b'{"email": "' + b"a" * app.config["MAX_CONTENT_LENGTH"] + b'"}'
    assert_problem(client.post(TOKENS, data=data, content_type="application/json"), 413)


@pytest.mark.parametrize("method, path, allowed", [
    ("post", "/api/v1/me", {"GET"}),
    ("put", "/api/v1/tokens", {"GET", "POST"}),
    ("delete", "/api/v1/thinktanks", {"GET"}),
    ("post", "/api/v1/thinktanks/preventie/membership", {"PUT", "DELETE"}),
    ("put", "/api/v1/openapi.json", {"GET"}),
])
def test_wrong_method_is_a_405_that_says_what_is_allowed(client, db, method, path, allowed):
    response = getattr(client, method)(path)
    assert_problem(response, 405)
    assert allowed <= {name.strip() for name in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/thinktanks/preventie/ideas/1", "/api/v1/",
                                  "/api/v1/thinktanks/", "/api/v2/thinktanks"])
def test_unknown_address_is_a_404_problem(client, db, path):
    assert_problem(client.get(path), 404)
