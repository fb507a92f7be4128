"""The drafted minutes speak as the board did: the ballot's own answer words, Dutch plurals and dates, and agenda
items the meeting never reached marked as such."""
from __future__ import annotations

import re

import pytest

from samen.meetings import live
from tests.meetings.live.conftest import opened

pytestmark = pytest.mark.database


def test_minutes_use_the_ballot_s_words_plurals_dates_and_mark_items_not_reached(db, meeting, people):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    live.connect(meeting, member, sid="phone")  # attends
    ballot = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]
    live.cast_vote(meeting, member, ballot["id"], choice="yes")
    live.close_ballot(meeting, chair)
    live.goto_agenda(meeting, chair, 1)  # item 2 discussed, item 3 never reached
    live.close_meeting(meeting, chair)
    db.session.commit()
    minutes = meeting.minutes
    assert "Gaan we dit doen? — Ja 1, Nee 0, Blanco 0 (1 stem)" in minutes
    assert "Aanwezig: 1 deelnemer\n" in minutes
    assert re.search(r"Datum: \d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                     r"november|december) \d{4}", minutes)
    second, third = minutes.split("## 2. ")[1], minutes.split("## 3. ")[1]
    assert "Besproken; niets vastgelegd." in second
    assert "Niet aan toegekomen in deze vergadering." in third


def test_dot_voting_minutes_count_dots_and_votes_in_words(db, meeting, people, idea):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    ballot = live.open_ballot(meeting, chair, idea_ids=[idea.id], dots=1).ack["ballot"]
    live.cast_vote(meeting, member, ballot["id"], dots={str(idea.id): 1})
    live.close_meeting(meeting, chair)
    db.session.commit()
    assert f"Stippenstemming, 1 stip per persoon (1 stem) — {idea.title}: 1" in meeting.minutes
