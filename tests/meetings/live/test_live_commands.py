"""Every board command over /live, and its authorisation: roles × commands. A refused command changes nothing."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.meetings import live
from samen.meetings.models import Ballot, IdeaRound, MeetingCommand, Vote
from tests.meetings.live.conftest import opened

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

CHAIRS = {"chair", "admin"}
PARTICIPANTS = CHAIRS | {"member", "registered"}
EVERYONE = ("chair", "admin", "member", "registered", "other", "anonymous")


def _setup_round(db, meeting, chair, **_):
    live.open_round(meeting, chair)
    db.session.commit()


def _setup_ballot(db, meeting, chair, **_):
    live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    db.session.commit()


def _setup_timer(db, meeting, chair, **_):
    live.start_timer(meeting, chair, 120)
    db.session.commit()


def _setup_duplicate(db, meeting, chair, member, **_):
    _setup_round(db, meeting, chair)
    result = live.submit_idea(meeting, member, "Dubbel idee", "")
    db.session.commit()
    return result.ack["idea"]["id"]


# event: (who may, setup (returns a value the payload may use), payload)
COMMANDS: dict[str, tuple[set[str], Any, Any]] = {
    "meeting:open": (CHAIRS, None, None),
    "agenda:goto": (CHAIRS, None, {"index": 1}),
    "round:open": (CHAIRS, None, None),
    "round:close": (CHAIRS, _setup_round, None),
    "ballot:open": (CHAIRS, None, {"question": "Akkoord met het voorstel?"}),
    "ballot:close": (CHAIRS, _setup_ballot, None),
    "results:show": (CHAIRS, _setup_ballot, None),
    "results:hide": (CHAIRS, _setup_ballot, None),
    "timer:start": (CHAIRS, None, {"seconds": 300}),
    "timer:pause": (CHAIRS, _setup_timer, None),
    "timer:reset": (CHAIRS, _setup_timer, None),
    "decision:record": (CHAIRS, None, {"text": "We starten een pilot."}),
    "idea:merge": (CHAIRS, _setup_duplicate, lambda value, idea: {"idea_id": value, "into_id": idea.id}),
    "meeting:close": (CHAIRS, None, None),
    "idea:submit": (PARTICIPANTS, _setup_round, {"title": "Een buurtavond", "body": "Met de wijkagent."}),
    "ballot:vote": (PARTICIPANTS, _setup_ballot, lambda value, idea: {"ballot_id": value, "choice": "yes"}),
    "hand:raise": (PARTICIPANTS, None, None),
    "hand:lower": (PARTICIPANTS, None, None),
}


def _state(db, meeting) -> tuple[Any, ...]:
    """Everything a command could change, to compare before and after a refused one."""
    db.session.expire_all()
    snapshot = live.board_snapshot(db.session.get(type(meeting), meeting.id), None, role="chair")
    snapshot["timer"].pop("remaining")
    counts = tuple(db.session.scalar(select(func.count()).select_from(model)) for model in
                   (MeetingCommand, Ballot, Vote, IdeaRound))
    return snapshot, counts


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("event", COMMANDS)
def test_commands_and_who_may_send_them(db, meeting, people, connect, chair, member, idea, event, person):
    allowed, setup, payload = COMMANDS[event]
    if event != "meeting:open":
        opened(db, meeting, chair)
    value = setup(db, meeting, chair, member=member) if setup else None
    if event == "ballot:vote":
        value = db.session.scalar(select(Ballot.id).where(Ballot.meeting_id == meeting.id))
    if callable(payload):
        payload = payload(value, idea)
    user = people[person]
    client = connect(user, join=meeting)
    before = _state(db, meeting)
    answer = client.emit(event, payload)
    if person in allowed:
        assert answer.get("ok") is True, answer
        # Every command moves the board one version on; a vote is counted apart (its tally carries `seq`).
        assert answer["version"] == before[0]["version"] + (event != "ballot:vote")
        assert client.received(), "the command was broadcast to the room"
    else:
        assert answer["error"]["code"] == "forbidden", answer
        assert answer["error"]["message"]
        assert _state(db, meeting) == before
        assert client.received() == []


def test_a_command_before_joining_is_refused(connect, chair, meeting):
    client = connect(chair)
    answer = client.emit("meeting:open")
    assert answer["error"]["code"] == "invalid"
    assert meeting.state == "scheduled"


def test_the_chair_runs_a_meeting_and_everyone_follows(db, meeting, connect, chair, member, idea, people):
    console = connect(chair, join=meeting)
    phone = connect(member, join=meeting)
    projector = connect(None, join=meeting)

    assert console.emit("meeting:open")["state"] == "live"
    for client in (phone, projector):
        assert [e["current"] for e in client.received("agenda")] == [0]

    assert console.emit("timer:start", {"seconds": 300})["timer"]["running"] is True
    assert projector.received("timer")[0]["timer"]["duration"] == 300

    assert console.emit("round:open")["round"]["open"] is True
    submitted = phone.emit("idea:submit", {"title": "Sport in de wijk", "body": "Elke woensdag."})
    assert submitted["ok"] and submitted["idea"]["title"] == "Sport in de wijk"
    assert [e["idea"]["title"] for e in projector.received("idea")] == ["Sport in de wijk"]

    ballot = console.emit("ballot:open", {"idea_ids": [idea.id, submitted["idea"]["id"]], "dots": 3})["ballot"]
    assert ballot["kind"] == "dots" and ballot["tally"] == {str(idea.id): 0, str(submitted["idea"]["id"]): 0}
    shown = projector.received("ballot")[-1]
    assert shown["ballot"]["tally"] is None and shown["ballot"]["options"]  # hidden until the chair shows them

    vote = phone.emit("ballot:vote", {"ballot_id": ballot["id"], "dots": {str(idea.id): 2}})
    assert vote["vote"] == {"dots": {str(idea.id): 2}}
    assert vote["seq"] == 1
    assert projector.received("tally")[-1] == {"version": vote["version"], "seq": 1, "ballot_id": ballot["id"],
                                                "votes": 1, "tally": None}
    chair_tallies = [e for e in console.received("tally") if e.get("chairs")]
    assert chair_tallies[-1]["tally"][str(idea.id)] == 2

    console.emit("results:show")
    assert projector.received("ballot")[-1]["ballot"]["tally"][str(idea.id)] == 2
    console.emit("ballot:close")
    assert phone.emit("ballot:vote", {"ballot_id": ballot["id"], "dots": {str(idea.id): 1}})["error"]["code"] \
        == "closed"

    decision = console.emit("decision:record", {"text": "We beginnen in maart.",
                                                "action": {"title": "Sportavond organiseren",
                                                           "owner_id": member.id, "due_date": "2027-03-01"}})
    assert decision["decision"]["action"]["title"] == "Sportavond organiseren"
    assert projector.received("decision")[0]["decision"]["agenda_index"] == 0

    assert phone.emit("hand:raise")["hand_raised"] is True
    assert [e["count"] for e in projector.received("hands")] == [1]
    hands = [e for e in console.received("hands") if e.get("chairs")][-1]["hands"]
    assert [hand["user_id"] for hand in hands] == [member.id]
    console.emit("hand:lower", {"user_id": member.id})
    assert [e["count"] for e in phone.received("hands")] == [1, 0]

    closed = console.emit("meeting:close")
    assert closed["state"] == "closed"
    assert projector.received("closed")[0]["minutes_url"] == f"/meetings/{meeting.id}/minutes"
    db.session.expire_all()
    minutes = db.session.get(type(meeting), meeting.id).minutes
    assert "Sport in de wijk" in minutes and "We beginnen in maart." in minutes and "Sportavond organiseren" in minutes
