"""core/security.py: the headers on every response, and which redirect targets are safe."""
from __future__ import annotations

import pytest

from samen.core.security import is_safe_next


def assert_security_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    csp = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp.get("frame-ancestors") == ["'none'"] or response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}


@pytest.mark.parametrize("path, status, mimetype", [
    ("/", 200, "text/html"),
    ("/login", 200, "text/html"),
    ("/no-such-page", 404, "text/html"),
    ("/healthz", 200, "application/json"),
    ("/api/v1/no-such-thing", 404, "application/problem+json"),
])
def test_every_response_carries_the_security_headers(client, path, status, mimetype):
    response = client.get(path)
    assert (response.status_code, response.mimetype) == (status, mimetype)
    assert_security_headers(response)


def test_a_post_error_carries_them_too(client):
    response = client.post("/login", data={"email": "x@example.org", "password": "x"})  # no CSRF token
    assert response.status_code == 400
    assert_security_headers(response)


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("target", [
    "/",
    "/thinktanks/preventie",
    "/thinktanks/?page=2",
    "/account#taal",
    "/%2F%2Fevil.example",  # an encoded slash stays part of the path
])
def test_local_paths_are_safe(target):
    assert is_safe_next(target)


@pytest.mark.parametrize("target", [
    None,
    "",
    "thinktanks",  # relative: depends on where you are
    "https://evil.example/",
    "http://localhost/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",  # browsers drop tabs and newlines: this would be //evil.example
    "/\n/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " /thinktanks",
    "https:/evil.example",
])
def test_anything_that_could_leave_the_site_is_not(target):
    assert not is_safe_next(target)


def _connect_src(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "connect-src")


def test_scripts_connect_to_the_site_itself_only(client):
    """connect-src: the site's own origin (BASE_URL, http://localhost in the tests), over http and WebSocket,
    never any WebSocket host (`ws:`, `wss:`)."""
    assert _connect_src(client.get("/")) == ["'self'", "http://localhost", "ws://localhost"]


def test_the_websocket_origin_follows_base_url_and_the_socketio_origins(database_url):
    from samen import create_app
    from tests.conftest import make_config

    app = create_app(make_config(database_url, BASE_URL="https://samen.nijkerk.nl/",
                                 SOCKETIO_CORS_ALLOWED_ORIGINS=["https://www.samen.nijkerk.nl"]))
    sources = _connect_src(app.test_client().get("/healthz", base_url="https://samen.nijkerk.nl"))
    assert sources == ["'self'", "https://samen.nijkerk.nl", "wss://samen.nijkerk.nl",
                       "https://www.samen.nijkerk.nl", "wss://www.samen.nijkerk.nl"]
    assert not {"ws:", "wss:", "*", "http:", "https:"} & set(sources)
