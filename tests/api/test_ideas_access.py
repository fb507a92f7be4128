"""Who may do what with ideas through the API: each role × each action, in an open and a closed think tank."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea, Report, Support
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.api.helpers import assert_problem
from tests.conftest import pinned, savepoint

pytestmark = pytest.mark.shared_database  # one world per kind of think tank, built once

ROLES = ("anonymous", "outsider", "pending", "member", "author", "chair", "admin")

# action: (method, path, body); {slug} and {id} are the think tank's and the idea's.
ACTIONS = {
    "list": ("get", "/thinktanks/{slug}/ideas", None),
    "show": ("get", "/ideas/{id}", None),
    "comments": ("get", "/ideas/{id}/comments", None),
    "post": ("post", "/thinktanks/{slug}/ideas", {"title": "Nog een idee"}),
    "edit": ("patch", "/ideas/{id}", {"title": "Anders"}),
    "withdraw": ("delete", "/ideas/{id}", None),
    "support": ("put", "/ideas/{id}/support", None),
    "unsupport": ("delete", "/ideas/{id}/support", None),
    "comment": ("post", "/ideas/{id}/comments", {"body": "Mee eens"}),
    "decide": ("post", "/ideas/{id}/status", {"status": "discussion", "answer": "We kijken ernaar."}),
    "report": ("post", "/ideas/{id}/reports", {"reason": "Reclame"}),
}

# The answer for each role, in the order of ROLES, in an open think tank.
OPEN = {
    "list": (200, 200, 200, 200, 200, 200, 200),
    "show": (200, 200, 200, 200, 200, 200, 200),
    "comments": (200, 200, 200, 200, 200, 200, 200),
    "post": (401, 403, 403, 201, 201, 201, 403),
    "edit": (401, 403, 403, 403, 200, 403, 403),
    "withdraw": (401, 403, 403, 403, 204, 403, 403),
    "support": (401, 403, 403, 200, 200, 200, 403),
    "unsupport": (401, 200, 200, 200, 200, 200, 200),  # nothing to withdraw is fine
    "comment": (401, 403, 403, 201, 201, 201, 403),
    "decide": (401, 403, 403, 403, 403, 200, 200),
    "report": (401, 403, 403, 201, 201, 201, 403),
}
# In a think tank that needs approval, only its members and admins see the ideas; the rest is as above. The list
# and posting belong to the think tank, which everyone knows: 401 without a token, 403 with one. An idea there
# does not exist for anyone else (404, as for an unknown number); without a token, what needs one is 401 first.
_THINKTANK_ACTIONS = ("list", "post")
_READS = ("show", "comments")


def _closed(action: str, role: str, status: int) -> int:
    if role not in ("anonymous", "outsider", "pending"):
        return status
    if action in _THINKTANK_ACTIONS:
        return 401 if role == "anonymous" else 403
    return 401 if role == "anonymous" and action not in _READS else 404


CLOSED = {action: tuple(_closed(action, role, status) for role, status in zip(ROLES, answers, strict=True))
          for action, answers in OPEN.items()}

# The code of each refusal, where it says more than the status.
CODES = {
    (401, None): "token_required",
    (404, None): "not_found",
    (403, "closed"): "members_only",
    (403, "post"): "not_member", (403, "support"): "not_member", (403, "comment"): "not_member",
    (403, "report"): "not_member", (403, "edit"): "not_author", (403, "withdraw"): "not_author",
    (403, "decide"): "not_chair",
}


@pytest.fixture(scope="module", params=["open", "approval"])
def world_ids(request, app, module_connection):
    """Build, once for the module's tests, a think tank (open or needing approval) with an idea and a user for
    each role; return their ids. Undone when the tests of this kind of think tank are done."""
    with savepoint(module_connection), pinned(app, module_connection) as db:
        thinktank = tt_ops.create_thinktank({"slug": "aanbod", "name": "Aanbod", "join_policy": request.param})
        users = {role: account_ops.create_user(email=f"{role}@example.org", display_name=role.title(),
                                               password_hash="!unusable", is_admin=role == "admin")
                 for role in ROLES if role != "anonymous"}
        for role in ("pending", "member", "author"):
            membership = tt_ops.join_thinktank(thinktank, users[role])
            if role != "pending" and membership.status == "pending":
                tt_ops.decide_membership(membership, approve=True)
        if thinktank.is_open:  # an open think tank has no waiting list: make the request wait by hand
            tt_ops.membership_of(thinktank, users["pending"]).status = "pending"
        tt_ops.appoint_chair(thinktank, users["chair"])
        idea = ops.create_idea(thinktank, author=users["author"], title="Het idee")
        ops.add_comment(idea, author=users["member"], body="Eerste reactie")
        db.session.commit()
        ids = SimpleNamespace(thinktank=thinktank.id, idea=idea.id, closed=not thinktank.is_open,
                              users={role: user.id for role, user in users.items()})
        yield ids


@pytest.fixture
def world(world_ids, db):
    """Return the module's think tank, idea and users, loaded in this test's session."""
    return SimpleNamespace(thinktank=db.session.get(ThinkTank, world_ids.thinktank),
                           idea=db.session.get(Idea, world_ids.idea), closed=world_ids.closed,
                           users={role: db.session.get(User, id_) for role, id_ in world_ids.users.items()})


def snapshot(db, idea_id):
    """Return what the actions change, as the database has it."""
    db.session.expire_all()
    idea = db.session.get(Idea, idea_id)

    def total(model):
        return db.session.scalar(select(func.count()).select_from(model))
    return (idea.title, idea.status, idea.withdrawn_at,
            total(Idea), total(Support), total(Comment), total(Report))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_access(client, db, world, create_token, action, role):
    _check_access(client, db, world, create_token, action, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["support", "unsupport"])
def test_access_with_a_minimal_answer(client, db, world, create_token, action, role):
    """`Prefer: return=minimal` reads less to answer; it lets through and refuses exactly whom the full answer
    does, with the same codes, and answers 204 where that answers 200."""
    response = _check_access(client, db, world, create_token, action, role, prefer="return=minimal")
    if response.status_code == 204:
        assert response.get_data() == b""
        assert response.headers["Preference-Applied"] == "return=minimal"


def _check_access(client, db, world, create_token, action, role, *, prefer=None):
    method, path, body = ACTIONS[action]
    url = "/api/v1" + path.format(slug=world.thinktank.slug, id=world.idea.id)
    expected = (CLOSED if world.closed else OPEN)[action][ROLES.index(role)]
    if prefer and expected == 200:
        expected = 204
    before = snapshot(db, world.idea.id)
    kwargs = {"json": body} if body is not None else {}
    headers = {"Authorization": f"Bearer {create_token(world.users[role])}"} if role != "anonymous" else {}
    if prefer:
        headers["Prefer"] = prefer
    response = getattr(client, method)(url, headers=headers, **kwargs)
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        refused_for_reading = world.closed and role in ("anonymous", "outsider", "pending")
        reason = "closed" if refused_for_reading else action
        code = CODES.get((expected, None)) or CODES.get((expected, reason))
        assert_problem(response, expected, code=code)
        assert snapshot(db, world.idea.id) == before  # a refusal changes nothing
    return response


def test_a_wrong_token_is_refused_even_where_none_is_needed(client, world):
    bad = {"Authorization": "Bearer samen_not-a-token"}
    for path in (f"/api/v1/thinktanks/{world.thinktank.slug}/ideas", f"/api/v1/ideas/{world.idea.id}"):
        assert_problem(client.get(path, headers=bad), 401, code="invalid_token")
