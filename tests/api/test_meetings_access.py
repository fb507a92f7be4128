"""Who may do what with meetings in the API: every role against every operation; a refusal stores nothing.

Members-only meetings do not exist for those who may not see them (404): a stranger cannot learn that they exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.core.database import utcnow
from samen.meetings import operations as ops
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.thinktanks import operations as tt_ops

ROLES = ("anonymous", "non_member", "member", "chair", "other_chair", "admin")
START = (utcnow() + timedelta(days=7)).replace(microsecond=0)


@dataclass
class World:
    """A think tank with a public meeting, a members-only one and a members-only plenary, and a user per role."""

    users: dict[str, Any]
    public: Meeting
    private: Meeting
    pprivate: Meeting


@pytest.fixture
def world(db, thinktank, chair, member, user, admin, create_thinktank, make_member) -> World:
    """Return the world every access test runs in."""
    other = create_thinktank(slug="nazorg")
    other_chair = make_member(other, display_name="Andere voorzitter")
    tt_ops.appoint_chair(other, other_chair)

    def plan(target: Any, title: str, public: bool) -> Meeting:
        return ops.create_meeting(target, by=chair, title=title, starts_at=START, ends_at=START + timedelta(hours=2),
                                  location="Hal", public=public)
    world = World({"anonymous": None, "non_member": user, "member": member, "chair": chair,
                   "other_chair": other_chair, "admin": admin},
                  plan(thinktank, "Open avond", True), plan(thinktank, "Besloten avond", False),
                  plan(None, "Besloten plenaire avond", False))
    db.session.commit()
    return world


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


NEW = {"json": {"title": "Nieuw", "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat(),
                "location": "Hal"}}
# operation: method, path, request arguments, and the expected status for
#            anonymous, non-member, member, chair, other chair, admin
OPERATIONS = {
    "show public": ("get", "/meetings/{public}", {}, statuses(200, 200, 200, 200, 200, 200)),
    "show private": ("get", "/meetings/{private}", {}, statuses(404, 404, 200, 200, 404, 200)),
    "show private plenary": ("get", "/meetings/{pprivate}", {}, statuses(404, 404, 200, 200, 200, 200)),
    "list": ("get", "/thinktanks/preventie/meetings", {}, statuses(200, 200, 200, 200, 200, 200)),
    "create": ("post", "/thinktanks/preventie/meetings", NEW, statuses(401, 403, 403, 201, 403, 201)),
    "create plenary": ("post", "/meetings", NEW, statuses(401, 403, 403, 201, 201, 201)),
    "register public": ("put", "/meetings/{public}/registration", {}, statuses(401, 201, 201, 201, 201, 201)),
    "register private": ("put", "/meetings/{private}/registration", {}, statuses(401, 404, 201, 201, 404, 201)),
    "register private plenary": ("put", "/meetings/{pprivate}/registration", {},
                                 statuses(401, 404, 201, 201, 201, 201)),
    "unregister public": ("delete", "/meetings/{public}/registration", {}, statuses(401, 204, 204, 204, 204, 204)),
    "unregister private": ("delete", "/meetings/{private}/registration", {},
                           statuses(401, 404, 204, 204, 404, 204)),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_who_may_do_what(call, world, operation):
    method, path, kwargs, expected = OPERATIONS[operation]
    url = "/api/v1" + path.format(public=world.public.id, private=world.private.id, pprivate=world.pprivate.id)
    assert {role: call(role, method, url, **kwargs).status_code for role in ROLES} == expected


def test_who_sees_members_only_meetings_in_the_lists(call, world):
    seen = {}
    for role in ROLES:
        items = call(role, "get", "/api/v1/meetings").get_json()["items"]
        seen[role] = sorted(item["title"] for item in items)
    everything = ["Besloten avond", "Besloten plenaire avond", "Open avond"]
    assert seen == statuses(["Open avond"], ["Open avond"], everything, everything,
                            ["Besloten plenaire avond", "Open avond"], everything)


def test_refusals_store_nothing(call, world, db):
    def counts() -> tuple[int, ...]:
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Meeting, AgendaItem, Registration))
    before = counts()
    for role in ("anonymous", "non_member", "member", "other_chair"):
        call(role, "post", "/api/v1/thinktanks/preventie/meetings", **NEW)
        if role != "member":
            call(role, "put", f"/api/v1/meetings/{world.private.id}/registration")
    assert counts() == before


def test_members_only_meetings_appear_nowhere_for_strangers(client, db, world):
    for path in ("/api/v1/meetings", "/api/v1/meetings?when=all", "/api/v1/thinktanks/preventie/meetings?when=all",
                 f"/api/v1/meetings/{world.private.id}"):
        assert "Besloten" not in client.get(path).get_data(as_text=True), path
