"""Bad input on /live: an error in the acknowledgement, in the user's language, nothing changed, and the
meeting goes on for everyone else."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from samen.core.database import utcnow
from samen.meetings import live
from samen.meetings.models import Ballot, Decision, Idea, LiveConnection, MeetingCommand
from tests.meetings.live.conftest import make_meeting, opened, register


@pytest.fixture
def running(db, meeting, chair):
    """Return the meeting, opened by the chair."""
    return opened(db, meeting, chair)


def _commands(db) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingCommand))


@pytest.mark.parametrize("event, payload, code, field", [
    ("timer:start", {"seconds": -5}, "invalid", "seconds"),
    ("timer:start", {"seconds": 0}, "invalid", "seconds"),
    ("timer:start", {"seconds": "60"}, "invalid", "seconds"),
    ("timer:start", {"seconds": True}, "invalid", "seconds"),
    ("timer:start", {"seconds": 10 ** 9}, "invalid", "seconds"),
    ("timer:pause", None, "conflict", None),
    ("agenda:goto", {"index": 3}, "invalid", "index"),
    ("agenda:goto", {"index": -1}, "invalid", "index"),
    ("agenda:goto", {"index": "1"}, "invalid", "index"),
    ("agenda:goto", {}, "invalid", "index"),
    ("ballot:open", {}, "invalid", "question"),
    ("ballot:open", {"question": "   "}, "invalid", "question"),
    ("ballot:open", {"question": "x" * 501}, "invalid", "question"),
    ("ballot:open", {"question": "Ja?", "dots": 3}, "invalid", "question"),
    ("ballot:open", {"idea_ids": [], "dots": 3}, "invalid", "idea_ids"),
    ("ballot:open", {"idea_ids": [999999], "dots": 3}, "invalid", "idea_ids"),
    ("ballot:open", {"idea_ids": "1", "dots": 3}, "invalid", "idea_ids"),
    ("ballot:open", {"idea_ids": [1], "dots": 0}, "invalid", "dots"),
    ("ballot:close", None, "conflict", None),
    ("round:close", None, "conflict", None),
    ("decision:record", {"text": ""}, "invalid", "text"),
    ("decision:record", {"text": "Besluit", "action": "Doen"}, "invalid", "action"),
    ("decision:record", {"text": "Besluit", "action": {"title": ""}}, "invalid", "title"),
    ("decision:record", {"text": "Besluit", "action": {"title": "Doen", "due_date": "morgen"}}, "invalid",
     "due_date"),
    ("idea:merge", {"idea_id": 1, "into_id": 2}, "not_found", "idea_id"),
    ("idea:submit", {"title": "Idee"}, "conflict", None),  # no round is open
    ("ballot:vote", {"ballot_id": 999999, "choice": "yes"}, "not_found", "ballot_id"),
    ("meeting:open", None, "conflict", None),
    ("timer:start", {"seconds": 60, "extra": 1}, "invalid", "extra"),
    ("no:such:event", None, "invalid", None),
])
def test_bad_input_is_refused_and_changes_nothing(db, running, connect, chair, member, event, payload, code,
                                                   field):
    console = connect(chair, join=running)
    phone = connect(member, join=running)
    console.received()
    before = _commands(db)
    answer = console.emit(event, payload)
    assert answer["error"]["code"] == code, answer
    assert answer["error"].get("field") == field
    assert answer["error"]["message"]
    assert _commands(db) == before
    assert phone.received() == [] and console.received() == []
    assert phone.emit("hand:raise")["ok"]  # the meeting goes on


def test_a_decision_whose_owner_is_not_a_confirmed_account_is_refused(db, running, connect, chair, create_user):
    outsider = create_user(display_name="Nog niet bevestigd", email_confirmed=False)
    console = connect(chair, join=running)
    answer = console.emit("decision:record", {"text": "We doen het.",
                                              "action": {"title": "Uitvoeren", "owner_id": outsider.id}})
    assert answer["error"]["code"] == "invalid" and answer["error"]["field"] == "owner_id"
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_voting_on_a_closed_ballot(db, running, connect, chair, member):
    result = live.open_ballot(running, chair, question="Doen we mee?")
    live.close_ballot(running, chair)
    db.session.commit()
    phone = connect(member, join=running)
    answer = phone.emit("ballot:vote", {"ballot_id": result.ack["ballot"]["id"], "choice": "yes"})
    assert answer["error"]["code"] == "closed"


@pytest.mark.parametrize("vote", [
    {"choice": "maybe"}, {"choice": None}, {"dots": {"1": 1}}, {"choice": ["yes"]},
])
def test_bad_votes_on_a_question(db, running, connect, chair, member, vote):
    ballot = live.open_ballot(running, chair, question="Doen we mee?").ack["ballot"]
    db.session.commit()
    answer = connect(member, join=running).emit("ballot:vote", {"ballot_id": ballot["id"], **vote})
    assert answer["error"]["code"] == "invalid"


def test_dots_are_checked_against_the_number_and_the_options(db, running, connect, chair, member, idea,
                                                             create_idea):
    second = create_idea(running.thinktank, member, title="Tweede idee")
    outside = create_idea(running.thinktank, member, title="Niet op het stembiljet")
    ballot = live.open_ballot(running, chair, idea_ids=[idea.id, second.id], dots=3).ack["ballot"]
    db.session.commit()
    phone = connect(member, join=running)
    for dots in ({str(idea.id): 4}, {str(idea.id): 2, str(second.id): 2}, {str(outside.id): 1}, {"x": 1},
                 {str(idea.id): -1}, {str(idea.id): 1.5}, {str(idea.id): 0}, {}, [idea.id], {" 1": 1}):
        answer = phone.emit("ballot:vote", {"ballot_id": ballot["id"], "dots": dots})
        assert answer["error"]["code"] == "invalid", dots
    ok = phone.emit("ballot:vote", {"ballot_id": ballot["id"], "dots": {str(idea.id): 1, str(second.id): 2}})
    assert ok["vote"] == {"dots": {str(idea.id): 1, str(second.id): 2}}
    changed = phone.emit("ballot:vote", {"ballot_id": ballot["id"], "dots": {str(second.id): 3}})
    assert changed["vote"] == {"dots": {str(second.id): 3}}
    db.session.expire_all()
    votes, tally = live.tally_of(db.session.get(Ballot, ballot["id"]))
    assert votes == 1 and tally == {str(idea.id): 0, str(second.id): 3}


def test_a_vote_can_be_changed_while_the_ballot_is_open(db, running, connect, chair, member):
    ballot = live.open_ballot(running, chair, question="Doen we mee?").ack["ballot"]
    db.session.commit()
    phone = connect(member, join=running)
    phone.emit("ballot:vote", {"ballot_id": ballot["id"], "choice": "yes"})
    phone.emit("ballot:vote", {"ballot_id": ballot["id"], "choice": "no"})
    votes, tally = live.tally_of(db.session.get(Ballot, ballot["id"]))
    assert votes == 1 and tally == {"yes": 0, "no": 1, "abstain": 0}
    again = phone.join(running)
    assert again["board"]["you"]["vote"] == {"choice": "no"}


def test_a_ballot_of_another_meeting_is_not_found(db, running, connect, chair, member, thinktank):
    other = opened(db, make_meeting(db, thinktank), chair)
    ballot = live.open_ballot(other, chair, question="Elders?").ack["ballot"]
    db.session.commit()
    answer = connect(member, join=running).emit("ballot:vote", {"ballot_id": ballot["id"], "choice": "yes"})
    assert answer["error"]["code"] == "not_found"


@pytest.mark.parametrize("payload", [
    "meeting", 12, ["meeting_id", 1], {"meeting_id": "x" * 60_000}, {"meeting_id": 1, "extra": True},
    {"meeting_id": 0}, {"meeting_id": None},
])
def test_malformed_or_oversized_joins(db, running, connect, member, payload):
    client = connect(member)
    answer = client.emit("join", payload)
    assert answer["error"]["code"] == "invalid"
    assert client.connected  # refused, not thrown out
    assert client.join(running)["ok"]


def test_an_oversized_command_is_refused_without_disturbing_others(db, running, connect, chair, member):
    console = connect(chair, join=running)
    phone = connect(member, join=running)
    answer = phone.emit("idea:submit", {"title": "é" * 30_000})
    assert answer["error"]["code"] == "invalid"
    answer = phone.emit("hand:raise", {"a": 1}, "two arguments")
    assert answer["error"]["code"] == "invalid"
    assert phone.emit("hand:raise")["ok"] and console.received("hands")


def test_joining_a_meeting_you_may_not_join(db, thinktank, connect, create_user, chair):
    private = make_meeting(db, thinktank, public=False)
    outsider = create_user()
    for client in (connect(outsider), connect(None)):
        answer = client.join(private)
        # As the pages and the API answer: a meeting one may not follow does not exist for them.
        assert answer["error"]["code"] == "not_found" and answer["error"]["message"]
        assert "board" not in answer
    assert db.session.scalar(select(func.count()).select_from(LiveConnection)) == 0
    registered = create_user()
    register(db, private, registered)
    assert connect(registered).join(private)["board"]["you"]["role"] == "participant"
    assert connect(None).join(999999)["error"]["code"] == "not_found"


def test_anonymous_observers_see_public_meetings_but_cannot_act(db, running, connect):
    projector = connect(None)
    board = projector.join(running)["board"]
    assert board["you"] == {"user_id": None, "role": "observer", "vote": None, "hand_raised": False}
    assert "hands" not in board and "people" not in board["presence"]
    assert projector.emit("hand:raise")["error"]["code"] == "forbidden"


def test_an_invalid_token_is_refused_at_connect(app, db):
    from samen.extensions import socketio_for
    client = socketio_for(app).test_client(app, namespace="/live", auth={"token": "samen_not-a-token"})
    assert not client.is_connected("/live")


def test_the_session_cookie_signs_in(db, running, client, auth, connect, member):
    auth.login(member)
    phone = connect(None, flask_client=client)
    board = phone.join(running)["board"]
    assert board["you"]["user_id"] == member.id and board["you"]["role"] == "participant"


def test_errors_come_in_the_users_language(db, running, connect, member, chair):
    member.locale = "en"
    chair.locale = "nl"
    db.session.commit()
    english = connect(member, join=running).emit("meeting:close")["error"]["message"]
    dutch = connect(chair, join=running).emit("timer:start", {"seconds": -5})["error"]["message"]
    assert english == "Only the chair can do this."
    assert dutch != "The timer needs between 1 second and 24 hours." and dutch
    anonymous = connect(None, query_string="lang=en")
    assert anonymous.join(999999)["error"]["message"] == "This meeting does not exist."


def test_idea_submission_is_rate_limited(app, db, running, connect, chair, member, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "LIVE_IDEA_RATE_LIMIT", "2 per minute")
    from samen.meetings import ratelimit
    ratelimit.reset()
    live.open_round(running, chair)
    db.session.commit()
    phone = connect(member, join=running)
    answers = [phone.emit("idea:submit", {"title": f"Idee {n}"}) for n in range(3)]
    assert [a.get("ok") for a in answers[:2]] == [True, True]
    assert answers[2]["error"]["code"] == "rate_limited"
    assert db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title.like("Idee %"))) == 2
    ratelimit.reset()


def test_the_cors_origins_never_allow_everyone(app):
    from samen import create_app
    from tests.conftest import make_config
    with pytest.raises(RuntimeError):
        create_app(make_config(app.config["DATABASE_URL"], SOCKETIO_CORS_ALLOWED_ORIGINS=["*"]))


def test_dead_connections_are_cleaned(db, running, member):
    old = utcnow() - timedelta(minutes=10)
    db.session.add_all([LiveConnection(sid="dead", meeting_id=running.id, server="gone:1", seen_at=old),
                        LiveConnection(sid="mine", meeting_id=running.id, server="me:1"),
                        LiveConnection(sid="alive", meeting_id=running.id, server="other:1", user_id=member.id)])
    db.session.commit()
    assert live.clean_connections(server="me:1") == [running.id]
    assert set(db.session.scalars(select(LiveConnection.sid))) == {"alive"}
