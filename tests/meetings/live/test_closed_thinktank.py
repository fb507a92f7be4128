"""A public meeting of a closed think tank on the live board: whoever may not read the think tank's ideas follows
the meeting without them — in the snapshot and in every broadcast — while its members see them."""
from __future__ import annotations

from typing import Any

from samen.meetings import live
from samen.thinktanks import operations as tt_ops
from tests.meetings.live.conftest import make_meeting

IDEA = "Een geheim plan-7Z"


def test_outsiders_follow_without_the_ideas(db: Any, connect: Any, create_user: Any, create_thinktank: Any) -> None:
    closed = create_thinktank(join_policy="approval")
    chair, member, outsider = create_user(), create_user(), create_user()
    tt_ops.appoint_chair(closed, chair)
    tt_ops.decide_membership(tt_ops.join_thinktank(closed, member), approve=True)
    meeting = make_meeting(db, closed, public=True)
    live.open_meeting(meeting, chair)
    live.open_round(meeting, chair)
    live.submit_idea(meeting, member, f"{IDEA} 1", "")
    db.session.commit()
    watcher, stranger, anonymous = (connect(person, join=meeting) for person in (member, outsider, None))
    assert watcher.join(meeting)["board"]["round"]["ideas"][0]["title"] == f"{IDEA} 1"
    for client in (stranger, anonymous):
        board = client.join(meeting)["board"]
        assert board["round"]["ideas"] == [] and IDEA not in repr(board)
    for client in (watcher, stranger, anonymous):
        client.received()
    assert watcher.emit("idea:submit", {"title": f"{IDEA} 2"})["ok"]
    assert [event["idea"]["title"] for event in watcher.received("idea")] == [f"{IDEA} 2"]
    for client in (stranger, anonymous):
        events = client.received("idea")
        assert len(events) == 1 and events[0]["idea"] is None  # the version moves on, the idea stays out
    assert IDEA not in repr(live.board_snapshot(meeting, None))
