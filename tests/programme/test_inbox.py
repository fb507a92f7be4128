"""The plan's inbox: ideas of a plenary without a think tank wait there; the plenary's chair or the coordinator
assigns them (one, or several at once); the authors are told; a plenary decision makes a plan-wide action."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.actions.models import ActionItem
from samen.core.errors import Forbidden
from samen.ideas.models import Idea
from samen.meetings import live
from samen.meetings.models import MeetingIdea
from samen.notifications.models import Notification
from samen.programme import inbox
from samen.programme.models import InboxIdea
from tests.conftest import speak

pytestmark = pytest.mark.database


@pytest.fixture
def kickoff(db: Any, admin: Any, create_meeting: Any) -> Any:
    """Return a live kick-off plenary (planned by an admin) with an open idea round on an item without ideas."""
    meeting = create_meeting(None, by=admin, title="Startavond", agenda=[{"title": "Wat speelt er?"}])
    live.open_meeting(meeting, admin)
    live.open_round(meeting, admin)
    db.session.commit()
    return meeting


@pytest.fixture
def submitted(db: Any, kickoff: Any, member: Any, make_member: Any, thinktank: Any) -> list[InboxIdea]:
    """Return three ideas two participants submitted at the kick-off."""
    other = make_member(thinktank, display_name="Tweede deelnemer")
    for user, title in ((member, "Meer straatcoaches"), (other, "Een inloop voor ouders"), (member, "Buurtapp")):
        result = live.submit_idea(kickoff, user, title, "Uitleg")
        assert "inbox" in result.ack
    db.session.commit()
    return list(db.session.scalars(select(InboxIdea).order_by(InboxIdea.id)))


def test_plenary_ideas_without_a_think_tank_go_to_the_inbox(db: Any, submitted: list[InboxIdea], member: Any,
                                                            kickoff: Any) -> None:
    assert [item.title for item in submitted] == ["Meer straatcoaches", "Een inloop voor ouders", "Buurtapp"]
    assert all(item.meeting_id == kickoff.id and not item.is_assigned for item in submitted)
    assert db.session.scalar(select(Idea).where(Idea.title == "Buurtapp")) is None


@pytest.mark.parametrize("role", ["admin", "coordinator", "organiser", "chair", "member"])
def test_who_may_assign(app: Any, db: Any, submitted: list[InboxIdea], thinktank: Any, admin: Any,
                        coordinator: Any, chair: Any, member: Any, role: str) -> None:
    user = {"admin": admin, "coordinator": coordinator, "organiser": admin, "chair": chair, "member": member}[role]
    with app.test_request_context():
        if role in ("chair", "member"):
            with pytest.raises(Forbidden):
                inbox.assign(submitted[:1], thinktank, by=user)
            assert inbox.waiting_for(user) == []
        else:
            assert len(inbox.waiting_for(user)) == 3
            assert inbox.assign(submitted[:1], thinktank, by=user)[0].thinktank_id == thinktank.id


@pytest.mark.parametrize("language,heading", [("nl", "Ideeën uit plenaire bijeenkomsten"),
                                               ("en", "Ideas from plenary meetings")])
def test_the_coordinator_assigns_one_then_several_and_the_authors_are_told(
        auth: Any, client: Any, db: Any, submitted: list[InboxIdea], thinktank: Any, create_thinktank: Any,
        coordinator: Any, member: Any, language: str, heading: str) -> None:
    care = create_thinktank(name="Zorg", slug="zorg")
    auth.login(coordinator)
    speak(client, language)
    page = client.get("/programme/inbox").get_data(as_text=True)
    assert heading in page and "Meer straatcoaches" in page
    first = submitted[0]
    response = auth.post(f"/programme/inbox/{first.id}/assign", {f"idea-{first.id}-thinktank": thinktank.slug})
    assert response.status_code == 302
    db.session.expire_all()
    idea = db.session.get(Idea, first.idea_id)
    assert idea.thinktank_id == thinktank.id and idea.author_id == member.id and idea.title == first.title
    assert db.session.get(MeetingIdea, idea.id).meeting_id == first.meeting_id
    response = auth.post("/programme/inbox/assign", {"ideas": [str(submitted[1].id), str(submitted[2].id)],
                                                     "thinktank": care.slug})
    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(InboxIdea, item.id).thinktank_id for item in submitted[1:]} == {care.id}
    told = list(db.session.scalars(select(Notification).where(Notification.kind == inbox.NOTIFICATION)))
    assert sorted(n.data["thinktank"] for n in told) == sorted([thinktank.name, "Zorg", "Zorg"])
    assert {n.user_id for n in told} == {member.id, submitted[1].author_id}
    auth.logout()
    auth.login(member)
    speak(client, language)
    text = client.get("/notifications").get_data(as_text=True)
    assert "Meer straatcoaches" in text
    auth.logout()
    auth.login(coordinator)
    page = client.get("/programme/inbox").get_data(as_text=True)
    assert "Buurtapp" in page  # among those assigned lately


def test_assigning_twice_or_to_nothing_is_a_form_error(auth: Any, client: Any, db: Any,
                                                       submitted: list[InboxIdea], thinktank: Any,
                                                       coordinator: Any) -> None:
    auth.login(coordinator)
    first = submitted[0]
    assert auth.post(f"/programme/inbox/{first.id}/assign", {f"idea-{first.id}-thinktank": ""}).status_code == 422
    assert auth.post("/programme/inbox/assign", {"thinktank": thinktank.slug}).status_code == 422
    assert auth.post("/programme/inbox/assign", {"ideas": ["999999"], "thinktank": thinktank.slug}
                     ).status_code == 422
    auth.post(f"/programme/inbox/{first.id}/assign", {f"idea-{first.id}-thinktank": thinktank.slug})
    assert auth.post(f"/programme/inbox/{first.id}/assign", {f"idea-{first.id}-thinktank": thinktank.slug}
                     ).status_code in (409, 422)


def test_a_member_cannot_assign(auth: Any, client: Any, submitted: list[InboxIdea], thinktank: Any,
                                member: Any) -> None:
    auth.login(member)
    assert "Meer straatcoaches" not in client.get("/programme/inbox").get_data(as_text=True)
    first = submitted[0]
    assert auth.post(f"/programme/inbox/{first.id}/assign", {f"idea-{first.id}-thinktank": thinktank.slug}
                     ).status_code == 403


def test_a_plenary_decision_makes_a_plan_wide_action(app: Any, db: Any, kickoff: Any, admin: Any) -> None:
    with app.test_request_context():
        result = live.record_decision(kickoff, admin, "We starten een campagne.", {"title": "Campagne"})
    db.session.commit()
    assert result.version
    action = db.session.scalar(select(ActionItem).where(ActionItem.title == "Campagne"))
    assert action is not None and action.thinktank_id is None and action.decision == "We starten een campagne."


def test_the_api_lists_and_assigns_the_inbox(client: Any, db: Any, submitted: list[InboxIdea], thinktank: Any,
                                            coordinator: Any, member: Any, create_token: Any) -> None:
    as_coordinator = {"Authorization": f"Bearer {create_token(coordinator)}"}
    as_member = {"Authorization": f"Bearer {create_token(member)}"}
    items = client.get("/api/v1/inbox", headers=as_coordinator).get_json()["items"]
    assert [item["title"] for item in items] == [item.title for item in submitted]
    assert client.get("/api/v1/inbox", headers=as_member).get_json()["items"] == []
    assert client.get("/api/v1/inbox").status_code == 401
    ids = [submitted[0].id, submitted[1].id]
    assert client.post("/api/v1/inbox/assign", headers=as_member,
                       json={"ids": ids, "thinktank": thinktank.slug}).status_code == 403
    assert client.post("/api/v1/inbox/assign", headers=as_coordinator,
                       json={"ids": ids, "thinktank": "nee"}).status_code == 422
    assert client.post("/api/v1/inbox/assign", headers=as_coordinator,
                       json={"ids": [], "thinktank": thinktank.slug}).status_code == 422
    done = client.post("/api/v1/inbox/assign", headers=as_coordinator, json={"ids": ids, "thinktank": thinktank.slug})
    assert done.status_code == 200
    assert all(item["thinktank"] == thinktank.slug and item["idea_id"] for item in done.get_json()["items"])
    again = client.post("/api/v1/inbox/assign", headers=as_coordinator, json={"ids": ids, "thinktank": thinktank.slug})
    assert again.status_code == 409
    assert [item["title"] for item in client.get("/api/v1/inbox", headers=as_coordinator).get_json()["items"]] == [
        "Buurtapp"]
