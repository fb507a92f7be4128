"""Who may do what with action items and indicators in the API: every role against every operation.

Internal actions do not exist for those who may not see them (404): a stranger cannot learn that they exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops
from samen.thinktanks import operations as tt_ops

ROLES = ("anonymous", "non_member", "member", "owner", "chair", "other_chair", "admin")


@dataclass
class World:
    """A think tank with a public and an internal action, an adopted idea, indicators, and a user per role."""

    users: dict[str, Any]
    public: Any
    internal: Any
    idea: Any
    indicator: Any
    plan_indicator: Any


@pytest.fixture
def world(db, thinktank, chair, member, user, admin, idea, create_thinktank, make_member) -> World:
    """Return the world every access test runs in."""
    owner = make_member(thinktank, display_name="Eigenaar")
    other = create_thinktank(slug="nazorg")
    other_chair = make_member(other, display_name="Andere voorzitter")
    tt_ops.appoint_chair(other, other_chair)
    idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
    public = ops.create_action(thinktank, by=chair, title="Openbare actie", owner=owner.id)
    internal = ops.create_action(thinktank, by=chair, title="Interne actie", owner=owner.id, public=False)
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    plan_indicator = ops.create_indicator(by=admin, name="Inwoners geholpen")
    db.session.commit()
    users = {"anonymous": None, "non_member": user, "member": member, "owner": owner, "chair": chair,
             "other_chair": other_chair, "admin": admin}
    return World(users, public, internal, idea, indicator, plan_indicator)


@pytest.fixture
def call(client, create_token, world):
    """Return a function that makes a request as one of the roles and gives the answer (never a 500)."""
    tokens = {role: create_token(user) for role, user in world.users.items() if user is not None}

    def request(role: str, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
        response = getattr(client, method)(path, headers=headers, **kwargs)
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"
        return response
    return request


def statuses(*codes: Any) -> dict[str, Any]:
    """Return the expected status of each role, given in the order of ROLES."""
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes, strict=True))


MEASURE = {"json": {"date": "2026-01-01", "value": 3}}
UPDATE = {"json": {"body": "Verder."}}
CHANGE = {"json": {"progress": 30}}
# operation: method, path, request arguments, and the expected status for
#            anonymous, non-member, member, owner, chair, other chair, admin
OPERATIONS = {
    "show public": ("get", "/actions/{public}", {}, statuses(200, 200, 200, 200, 200, 200, 200)),
    "show internal": ("get", "/actions/{internal}", {}, statuses(404, 404, 200, 200, 200, 404, 200)),
    "change public": ("patch", "/actions/{public}", CHANGE, statuses(401, 403, 403, 403, 200, 403, 200)),
    "change internal": ("patch", "/actions/{internal}", CHANGE, statuses(401, 404, 403, 403, 200, 404, 200)),
    "update public": ("post", "/actions/{public}/updates", UPDATE,
                      statuses(401, 403, 403, 201, 201, 403, 201)),
    "update internal": ("post", "/actions/{internal}/updates", UPDATE,
                        statuses(401, 404, 403, 201, 201, 404, 201)),
    "create": ("post", "/actions", {"json": {"thinktank": "preventie", "title": "Nieuw"}},
               statuses(401, 403, 403, 403, 201, 403, 201)),
    "convert idea": ("post", "/ideas/{idea}/actions", {"json": {}},
                     statuses(401, 403, 403, 403, 201, 403, 201)),
    "measure think tank indicator": ("post", "/indicators/{indicator}/measurements", MEASURE,
                                     statuses(401, 403, 403, 403, 201, 403, 201)),
    "measure plan indicator": ("post", "/indicators/{plan_indicator}/measurements", MEASURE,
                               statuses(401, 403, 403, 403, 403, 403, 201)),
    "list indicators": ("get", "/indicators", {}, statuses(200, 200, 200, 200, 200, 200, 200)),
    "progress": ("get", "/progress", {}, statuses(200, 200, 200, 200, 200, 200, 200)),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_who_may_do_what(call, world, operation):
    method, path, kwargs, expected = OPERATIONS[operation]
    url = "/api/v1" + path.format(public=world.public.id, internal=world.internal.id, idea=world.idea.id,
                                  indicator=world.indicator.id, plan_indicator=world.plan_indicator.id)
    assert {role: call(role, method, url, **kwargs).status_code for role in ROLES} == expected


@pytest.mark.parametrize("query", ["", "?include=updates", "?thinktank=preventie", "?status=planned"])
def test_who_sees_internal_actions_in_the_list(call, world, query):
    seen = {}
    for role in ROLES:
        items = call(role, "get", f"/api/v1/actions{query}").get_json()["items"]
        seen[role] = sorted(item["title"] for item in items)
    both, public = ["Interne actie", "Openbare actie"], ["Openbare actie"]
    assert seen == statuses(public, public, both, both, both, public, both)


def test_refusals_change_nothing(call, world, db):
    """Whatever a role may not do leaves the action as it was."""
    url = f"/api/v1/actions/{world.internal.id}"
    for role in ("anonymous", "non_member", "member", "owner", "other_chair"):
        assert call(role, "patch", url, json={"title": "Gekaapt"}).status_code in (401, 403, 404)
        if role != "owner":
            response = call(role, "post", f"{url}/updates", json={"body": "Gekaapt"})
            assert response.status_code in (401, 403, 404)
    db.session.expire_all()
    action = ops.get_action(world.internal.id, viewer=world.users["admin"])
    assert action.title == "Interne actie" and ops.updates_of(action) == []


def test_hidden_from_strangers_everywhere(client, db, world):
    """An internal action's title, and its updates, appear nowhere a stranger can read."""
    ops.post_update(world.internal, by=world.users["owner"], body="Vertrouwelijke stand van zaken.")
    db.session.commit()
    for path in ("/api/v1/actions", "/api/v1/actions?include=updates", "/api/v1/progress",
                 "/api/v1/indicators", f"/api/v1/actions/{world.internal.id}"):
        text = client.get(path).get_data(as_text=True)
        assert "Interne actie" not in text and "Vertrouwelijke" not in text, path
