"""Who may change and call off a plenary: admins and its own organiser — not every chair of some think tank, nor
members; calling it off keeps it as a record and tells the registered. Each role against each route."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from samen.meetings import access
from samen.meetings import operations as ops
from samen.meetings.models import Meeting
from samen.notifications.models import Notification
from samen.thinktanks import operations as tt_ops
from tests.meetings.conftest import soon

FORM = {"title": "Plenaire avond", "starts_at": soon(10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (soon(10) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "location": "Raadzaal",
        "visibility": "members"}
# role: (open the edit page, save it, call the plenary off); login: sent to sign in first.
EXPECTED = {
    "anonymous": ("login", "login", "login"),
    "member": ("403", "403", "403"),
    "other_chair": ("403", "403", "403"),
    "organiser": ("200", "302", "302"),
    "admin": ("200", "302", "302"),
}


@pytest.fixture(autouse=True)
def english(client):
    """Show pages in English."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def plenary_world(db, create_user, create_thinktank):
    """A members-only plenary planned by the chair of one think tank, someone registered for it, and a person of
    every role."""
    one, two = create_thinktank(), create_thinktank()
    people = {"member": create_user(), "other_chair": create_user(), "organiser": create_user(),
              "admin": create_user(is_admin=True)}
    tt_ops.join_thinktank(two, people["member"])
    tt_ops.appoint_chair(one, people["organiser"])
    tt_ops.appoint_chair(two, people["other_chair"])
    plenary = ops.create_meeting(None, by=people["organiser"], title="Plenaire avond", starts_at=soon(10),
                                 ends_at=soon(10) + timedelta(hours=2), location="Raadzaal", public=False)
    ops.register(plenary, people["member"])  # a member of another think tank: members-only means any think tank
    db.session.commit()
    return plenary, people


def _outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    return str(response.status_code)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_who_changes_and_calls_off_a_plenary(client, auth, db, plenary_world, role):
    plenary, people = plenary_world
    if role != "anonymous":
        auth.login(people[role])
    got = (_outcome(client.get(f"/meetings/{plenary.id}/edit")),
           _outcome(auth.post(f"/meetings/{plenary.id}/edit", {**FORM, "title": "Andere titel"})),
           _outcome(auth.post(f"/meetings/{plenary.id}/cancel")))
    assert got == EXPECTED[role]
    db.session.expire_all()
    stored = db.session.get(Meeting, plenary.id)
    assert stored is not None  # never deleted
    if EXPECTED[role][2] == "302":
        assert stored.title == "Andere titel" and stored.state == "cancelled"
        notices = db.session.scalars(select(Notification.user_id).where(Notification.kind == "meeting.cancelled"))
        assert list(notices) == [people["member"].id]
        page = client.get(f"/meetings/{plenary.id}").get_data(as_text=True)
        assert "This meeting is cancelled." in page and "Edit meeting" not in page
        assert b"STATUS:CANCELLED" in client.get(f"/meetings/{plenary.id}.ics").data
    else:
        assert stored.title == "Plenaire avond" and stored.state == "scheduled"
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "meeting.cancelled")) == 0


def test_the_rule_is_the_same_in_the_operations_and_the_live_board(db, plenary_world):
    plenary, people = plenary_world
    for role, person in people.items():
        viewer = ops.viewer_of(person, [plenary.id])
        assert ops.may_chair(plenary, viewer) == access.can_chair(plenary, person) == (role in ("organiser", "admin"))
        assert ops.may_view(plenary, viewer) and ops.may_register(plenary, viewer)  # members of any think tank
