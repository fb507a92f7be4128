"""Live decisions keep their ideas (issue #16): the agenda item's and its ballots' ideas, carried by the action item
made in the same step, shown on the board, in the minutes and on the idea pages — and only to who may see them."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.actions.models import ActionItem
from samen.ideas.models import Idea, StatusChange
from samen.meetings import live
from samen.meetings.idea_meetings import ROLES, meetings_for_idea
from samen.meetings.models import Decision
from tests.meetings.live.conftest import make_meeting, opened

pytestmark = pytest.mark.database


@pytest.fixture
def board(db: Any, thinktank: Any, chair: Any, member: Any, create_idea: Any) -> dict[str, Any]:
    """A live meeting: its first item discusses one idea; a dot vote on it offers two more."""
    on_agenda = create_idea(thinktank, member, title="Vrijplaats in het centrum")
    voted = [create_idea(thinktank, member, title=title) for title in ("Sportavond", "Ouderavond")]
    other = create_idea(thinktank, member, title="Niet besproken")
    meeting = opened(db, make_meeting(db, thinktank, ideas=[on_agenda]), chair)
    live.open_ballot(meeting, chair, idea_ids=[idea.id for idea in voted], dots=3)
    live.close_ballot(meeting, chair)
    db.session.commit()
    return {"meeting": meeting, "on_agenda": on_agenda, "voted": voted, "other": other}


def _ids(ideas: list[Any]) -> list[int]:
    return sorted(idea.id for idea in ideas)


def test_a_decision_keeps_the_items_and_the_ballots_ideas(db, board, chair):
    result = live.record_decision(board["meeting"], chair, "We doen alle drie.")
    db.session.commit()
    decision = db.session.scalar(select(Decision))
    expected = _ids([board["on_agenda"], *board["voted"]])
    assert _ids(decision.ideas) == expected
    assert sorted(idea["id"] for idea in result.ack["decision"]["ideas"]) == expected
    assert board["other"].id not in {idea.id for idea in decision.ideas}


def test_the_action_item_of_a_decision_carries_its_ideas_and_adopts_them(db, board, chair, member):
    live.record_decision(board["meeting"], chair, "Sportavond in maart.",
                         {"title": "Sportavond organiseren", "owner_id": member.id, "due_date": "2027-03-01"},
                         idea_ids=[board["voted"][0].id])
    db.session.commit()
    action = db.session.scalar(select(ActionItem))
    assert [idea.id for idea in action.ideas] == [board["voted"][0].id]
    idea = db.session.get(Idea, board["voted"][0].id)
    assert idea.status == "adopted" and idea.answer == "Sportavond in maart."
    change = db.session.scalar(select(StatusChange).where(StatusChange.idea_id == idea.id))
    assert (change.from_status, change.to_status, change.actor_id) == ("new", "adopted", chair.id)
    assert db.session.get(Idea, board["voted"][1].id).status == "new"  # not chosen: untouched
    # The public trail: the idea's page names the meeting where it was decided.
    meetings = meetings_for_idea(idea, None)
    assert [(m.id, [str(label) for label in labels]) for m, labels in meetings] == [
        (board["meeting"].id, [str(ROLES["voted"]), str(ROLES["decided"])])]


def test_a_turned_down_idea_stays_with_the_decision_but_not_with_the_action(db, board, chair, member):
    from samen.ideas import operations as idea_ops
    idea_ops.decide(board["voted"][1], by=chair, status="rejected", answer="Bestaat al.")
    db.session.commit()
    live.record_decision(board["meeting"], chair, "Door met de rest.",
                         {"title": "Uitwerken", "owner_id": member.id})
    db.session.commit()
    decision = db.session.scalar(select(Decision))
    assert board["voted"][1].id in _ids(decision.ideas)
    assert board["voted"][1].id not in _ids(decision.action.ideas)
    assert _ids(decision.action.ideas) == _ids([board["on_agenda"], board["voted"][0]])


@pytest.mark.parametrize("idea_ids", [[999999], "1", [True], ["x"], list(range(1, 60))])
def test_ideas_not_of_the_item_are_refused_and_nothing_is_stored(db, board, chair, idea_ids):
    from samen.core.errors import DomainError
    if idea_ids == [999999]:
        idea_ids = [board["other"].id]
    with pytest.raises(DomainError) as refused:
        live.record_decision(board["meeting"], chair, "Besluit.", idea_ids=idea_ids)
    assert refused.value.field == "idea_ids"
    db.session.rollback()
    assert db.session.scalar(select(Decision)) is None


def test_over_the_socket_the_room_hears_the_ideas_and_outsiders_of_a_closed_think_tank_do_not(
        db, thinktank, chair, member, create_idea, connect):
    thinktank.join_policy = "approval"
    db.session.commit()
    idea = create_idea(thinktank, member, title="Geheim plan")
    meeting = opened(db, make_meeting(db, thinktank, ideas=[idea]), chair)
    console, phone, outsider = connect(chair, join=meeting), connect(member, join=meeting), connect(None, join=meeting)
    answer = console.emit("decision:record", {"text": "Doen.", "idea_ids": [idea.id]})
    assert answer["ok"], answer
    assert [i["title"] for i in phone.received("decision")[-1]["decision"]["ideas"]] == ["Geheim plan"]
    told = outsider.received("decision")[-1]["decision"]
    assert told["text"] == "Doen." and told["ideas"] == []
    # The board's region for outsiders names no idea either; members see it linked.
    db.session.expire_all()
    minutes = live.draft_minutes(db.session.get(type(meeting), meeting.id))
    assert f"[Geheim plan](/ideas/{idea.id})" in minutes  # the think tank's minutes are for its readers


def test_a_plenarys_decision_leaves_a_closed_think_tanks_idea_out_of_what_everyone_hears(
        db, create_thinktank, admin, create_user, create_idea):
    from samen.thinktanks import operations as tt_ops
    closed = create_thinktank(slug="aanbod", name="Aanbod", join_policy="approval")
    author = create_user()
    tt_ops.join_thinktank(closed, author)
    tt_ops.decide_membership(tt_ops.membership_of(closed, author), approve=True)
    secret = create_idea(closed, author, title="Geheim")
    meeting = opened(db, make_meeting(db, None, ideas=[secret], title="Kick-off"), admin)
    result = live.record_decision(meeting, admin, "Meenemen.")
    db.session.commit()
    assert _ids(db.session.scalar(select(Decision)).ideas) == [secret.id]  # kept
    assert result.ack["decision"]["ideas"] == [] and result.emits[0].data["decision"]["ideas"] == []
    live.close_meeting(meeting, admin)
    db.session.commit()
    assert "Geheim" not in db.session.get(type(meeting), meeting.id).minutes
