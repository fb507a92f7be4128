"""Ideas of a plenary without a think tank wait in the plan's inbox; the live board shows them during the
meeting (console, phone, projector) and the chair assigns each to a think tank in one step on the console —
over the socket or as a plain form — authorised on the server. The regions are rendered once for all."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.ideas.models import Idea
from samen.meetings import live
from samen.meetings.models import MeetingCommand
from samen.notifications.models import Notification
from samen.programme.models import InboxIdea
from tests.meetings.live.conftest import make_meeting
from tests.meetings.live.test_live_regions import boards, element, page_join

pytestmark = pytest.mark.database


@pytest.fixture
def kickoff(db: Any, admin: Any) -> Any:
    """A live kick-off plenary (its organiser: an admin) with an open idea round."""
    meeting = make_meeting(db, None, title="Startavond", created_by_id=admin.id)
    live.open_meeting(meeting, admin)
    live.open_round(meeting, admin)
    db.session.commit()
    return meeting


@pytest.fixture
def waiting(db: Any, kickoff: Any, member: Any) -> InboxIdea:
    live.submit_idea(kickoff, member, "Meer straatcoaches", "In het centrum.")
    db.session.commit()
    return db.session.scalars(select(InboxIdea)).one()


def _assigned(db: Any, item: InboxIdea) -> InboxIdea:
    db.session.expire_all()
    return db.session.get(InboxIdea, item.id)


def test_the_pages_show_the_inbox_and_only_the_console_assigns(client, auth, db, kickoff, waiting, admin,
                                                               member, thinktank, create_thinktank):
    auth.login(admin)
    console = client.get(f"/meetings/{kickoff.id}/console?lang=en").get_data(as_text=True)
    box = element(console, "board-inbox")
    assert "Meer straatcoaches" in box and "waiting for a think tank" in box
    assert 'data-event="inbox:assign"' in box and f'<option value="{thinktank.slug}">' in box
    auth.login(member)
    for view in ("live", "projector"):
        page = client.get(f"/meetings/{kickoff.id}/{view}?lang=en").get_data(as_text=True)
        shown = element(page, "board-inbox")
        assert "Meer straatcoaches" in shown and "inbox:assign" not in shown, view


def test_a_new_inbox_idea_reaches_the_boards_at_once(db, connect, kickoff, admin, member):
    console, _ = page_join(connect, admin, kickoff, "console")
    projector, _ = page_join(connect, None, kickoff, "projector")
    phone = connect(member, join=kickoff)
    assert phone.emit("idea:submit", {"title": "Een inloop voor ouders", "id": "a1"})["ok"]
    [update] = boards(console, "inbox")
    assert "Een inloop voor ouders" in update["regions"]["inbox"] and "inbox:assign" in update["regions"]["inbox"]
    assert '<p id="board-ideas-empty" class="muted" hidden>' in update["regions"]["round"]  # not "no ideas yet"
    [shown] = boards(projector, "inbox")
    assert "Een inloop voor ouders" in shown["regions"]["inbox"] and "inbox:assign" not in shown["regions"]["inbox"]
    [event] = phone.received("inbox")  # API clients get the JSON event
    assert event["entry"]["title"] == "Een inloop voor ouders" and event["entry"]["thinktank"] is None


def test_the_chair_assigns_in_one_step_and_everyone_sees_where_it_went(db, connect, kickoff, waiting, admin,
                                                                        member, thinktank):
    console, _ = page_join(connect, admin, kickoff, "console")
    phone, _ = page_join(connect, member, kickoff, "live")
    answer = console.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug, "id": "k1"})
    assert answer["ok"] and answer["entry"]["thinktank"] == thinktank.name
    item = _assigned(db, waiting)
    idea = db.session.get(Idea, item.idea_id)
    assert (idea.thinktank_id, idea.author_id, idea.title) == (thinktank.id, member.id, "Meer straatcoaches")
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == member.id)) == "inbox.assigned"
    [update] = boards(phone, "inbox")
    assert f"to {thinktank.name}" in update["regions"]["inbox"] or thinktank.name in update["regions"]["inbox"]
    assert f"/ideas/{idea.id}" in update["regions"]["inbox"]
    # The same command id again is answered as the first time and changes nothing.
    again = console.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug, "id": "k1"})
    assert again["ok"] and again["version"] == answer["version"]
    # Another id: it was assigned already.
    conflict = console.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug, "id": "k2"})
    assert conflict["error"]["code"] == "conflict" and "Meer straatcoaches" in conflict["error"]["message"]


@pytest.mark.parametrize("who", ["member", "chair_of_a_think_tank", "anonymous"])
def test_only_the_plenarys_chair_assigns(db, connect, kickoff, waiting, member, chair, thinktank, who):
    user = {"member": member, "chair_of_a_think_tank": chair, "anonymous": None}[who]
    client = connect(user, join=kickoff)
    before = db.session.scalar(select(func.count()).select_from(MeetingCommand))
    answer = client.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug})
    assert answer["error"]["code"] == "forbidden"
    assert not _assigned(db, waiting).is_assigned
    assert db.session.scalar(select(func.count()).select_from(MeetingCommand)) == before


@pytest.mark.parametrize("payload", [
    {}, {"inbox_id": "x", "thinktank": "preventie"}, {"inbox_id": 999999, "thinktank": "preventie"},
    {"inbox_id": None, "thinktank": "preventie"}, {"thinktank": "preventie"},
    {"inbox_id": "ID", "thinktank": "bestaat-niet"}, {"inbox_id": "ID", "thinktank": 5},
    {"inbox_id": "ID", "thinktank": "x" * 500}, {"inbox_id": "ID"}, {"inbox_id": "ID", "thinktank": ["a"]},
    {"inbox_id": "ID", "thinktank": "preventie", "extra": 1}, {"inbox_id": 10**40, "thinktank": "preventie"},
])
def test_bad_payloads_are_refused_without_a_change(db, connect, kickoff, waiting, admin, thinktank, payload):
    payload = {key: waiting.id if value == "ID" else value for key, value in payload.items()}
    console = connect(admin, join=kickoff)
    answer = console.emit("inbox:assign", payload)
    assert answer.get("ok") is not True and answer["error"]["message"]
    assert not _assigned(db, waiting).is_assigned


def test_an_idea_of_another_meeting_cannot_be_assigned_here(db, connect, admin, member, kickoff, waiting,
                                                           thinktank):
    other = make_meeting(db, None, title="Tweede avond", created_by_id=admin.id)
    live.open_meeting(other, admin)
    db.session.commit()
    console = connect(admin, join=other)
    answer = console.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug})
    assert answer["error"]["message"] == "Dit idee is niet in deze bijeenkomst ingediend."  # Dutch by default
    assert not _assigned(db, waiting).is_assigned


def test_the_console_form_assigns_without_javascript(client, auth, db, kickoff, waiting, admin, thinktank):
    auth.login(admin)
    response = auth.post(f"/meetings/{kickoff.id}/command", {
        "event": "inbox:assign", "inbox_id": str(waiting.id), "thinktank": thinktank.slug,
        "next": f"/meetings/{kickoff.id}/console"})
    assert response.status_code == 303
    assert _assigned(db, waiting).thinktank_id == thinktank.id
    page = client.get(f"/meetings/{kickoff.id}/console?lang=en").get_data(as_text=True)
    assert f"to {thinktank.name}" in element(page, "board-inbox")
    bad = auth.post(f"/meetings/{kickoff.id}/command", {"event": "inbox:assign", "inbox_id": "abc",
                                                         "thinktank": thinktank.slug})
    assert bad.status_code == 303


def test_a_think_tank_meeting_has_no_inbox(client, auth, db, thinktank, chair):
    meeting = make_meeting(db, thinktank)
    auth.login(chair)
    page = client.get(f"/meetings/{meeting.id}/console").get_data(as_text=True)
    assert '<div id="board-inbox" class="board-inbox" hidden>' in page
    assert live.board_state(meeting)["inbox"] is None


def test_the_coordinator_assigns_on_the_console_too(db, connect, kickoff, waiting, create_user, thinktank):
    from samen.programme.models import PlanRole

    coordinator = create_user(display_name="Regisseur")
    db.session.add(PlanRole(user_id=coordinator.id, role="coordinator"))
    db.session.commit()
    console, _ = page_join(connect, coordinator, kickoff, "console")
    assert console.emit("inbox:assign", {"inbox_id": waiting.id, "thinktank": thinktank.slug})["ok"]
    assert _assigned(db, waiting).assigned_by_id == coordinator.id
