"""The board's forms without JavaScript (POST /meetings/<id>/command), and the minutes editor."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.actions.models import ActionItem
from samen.ideas.models import Idea
from samen.meetings import live
from samen.meetings.models import Decision, Meeting, MeetingCommand, RaisedHand, Vote
from tests.meetings.live.conftest import opened


def commands(db: Any, meeting: Meeting) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingCommand)
                             .where(MeetingCommand.meeting_id == meeting.id))


def post(auth: Any, meeting: Meeting, event: str, view: str = "live", **fields: Any) -> Any:
    return auth.post(f"/meetings/{meeting.id}/command?lang=en",
                     {"event": event, "next": f"/meetings/{meeting.id}/{view}", **fields})


def flashed(client: Any, meeting: Meeting, view: str = "live") -> str:
    return client.get(f"/meetings/{meeting.id}/{view}?lang=en").get_data(as_text=True)


@pytest.fixture
def running(db: Any, meeting: Meeting, people: dict[str, Any]) -> Meeting:
    """The meeting, opened by its chair, with an idea round and a yes/no ballot open."""
    opened(db, meeting, people["chair"])
    live.open_round(meeting, people["chair"])
    live.open_ballot(meeting, people["chair"], question="Gaan we dit doen?")
    db.session.commit()
    return meeting


def test_a_participant_votes_with_the_form(client: Any, auth: Any, db: Any, running: Meeting,
                                           people: dict[str, Any]) -> None:
    auth.login(people["member"])
    ballot = live.open_ballot_of(running)
    response = post(auth, running, "ballot:vote", ballot_id=ballot.id, choice="no")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{running.id}/live")
    assert db.session.scalar(select(Vote.choice).where(Vote.ballot_id == ballot.id)) == "no"
    html = flashed(client, running)
    assert "Done." in html and "Your vote: No" in html
    post(auth, running, "ballot:vote", ballot_id=ballot.id, choice="yes")  # changeable while open
    assert db.session.scalars(select(Vote.choice).where(Vote.ballot_id == ballot.id)).all() == ["yes"]


def test_a_participant_votes_with_dots(auth: Any, db: Any, meeting: Meeting, people: dict[str, Any],
                                       idea: Any) -> None:
    opened(db, meeting, people["chair"])
    live.open_ballot(meeting, people["chair"], idea_ids=[idea.id], dots=3)
    db.session.commit()
    auth.login(people["member"])
    ballot = live.open_ballot_of(meeting)
    post(auth, meeting, "ballot:vote", ballot_id=ballot.id, **{f"dots-{idea.id}": "2"})
    assert live.vote_of(ballot, people["member"]) == {"dots": {str(idea.id): 2}}


def test_a_participant_submits_an_idea_and_raises_a_hand(auth: Any, db: Any, running: Meeting,
                                                         people: dict[str, Any]) -> None:
    auth.login(people["member"])
    post(auth, running, "idea:submit", title="Een jongerenraad", body="Die meebeslist.")
    idea = db.session.scalar(select(Idea).where(Idea.title == "Een jongerenraad"))
    assert idea is not None and idea.thinktank_id == running.thinktank_id and idea.author_id == people["member"].id
    post(auth, running, "hand:raise")
    assert db.session.get(RaisedHand, (running.id, people["member"].id)) is not None
    post(auth, running, "hand:lower")
    assert db.session.get(RaisedHand, (running.id, people["member"].id)) is None


def test_the_chair_runs_the_meeting_with_forms(client: Any, auth: Any, db: Any, meeting: Meeting,
                                               people: dict[str, Any]) -> None:
    auth.login(people["chair"])
    post(auth, meeting, "meeting:open", "console")
    post(auth, meeting, "agenda:goto", "console", index="1")
    post(auth, meeting, "timer:start", "console", minutes="5")
    db.session.expire_all()
    assert (meeting.state, meeting.current_position, meeting.timer_duration) == ("live", 1, 300)
    post(auth, meeting, "timer:pause", "console")
    post(auth, meeting, "timer:start", "console")  # resume: no minutes
    db.session.expire_all()
    assert meeting.timer_started_at is not None
    post(auth, meeting, "ballot:open", "console", kind="question", question="Akkoord?")
    assert live.open_ballot_of(meeting).question == "Akkoord?"
    post(auth, meeting, "results:show", "console")
    db.session.expire_all()
    assert meeting.results_visible
    post(auth, meeting, "ballot:close", "console")
    assert live.open_ballot_of(meeting) is None
    response = post(auth, meeting, "decision:record", "console", text="We starten een pilot.",
                    action_title="Pilot op twee scholen", owner_id=str(people["member"].id), due_date="2027-03-01")
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/console")
    decision = db.session.scalar(select(Decision).where(Decision.meeting_id == meeting.id))
    action = db.session.get(ActionItem, decision.action_id)
    assert action.title == "Pilot op twee scholen" and action.owner_id == people["member"].id
    assert str(action.due_date) == "2027-03-01"
    post(auth, meeting, "meeting:close", "console", confirm="yes")
    db.session.expire_all()
    assert meeting.state == "closed" and meeting.minutes


def test_the_chair_merges_a_duplicate_and_lowers_a_hand(auth: Any, db: Any, running: Meeting,
                                                        people: dict[str, Any]) -> None:
    first = live.submit_idea(running, people["member"], "Een buurtavond", "").ack["idea"]["id"]
    second = live.submit_idea(running, people["registered"], "Buurtavond", "").ack["idea"]["id"]
    live.raise_hand(running, people["member"])
    db.session.commit()
    auth.login(people["chair"])
    post(auth, running, "idea:merge", "console", idea_id=str(second), into_id=str(first))
    assert db.session.get(Idea, second).status == "merged"
    post(auth, running, "hand:lower", "console", user_id=str(people["member"].id))
    assert db.session.get(RaisedHand, (running.id, people["member"].id)) is None


def test_a_chair_command_from_a_participant_is_refused_and_changes_nothing(
        auth: Any, db: Any, running: Meeting, people: dict[str, Any]) -> None:
    auth.login(people["member"])
    before = commands(db, running)
    response = post(auth, running, "ballot:close")
    assert response.status_code == 403
    assert live.open_ballot_of(running) is not None and commands(db, running) == before


def test_an_observer_cannot_vote(auth: Any, db: Any, running: Meeting, people: dict[str, Any]) -> None:
    auth.login(people["other"])
    ballot = live.open_ballot_of(running)
    assert post(auth, running, "ballot:vote", ballot_id=ballot.id, choice="yes").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_anonymous_people_are_sent_to_sign_in(client: Any, csrf_token: Any, db: Any, running: Meeting) -> None:
    ballot = live.open_ballot_of(running)
    response = client.post(f"/meetings/{running.id}/command",
                           data={"csrf_token": csrf_token(client, "/"), "event": "ballot:vote",
                                 "ballot_id": ballot.id, "choice": "yes",
                                 "next": f"/meetings/{running.id}/live"})
    assert response.status_code == 303 and "/login?next=" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_members_only_meeting_refuses_outsiders_before_anything(auth: Any, db: Any, running: Meeting,
                                                                  people: dict[str, Any]) -> None:
    running.public = False
    db.session.commit()
    auth.login(people["other"])
    assert post(auth, running, "hand:raise").status_code == 404  # it does not exist for them


@pytest.mark.parametrize("event, fields, message", [
    ("timer:start", {"minutes": "abc"}, "Please enter a whole number."),
    ("timer:start", {"minutes": "-5"}, "The timer needs between 1 second and 24 hours."),
    ("agenda:goto", {"index": "7"}, None),
    ("ballot:open", {"kind": "question", "question": "Nog een?"}, None),  # one is open already
    ("decision:record", {"text": "Besluit", "action_title": "Actie", "owner_id": "999999"}, None),
    ("ballot:vote", {"ballot_id": "abc", "choice": "yes"}, "Please enter a whole number."),
    ("no:such", {}, None),
    ("meeting:close", {}, "Tick the box to confirm that the meeting should close."),
])
def test_bad_input_is_an_error_on_the_page_and_changes_nothing(client: Any, auth: Any, db: Any, running: Meeting,
                                                               people: dict[str, Any], event: str,
                                                               fields: dict[str, str], message: str | None) -> None:
    auth.login(people["chair"])
    before = commands(db, running)
    response = post(auth, running, event, "console", **fields)
    assert response.status_code == 303
    assert commands(db, running) == before
    html = flashed(client, running, "console")
    assert "alert--error" in html
    if message:
        assert message in html


def test_a_closed_ballot_refuses_votes(client: Any, auth: Any, db: Any, running: Meeting,
                                       people: dict[str, Any]) -> None:
    ballot = live.open_ballot_of(running)
    live.close_ballot(running, people["chair"])
    db.session.commit()
    auth.login(people["member"])
    post(auth, running, "ballot:vote", ballot_id=ballot.id, choice="yes")
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
    assert "alert--error" in flashed(client, running)


def test_the_form_needs_its_csrf_token(client: Any, auth: Any, running: Meeting, people: dict[str, Any]) -> None:
    auth.login(people["member"])
    response = client.post(f"/meetings/{running.id}/command", data={"event": "hand:raise"})
    assert response.status_code == 400


def test_the_way_back_stays_on_this_site(auth: Any, running: Meeting, people: dict[str, Any]) -> None:
    auth.login(people["member"])
    response = auth.post(f"/meetings/{running.id}/command", {"event": "hand:raise", "next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"/meetings/{running.id}/live")


# --- minutes ----------------------------------------------------------------------------------------------------

@pytest.fixture
def closed(db: Any, running: Meeting, people: dict[str, Any]) -> Meeting:
    live.record_decision(running, people["chair"], "We beginnen in januari.")
    live.close_meeting(running, people["chair"])
    db.session.commit()
    return running


def minutes_url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.id}/minutes?lang=en"


def test_the_minutes_wait_for_the_meeting_to_close(client: Any, auth: Any, running: Meeting,
                                                   people: dict[str, Any]) -> None:
    auth.login(people["chair"])
    html = client.get(minutes_url(running)).get_data(as_text=True)
    assert "The minutes are drafted when the meeting is closed." in html and "<textarea" not in html
    assert auth.post(minutes_url(running), {"text": "x", "publish": "Publish"}).status_code == 200
    assert running.minutes_published_at is None


def test_the_chair_edits_previews_saves_and_publishes_the_minutes(client: Any, auth: Any, db: Any, closed: Meeting,
                                                                  people: dict[str, Any]) -> None:
    auth.login(people["chair"])
    html = client.get(minutes_url(closed)).get_data(as_text=True)
    assert "We beginnen in januari." in html.split("<textarea")[1] and "Not published yet" in html

    text = "# Verslag\n\nWe beginnen **in januari**."
    response = auth.post(minutes_url(closed), {"text": text, "preview": "Preview"})
    assert response.status_code == 200
    assert "<strong>in januari</strong>" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "Verslag" not in (closed.minutes or "")  # a preview saves nothing

    response = auth.post(minutes_url(closed), {"text": text, "save": "Save draft"})
    assert response.status_code == 303
    db.session.expire_all()
    assert closed.minutes == text and closed.minutes_published_at is None

    response = auth.post(minutes_url(closed), {"text": text + "\n\nGepubliceerd.", "publish": "Publish"})
    assert response.status_code == 303
    db.session.expire_all()
    assert closed.minutes.endswith("Gepubliceerd.") and closed.minutes_published_at is not None
    assert "Published on" in client.get(minutes_url(closed)).get_data(as_text=True)


@pytest.mark.parametrize("text", ["", "x" * 100_001])
def test_bad_minutes_are_refused_with_a_form_error(auth: Any, db: Any, closed: Meeting, people: dict[str, Any],
                                                   text: str) -> None:
    auth.login(people["chair"])
    before = closed.minutes
    response = auth.post(minutes_url(closed), {"text": text, "publish": "Publish"})
    assert response.status_code == 422
    assert "field--error" in response.get_data(as_text=True)
    db.session.expire_all()
    assert closed.minutes == before and closed.minutes_published_at is None


@pytest.mark.parametrize("role", ["member", "registered", "other"])
def test_only_chairs_touch_the_minutes(auth: Any, db: Any, closed: Meeting, people: dict[str, Any],
                                       role: str) -> None:
    auth.login(people[role])
    assert auth.post(minutes_url(closed), {"text": "Vervalst", "publish": "Publish"}).status_code == 403
    db.session.expire_all()
    assert closed.minutes_published_at is None


def test_the_minutes_page_has_constant_queries(client: Any, auth: Any, closed: Meeting, people: dict[str, Any],
                                               count_queries: Any) -> None:
    auth.login(people["chair"])
    client.get(minutes_url(closed))
    with count_queries() as statements:
        assert client.get(minutes_url(closed)).status_code == 200
    assert len(statements) <= 12, statements

