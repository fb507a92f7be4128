"""Every admin page, GET and POST, against every role: only site admins get in."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts.models import User
from samen.core.database import db
from samen.thinktanks.models import Plan, ThinkTank
from tests.thinktanks.support import ROLES, World


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    admin_status: int = 200


def _tt(w: World) -> str:
    return f"/admin/thinktanks/{w.thinktank.slug}"


ROUTES = [
    Route("index", "GET", lambda w: "/admin/"),
    Route("plan form", "GET", lambda w: "/admin/plan"),
    Route("save plan", "POST", lambda w: "/admin/plan",
          lambda w: {"title": "Overgenomen", "municipality": "Nijkerk"}, 302),
    Route("new think tank form", "GET", lambda w: "/admin/thinktanks/new"),
    Route("create think tank", "POST", lambda w: "/admin/thinktanks/new",
          lambda w: {"name": "Overgenomen", "slug": "overgenomen", "join_policy": "open"}, 302),
    Route("edit think tank form", "GET", _tt),
    Route("save think tank", "POST", _tt,
          lambda w: {"name": "Overgenomen", "slug": w.thinktank.slug, "join_policy": "open"}, 302),
    Route("archive", "POST", lambda w: f"{_tt(w)}/archive", admin_status=302),
    Route("restore", "POST", lambda w: f"{_tt(w)}/restore", admin_status=302),
    Route("appoint chair", "POST", lambda w: f"{_tt(w)}/chairs",
          lambda w: {"email": w.user("resident").email}, 302),
    Route("dismiss chair", "POST", lambda w: f"{_tt(w)}/chairs/{w.user('chair').id}/dismiss",
          admin_status=302),
    Route("users", "GET", lambda w: "/admin/users"),
    Route("grant admin", "POST", lambda w: f"/admin/users/{w.user('resident').id}/grant", admin_status=302),
    Route("revoke admin", "POST", lambda w: f"/admin/users/{w.user('chair').id}/revoke", admin_status=302),
    Route("user page", "GET", lambda w: f"/admin/users/{w.user('resident').id}"),
    Route("suspend", "POST", lambda w: f"/admin/users/{w.user('resident').id}/suspend",
          lambda w: {"reason": "Overgenomen"}, 302),
    Route("reinstate", "POST", lambda w: f"/admin/users/{w.user('resident').id}/reinstate", admin_status=302),
    Route("audit log", "GET", lambda w: "/admin/audit"),
    Route("audit log, filtered", "GET", lambda w: "/admin/audit?action=idea.status&actor=rol&since=2026-01-01"),
]


def _state(world: World) -> tuple:
    """Return what the admin POSTs could change."""
    db.session.expire_all()
    return (
        db.session.scalars(select(Plan.title)).all(),
        db.session.execute(select(ThinkTank.slug, ThinkTank.name, ThinkTank.archived_at)
                           .order_by(ThinkTank.id)).all(),
        db.session.execute(select(User.id, User.is_admin, User.suspended_at).order_by(User.id)).all(),
        sorted((m.user_id, m.role, m.status) for m in world.thinktank.memberships),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_access(client, auth, world, route, role):
    """Admins get the page or their change; anonymous visitors must sign in; everybody else gets 403."""
    if role != "anonymous":
        auth.login(world.user(role))
    before = _state(world)
    path = route.path(world)
    response = client.get(path) if route.method == "GET" else auth.post(path, route.data(world))
    if role == "admin":
        assert response.status_code == route.admin_status
        if route.admin_status == 302:
            assert not response.headers["Location"].startswith("/login")
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403
    assert _state(world) == before


def test_admin_link_is_shown_to_admins_only(client, auth, world):
    assert "/admin/" not in client.get("/").get_data(as_text=True)
    auth.login(world.user("chair"))
    assert "/admin/" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(world.user("admin"))
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/thinktanks/nope", "/admin/users/999999/grant", "/admin/users/999999",
                                  "/admin/users/999999/suspend", "/admin/users/999999/reinstate"])
def test_unknown_objects_are_404_for_admins(client, auth, admin, path):
    auth.login(admin)
    response = client.get(path) if not path.endswith(("grant", "suspend", "reinstate")) else auth.post(path)
    assert response.status_code == 404
