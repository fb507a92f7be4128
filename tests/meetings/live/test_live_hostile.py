"""Hostile payloads and floods on /live: NaN, Infinity, huge numbers and wrong types get an `invalid` answer and
no traceback; every event is rate-limited per connection (hands and votes apart), without touching others."""
from __future__ import annotations

import logging

import pytest

from samen.meetings import live
from tests.meetings.live.conftest import opened

NUMBERS = [float("nan"), float("inf"), -float("inf"), 10 ** 30, -1, 1.5, "drie", True, [], {}]


def test_hostile_numbers_and_types_are_invalid_without_a_traceback(db, meeting, people, connect, caplog):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    ballot_id = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]["id"]
    db.session.commit()
    phone, console = connect(member, join=meeting), connect(chair, join=meeting)
    caplog.set_level(logging.WARNING)
    for value in NUMBERS:
        for client, event, payload in (
                (phone, "ballot:vote", {"ballot_id": value, "choice": "yes"}),
                (phone, "ballot:vote", {"ballot_id": ballot_id, "dots": {"1": value}}),
                (console, "timer:start", {"seconds": value}),
                (console, "agenda:goto", {"index": value}),
                (console, "ballot:open", {"idea_ids": [value], "dots": value}),
                (phone, "join", {"meeting_id": value}),
                (phone, "join", {"meeting_id": meeting.id, "view": value, "version": value, "seq": value}),
                (console, "hand:lower", {"user_id": value})):
            answer = phone.emit(event, payload) if client is phone else console.emit(event, payload)
            assert answer.get("error", {}).get("code") in ("invalid", "not_found"), (event, payload, answer)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]
    assert phone.connected and console.connected


@pytest.mark.parametrize("event, setting", [("hand:raise", "LIVE_HAND_RATE_LIMIT"),
                                            ("ballot:vote", "LIVE_VOTE_RATE_LIMIT"),
                                            ("leave", "LIVE_EVENT_RATE_LIMIT")])
def test_every_event_is_rate_limited_per_connection(app, db, meeting, people, connect, monkeypatch, event,
                                                    setting):
    from samen.meetings import ratelimit

    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    ballot_id = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]["id"]
    db.session.commit()
    phone, other = connect(member, join=meeting), connect(people["registered"], join=meeting)
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, setting, "2 per minute")
    ratelimit.reset()
    payload = {"ballot_id": ballot_id, "choice": "yes"} if event == "ballot:vote" else None
    answers = [phone.emit(event, payload) for _ in range(3)]
    assert [("error" in answer) for answer in answers] == [False, False, True], answers
    assert answers[2]["error"]["code"] == "rate_limited"
    assert "error" not in other.emit(event, payload)  # another connection counts apart
    ratelimit.reset()
