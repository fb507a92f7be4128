"""Exactly once: a command sent with an id and sent again — after its answer was lost, or a second press — gets
the first answer back and changes nothing; a decision is never recorded twice by a retry."""
from __future__ import annotations

from unittest import mock

import pytest
from sqlalchemy import func, select

from samen.meetings import live, runner
from samen.meetings.models import Decision, MeetingCommand, Vote
from tests.meetings.live.conftest import opened

pytestmark = pytest.mark.database


def count(db, model, **where):
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_decision_whose_answer_was_lost_is_not_recorded_twice(db, meeting, people, connect):
    chair = people["chair"]
    opened(db, meeting, chair)
    console = connect(chair, join=meeting)
    command = {"id": "beslis-1", "text": "We beginnen in januari."}
    # The command is stored; then the answer is lost (here: the broadcast after the commit fails on its way out).
    with mock.patch.object(runner, "broadcast", side_effect=ConnectionError("the network is gone")):
        lost = console.emit("decision:record", command)
    assert "error" in lost
    version = live.version_of(meeting)
    again = console.emit("decision:record", command)
    assert again["ok"] and again["repeated"] and again["version"] == version
    assert count(db, Decision, meeting_id=meeting.id) == 1 and live.version_of(meeting) == version
    # A third press: the same answer, still one decision.
    third = console.emit("decision:record", command)
    assert third["decision"] == again["decision"] and count(db, Decision, meeting_id=meeting.id) == 1
    stored = db.session.scalar(select(MeetingCommand).where(MeetingCommand.client_id == "beslis-1"))
    assert stored.kind == "decision:record" and stored.answer["decision"]["id"] == again["decision"]["id"]


def test_a_repeated_vote_keeps_its_seq_and_the_first_choice(db, meeting, people, connect):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    ballot_id = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]["id"]
    db.session.commit()
    phone = connect(member, join=meeting)
    first = phone.emit("ballot:vote", {"id": "stem-1", "ballot_id": ballot_id, "choice": "yes"})
    again = phone.emit("ballot:vote", {"id": "stem-1", "ballot_id": ballot_id, "choice": "yes"})
    assert first["ok"] and again["repeated"] and again["seq"] == first["seq"] == live.vote_seq_of(meeting)
    assert count(db, Vote, ballot_id=ballot_id) == 1
    # A new vote (a changed mind) has a new id, and counts.
    changed = phone.emit("ballot:vote", {"id": "stem-2", "ballot_id": ballot_id, "choice": "no"})
    assert changed["ok"] and "repeated" not in changed and changed["seq"] == first["seq"] + 1


def test_ids_are_per_person_and_checked(db, meeting, people, connect):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    phone, other = connect(member, join=meeting), connect(people["registered"], join=meeting)
    assert phone.emit("hand:raise", {"id": "hand"})["ok"]
    assert "repeated" not in other.emit("hand:raise", {"id": "hand"})  # someone else's command, the same id
    for bad in ("", "x" * 65, "een id", 7, None, ["a"]):
        answer = phone.emit("hand:lower", {"id": bad})
        assert answer["error"]["code"] == "invalid" and answer["error"]["field"] == "id", bad
    assert count(db, MeetingCommand, meeting_id=meeting.id, kind="hand:lower") == 0


def test_a_repeat_of_a_refused_command_is_refused_again(db, meeting, people, connect):
    """Only what was done is remembered: a refusal stored nothing, so the same id may try again."""
    chair = people["chair"]
    opened(db, meeting, chair)
    console = connect(chair, join=meeting)
    assert console.emit("round:close", {"id": "ronde"})["error"]["code"] == "conflict"
    assert console.emit("round:open", {"id": "ronde"})["ok"]
    assert console.emit("round:open", {"id": "ronde"})["repeated"]
    assert count(db, MeetingCommand, meeting_id=meeting.id, kind="round:open") == 1
