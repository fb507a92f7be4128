"""One chair rule: the programme coordinator may do, in every think tank and for the plan, what chairs do; a
plain member and an outsider may not. Over roles × actions, in Python, in SQL and on the website."""
from __future__ import annotations

from typing import Any

import pytest
from flask import g

from samen.actions import operations as action_ops
from samen.core.database import db
from samen.ideas import operations as idea_ops
from samen.meetings import access
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Meeting
from samen.thinktanks import permissions
from samen.thinktanks.operations import membership_of

pytestmark = pytest.mark.database

ROLES = ("coordinator", "chair", "member", "outsider")
# What each role may do: the chair in its own think tank only; plan-wide work and a plenary someone else planned
# belong to whoever chairs the whole plan.
EXPECTED = {
    "chair the think tank": {"coordinator", "chair"},
    "see its members": {"coordinator", "chair", "member"},
    "manage its actions": {"coordinator", "chair"},
    "manage plan-wide actions": {"coordinator"},
    "moderate its ideas": {"coordinator", "chair"},
    "chair its meeting (live)": {"coordinator", "chair"},
    "chair its meeting (plans)": {"coordinator", "chair"},
    "chair a plenary planned by another": {"coordinator"},
    "participate in its meeting (SQL)": {"coordinator", "chair", "member"},
}


def _answers(user: Any, thinktank: Any, meeting: Meeting, plenary: Meeting) -> dict[str, bool]:
    g.pop("samen_plan_roles", None)
    membership = membership_of(thinktank, user)
    viewer = meeting_ops.viewer_of(user)
    participants = set(db.session.scalars(access.participant_ids(meeting, [user.id])))
    return {
        "chair the think tank": permissions.can_chair(user, membership),
        "see its members": permissions.can_see_members(user, membership),
        "manage its actions": action_ops.can_manage(thinktank, user),
        "manage plan-wide actions": action_ops.can_manage(None, user),
        "moderate its ideas": idea_ops.can_moderate(thinktank, user),
        "chair its meeting (live)": access.can_chair(meeting, user),
        "chair its meeting (plans)": meeting_ops.may_chair(meeting, viewer),
        "chair a plenary planned by another": access.can_chair(plenary, user) and meeting_ops.may_chair(plenary,
                                                                                                         viewer),
        "participate in its meeting (SQL)": user.id in participants,
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_coordinator_acts_as_chair_everywhere_and_a_member_does_not(
        app: Any, db: Any, people: dict[str, Any], thinktank: Any, admin: Any, chair: Any, create_meeting: Any,
        role: str) -> None:
    meeting = create_meeting(thinktank)
    plenary = create_meeting(None, by=admin, title="Startavond")
    with app.test_request_context():
        answers = _answers(people[role], thinktank, meeting, plenary)
    assert {what for what, allowed in answers.items() if allowed} == {
        what for what, roles in EXPECTED.items() if role in roles}


@pytest.mark.parametrize("role", ROLES)
def test_the_sql_form_of_a_meeting_role_agrees(app: Any, db: Any, people: dict[str, Any], thinktank: Any,
                                               create_meeting: Any, role: str) -> None:
    meeting = create_meeting(thinktank)
    user = people[role]
    with app.test_request_context():
        found, role_at = access.meeting_with_role(meeting.id, user)
        assert found is not None
        assert role_at == access.role_in(meeting, user)
        assert (role_at == access.CHAIR) == (role in EXPECTED["chair its meeting (live)"])


PAGES = [  # (what, method, path) — a chair's pages of the think tank
    ("the moderation page", "get", "/thinktanks/{slug}/moderation"),
    ("a new action item", "get", "/actions/new?thinktank={slug}"),
    ("the member list", "get", "/thinktanks/{slug}/members"),
    ("a new meeting", "get", "/meetings/new?thinktank={slug}"),
    ("a new plan-wide action item", "get", "/actions/new?plan=1"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what,method,path", PAGES)
def test_the_chairs_pages_open_for_the_coordinator(auth: Any, client: Any, people: dict[str, Any], thinktank: Any,
                                                   role: str, what: str, method: str, path: str) -> None:
    auth.login(people[role])
    response = getattr(client, method)(path.format(slug=thinktank.slug))
    allowed = role == "coordinator" or (role == "chair" and "plan-wide" not in what) or (
        role == "member" and what == "the member list")
    assert (response.status_code == 200) == allowed, (what, response.status_code)
    if not allowed:
        assert response.status_code == 403
