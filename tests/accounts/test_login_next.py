"""`next=` after signing in or registering goes to local paths only: no open redirect."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

UNSAFE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "///evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
]


def _login(client, csrf_token, user, target: str):
    token = csrf_token(client, "/login")
    data = {"email": user.email, "password": PASSWORD, "next": target, "csrf_token": token}
    return client.post("/login", data=data)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example",
                                    "/\t/evil.example"])
def test_an_unsafe_next_after_login_goes_home(client, csrf_token, user, target):
    response = _login(client, csrf_token, user, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/account", "/thinktanks/?page=2"])
def test_a_local_next_after_login_is_followed(client, csrf_token, user, target):
    assert _login(client, csrf_token, user, target).headers["Location"] == target


def test_no_unsafe_next_is_followed(client, auth, user):
    auth.login(user)  # a signed-in visitor of the login page is sent on to `next` at once
    for target in UNSAFE:
        response = client.get("/login", query_string={"next": target})
        assert response.headers["Location"] == "/", f"followed next={target!r}"


def test_a_next_after_registering_is_not_followed(client, csrf_token):
    password = "tulp-molen-kaas-42"
    path = "/register?next=%2F%2Fevil.example"
    data = {"email": "nieuw@example.org", "display_name": "Merel", "kind": "resident", "password": password,
            "confirm": password, "accept_terms": "y", "csrf_token": csrf_token(client, path)}
    response = client.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/sent"  # registering signs nobody in: no next to go to
