"""Every way of taking part — on the web, through the API and on the live board — refuses an account whose e-mail
address is not confirmed (accounts.operations.require_confirmed), says why, and stores nothing; the same person
with a confirmed address is let through. Reading stays open."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.core.database import utcnow
from samen.extensions import socketio_for
from samen.ideas.models import Comment, Idea, Support
from samen.meetings import live
from samen.meetings.models import AgendaItem, Ballot, Meeting, Registration, Vote
from samen.thinktanks.models import Membership
from samen.thinktanks.operations import join_thinktank
from tests.api.helpers import assert_documented

MESSAGE = "Confirm your e-mail address first"
NS = "/live"


@dataclass
class World:
    """A think tank with an idea, a scheduled meeting and a live one (open round and ballot), and the person."""

    person: Any
    thinktank: Any
    idea: Idea
    meeting: Meeting
    live_meeting: Meeting
    ballot_id: int


def _meeting(db: Any, thinktank: Any, title: str, ideas: list[Idea]) -> Meeting:
    """A public meeting of the think tank tomorrow, with one agenda item that discusses `ideas`."""
    start = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    meeting = Meeting(thinktank_id=thinktank.id, title=title, starts_at=start, ends_at=start + timedelta(hours=2),
                      public=True, location="De Schakel, Nijkerk")
    db.session.add(meeting)
    db.session.flush()
    db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="Punt 1", planned_minutes=15, ideas=ideas))
    db.session.commit()
    return meeting


@pytest.fixture
def world(db: Any, create_user: Callable[..., Any], thinktank: Any, chair: Any, idea: Idea) -> Callable[..., World]:
    """Return a function that builds the world for a person who is (or is not) a member and is (or is not)
    confirmed: a member made while confirmed and then unconfirmed, so only the confirmation can refuse them."""
    def build(*, confirmed: bool, member: bool = True) -> World:
        person = create_user(display_name="Nieuwe deelnemer", locale="en")
        if member:
            join_thinktank(thinktank, person)
        meeting = _meeting(db, thinktank, "Avond in januari", [])
        live_meeting = _meeting(db, thinktank, "Avond nu", [idea])
        live.open_meeting(live_meeting, chair)
        live.open_round(live_meeting, chair)
        live.open_ballot(live_meeting, chair, question="Gaan we dit doen?")
        if not confirmed:
            person.email_confirmed_at = None
        db.session.commit()
        ballot_id = db.session.scalar(select(Ballot.id).where(Ballot.meeting_id == live_meeting.id))
        return World(person, thinktank, idea, meeting, live_meeting, ballot_id)
    return build


def _count(db: Any, model: Any, column: Any, person_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(column == person_id))


# --- the web ------------------------------------------------------------------------------------------------

def _web_join(auth: Any, w: World) -> Any:
    return auth.post(f"/thinktanks/{w.thinktank.slug}/join")


def _web_post(auth: Any, w: World) -> Any:
    return auth.post(f"/thinktanks/{w.thinktank.slug}/ideas/new",
                     {"title": "Een buurtavond met de wijkagent", "body": "Elke maand."})


def _web_comment(auth: Any, w: World) -> Any:
    return auth.post(f"/ideas/{w.idea.id}/comments", {"body": "Goed plan."})


def _web_support(auth: Any, w: World) -> Any:
    return auth.post(f"/ideas/{w.idea.id}/support")


def _web_register(auth: Any, w: World) -> Any:
    return auth.post(f"/meetings/{w.meeting.id}/register")


def _web_vote(auth: Any, w: World) -> Any:
    return auth.post(f"/meetings/{w.live_meeting.id}/command",
                     {"event": "ballot:vote", "ballot_id": str(w.ballot_id), "choice": "yes"})


def _web_live_idea(auth: Any, w: World) -> Any:
    return auth.post(f"/meetings/{w.live_meeting.id}/command",
                     {"event": "idea:submit", "title": "Een idee op de avond", "body": ""})


# action: (do it, what it stores (model, its user column), whether the person must not be a member yet)
WEB = {
    "join think tank": (_web_join, (Membership, Membership.user_id), False),
    "post idea": (_web_post, (Idea, Idea.author_id), True),
    "comment": (_web_comment, (Comment, Comment.author_id), True),
    "support": (_web_support, (Support, Support.user_id), True),
    "register for meeting": (_web_register, (Registration, Registration.user_id), True),
    "vote on the live board (without JavaScript)": (_web_vote, (Vote, Vote.user_id), True),
    "idea on the live board (without JavaScript)": (_web_live_idea, (Idea, Idea.author_id), True),
}


@pytest.mark.parametrize("confirmed", [False, True], ids=["unconfirmed", "confirmed"])
@pytest.mark.parametrize("action", WEB)
def test_the_web_refuses_an_unconfirmed_account(db, auth, world, action, confirmed):
    do, (model, column), member = WEB[action]
    w = world(confirmed=confirmed, member=member)
    person_id = w.person.id
    auth.login(w.person)
    before = _count(db, model, column, person_id)
    response = do(auth, w)
    if confirmed:
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        assert _count(db, model, column, person_id) == before + 1
        return
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert MESSAGE in html
    assert "Send the e-mail again" in html and 'action="/register/resend"' in html  # the resend button
    assert _count(db, model, column, person_id) == before


# --- the API ------------------------------------------------------------------------------------------------

# action: (method, path, its template in the OpenAPI document, body), what it stores, must be a member
API = {
    "join think tank": (lambda w: ("PUT", f"/api/v1/thinktanks/{w.thinktank.slug}/membership",
                                   "/thinktanks/{slug}/membership", None), (Membership, Membership.user_id), False),
    "post idea": (lambda w: ("POST", f"/api/v1/thinktanks/{w.thinktank.slug}/ideas", "/thinktanks/{slug}/ideas",
                             {"title": "Een buurtavond met de wijkagent"}), (Idea, Idea.author_id), True),
    "comment": (lambda w: ("POST", f"/api/v1/ideas/{w.idea.id}/comments", "/ideas/{idea_id}/comments",
                           {"body": "Goed plan."}), (Comment, Comment.author_id), True),
    "support": (lambda w: ("PUT", f"/api/v1/ideas/{w.idea.id}/support", "/ideas/{idea_id}/support", None),
                (Support, Support.user_id), True),
    "register for meeting": (lambda w: ("PUT", f"/api/v1/meetings/{w.meeting.id}/registration",
                                        "/meetings/{meeting_id}/registration", None),
                             (Registration, Registration.user_id), True),
}


@pytest.mark.parametrize("confirmed", [False, True], ids=["unconfirmed", "confirmed"])
@pytest.mark.parametrize("action", API)
def test_the_api_refuses_an_unconfirmed_account(db, client, world, action, confirmed):
    request, (model, column), member = API[action]
    w = world(confirmed=confirmed, member=member)
    token = account_ops.create_api_token(w.person)
    db.session.commit()
    method, path, template, body = request(w)
    person_id = w.person.id
    before = _count(db, model, column, person_id)
    response = client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {token}"})
    if confirmed:
        assert response.status_code in (200, 201), response.get_json()
        assert _count(db, model, column, person_id) == before + 1
        return
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "https://samen.example/problems/email_unconfirmed"
    assert problem["code"] == "email_unconfirmed"
    assert MESSAGE in problem["detail"]
    assert_documented(client.get("/api/v1/openapi.json").get_json(), template, method.lower(), response)
    assert _count(db, model, column, person_id) == before


# --- the live board (Socket.IO) -------------------------------------------------------------------------------

LIVE = {
    "vote": (lambda w: ("ballot:vote", {"ballot_id": w.ballot_id, "choice": "yes"}), (Vote, Vote.user_id)),
    "submit idea": (lambda w: ("idea:submit", {"title": "Een idee op de avond", "body": ""}),
                    (Idea, Idea.author_id)),
}


@pytest.mark.parametrize("confirmed", [False, True], ids=["unconfirmed", "confirmed"])
@pytest.mark.parametrize("action", LIVE)
def test_the_live_board_refuses_an_unconfirmed_account_with_a_reason(app, db, world, action, confirmed):
    event_payload, (model, column) = LIVE[action]
    w = world(confirmed=confirmed)
    token = account_ops.create_api_token(w.person)
    db.session.commit()
    person_id = w.person.id
    phone = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    try:
        assert phone.emit("join", {"meeting_id": w.live_meeting.id}, namespace=NS, callback=True).get("ok")
        before = _count(db, model, column, person_id)
        event, payload = event_payload(w)
        answer = phone.emit(event, payload, namespace=NS, callback=True)
    finally:
        phone.disconnect(NS)
    if confirmed:
        assert answer.get("ok") is True, answer
        assert _count(db, model, column, person_id) == before + 1
        return
    assert answer["error"]["code"] == "forbidden"
    assert answer["error"]["reason"] == "email_unconfirmed"
    assert MESSAGE in answer["error"]["message"]
    assert _count(db, model, column, person_id) == before


# --- reading stays open -------------------------------------------------------------------------------------

def test_an_unconfirmed_account_signs_in_and_reads_with_a_notice(client, auth, world):
    w = world(confirmed=False)
    assert auth.login(w.person).status_code == 302
    for path in (f"/thinktanks/{w.thinktank.slug}", f"/ideas/{w.idea.id}", f"/meetings/{w.meeting.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "Confirm your e-mail address." in html and "Send the e-mail again" in html


def test_a_confirmed_account_sees_no_notice(client, auth, world):
    w = world(confirmed=True)
    auth.login(w.person)
    assert "Send the e-mail again" not in client.get(f"/ideas/{w.idea.id}").get_data(as_text=True)
