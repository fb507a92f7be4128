"""Who may see and do what on the think-tank pages: every role against every route."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from samen.core.database import db
from samen.thinktanks.models import Membership
from tests.thinktanks.support import ROLES, World

LOGIN = "login"  # expected: a redirect to the sign-in page


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int | str]


def _only(allowed: int, roles: tuple[str, ...]) -> dict[str, int | str]:
    """Anonymous visitors are sent to sign in, `roles` get `allowed`, everybody else 403."""
    return {role: LOGIN if role == "anonymous" else allowed if role in roles else 403 for role in ROLES}


def _requests(w: World) -> str:
    return f"/thinktanks/{w.thinktank.slug}/requests"


ROUTES = [
    Route("think tank page", "GET", lambda w: f"/thinktanks/{w.thinktank.slug}",
          dict.fromkeys(ROLES, 200)),
    Route("members page", "GET", lambda w: f"/thinktanks/{w.thinktank.slug}/members",
          _only(200, ("member", "chair", "admin"))),
    Route("approve request", "POST", lambda w: f"{_requests(w)}/{w.request.id}/approve",
          _only(302, ("chair", "admin"))),
    Route("reject request", "POST", lambda w: f"{_requests(w)}/{w.request.id}/reject",
          _only(302, ("chair", "admin"))),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_access(client, auth, world, route, role):
    """Answer each role on each route with the expected status, and change nothing when refused."""
    if role != "anonymous":
        auth.login(world.user(role))
    path = route.path(world)
    response = client.get(path) if route.method == "GET" else auth.post(path)
    expected = route.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected
    if route.method == "POST" and expected != 302:
        assert db.session.get(Membership, world.request.id).status == "pending"


@pytest.mark.parametrize("path", ["/thinktanks/nope", "/thinktanks/nope/members"])
def test_unknown_think_tank_is_404(client, auth, admin, path):
    auth.login(admin)
    assert client.get(path).status_code == 404


def test_request_of_another_think_tank_is_404(client, auth, world):
    """A chair cannot decide another think tank's request through the URL of their own think tank."""
    auth.login(world.user("other_chair"))
    response = auth.post(f"/thinktanks/{world.other.slug}/requests/{world.request.id}/approve")
    assert response.status_code == 404
    assert db.session.get(Membership, world.request.id).status == "pending"


def test_unknown_request_is_404(client, auth, world):
    auth.login(world.user("chair"))
    assert auth.post(f"/thinktanks/{world.thinktank.slug}/requests/999999/approve").status_code == 404
