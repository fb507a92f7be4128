"""Pre-moderation on the live board: an idea submitted in a round of a pre-moderated think tank waits for a chair
like any other, so it is on no board and in no minutes until approved."""
from __future__ import annotations

from typing import Any

from samen.ideas import review
from samen.ideas.models import Idea
from samen.meetings import live
from samen.meetings.models import Meeting
from tests.meetings.live.conftest import opened


def test_an_idea_submitted_live_waits_and_is_on_no_board_nor_in_the_minutes(db: Any, meeting: Meeting,
                                                                             people: dict[str, Any],
                                                                             thinktank: Any) -> None:
    chair = people["chair"]
    review.set_premoderation(thinktank, by=chair, on=True)
    opened(db, meeting, chair)
    live.open_round(meeting, chair)
    member_idea = live.submit_idea(meeting, people["member"], "Namen van dealers", "").ack["idea"]["id"]
    guest_idea = live.submit_idea(meeting, people["registered"], "Adres van een dealer", "").ack["idea"]["id"]
    chair_idea = live.submit_idea(meeting, chair, "Een buurtavond", "").ack["idea"]["id"]
    db.session.commit()
    assert [db.session.get(Idea, i).review for i in (member_idea, guest_idea, chair_idea)] == [
        "waiting", "waiting", None]
    shown = [idea["title"] for idea in live.round_view(live.open_round_of(meeting))["ideas"]]
    assert shown == ["Een buurtavond"]
    minutes = live.draft_minutes(meeting)
    assert "Een buurtavond" in minutes and "dealer" not in minutes
    review.review(db.session.get(Idea, member_idea), by=chair, decision="approve")
    db.session.commit()
    shown = [idea["title"] for idea in live.round_view(live.open_round_of(meeting))["ideas"]]
    assert shown == ["Namen van dealers", "Een buurtavond"]
