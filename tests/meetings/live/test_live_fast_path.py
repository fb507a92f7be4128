"""The live board's fast paths (docs/benchmarks.md, live section): a vote or a command reads the meeting and the
sender's role in one query — again for every event, so a role lost between two events counts at once — the
board's version and the votes' `seq` are counters on the meeting, and a vote costs a fixed number of queries."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.meetings import live
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Meeting, MeetingCommand, Vote
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership
from tests.meetings.live.conftest import opened

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _ballot(db: Any, meeting: Meeting, chair: Any) -> int:
    opened(db, meeting, chair)
    ballot_id = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]["id"]
    db.session.commit()
    return ballot_id


def _choice(db: Any, ballot_id: int, user: Any) -> str | None:
    return db.session.scalar(select(Vote.choice).where(Vote.ballot_id == ballot_id, Vote.user_id == user.id))


def test_the_next_vote_is_refused_once_the_voter_left_the_think_tank(db, meeting, connect, chair, member,
                                                                      thinktank):
    ballot_id = _ballot(db, meeting, chair)
    phone = connect(member, join=meeting)
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "yes"})["ok"]

    tt_ops.leave_thinktank(thinktank, member)  # e.g. on another server process, between two votes
    db.session.commit()
    answer = phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"})
    assert answer["error"]["code"] == "forbidden"
    assert _choice(db, ballot_id, member) == "yes"
    assert phone.emit("hand:raise")["error"]["code"] == "forbidden"


def test_the_next_vote_is_refused_once_the_registration_is_cancelled(db, meeting, connect, chair, people):
    registered = people["registered"]  # registered for the meeting, not a member of the think tank
    ballot_id = _ballot(db, meeting, chair)
    phone = connect(registered, join=meeting)
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "abstain"})["ok"]

    meeting_ops.cancel_registration(meeting, registered)
    db.session.commit()
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"})["error"]["code"] == "forbidden"
    assert _choice(db, ballot_id, registered) == "abstain"

    meeting_ops.register(meeting, registered)  # and registered again: allowed again, at once
    db.session.commit()
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"})["ok"]
    assert _choice(db, ballot_id, registered) == "no"


def test_a_pending_membership_again_does_not_let_anyone_vote(db, meeting, connect, chair, member, thinktank):
    ballot_id = _ballot(db, meeting, chair)
    phone = connect(member, join=meeting)
    db.session.execute(Membership.__table__.update().where(Membership.user_id == member.id,
                                                           Membership.thinktank_id == thinktank.id)
                       .values(status="pending"))
    db.session.commit()
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "yes"})["error"]["code"] == "forbidden"
    assert _choice(db, ballot_id, member) is None


def test_a_dismissed_chair_can_no_longer_run_the_board(db, meeting, connect, chair, create_user, thinktank):
    console = connect(chair, join=meeting)
    assert console.emit("meeting:open")["ok"]
    tt_ops.appoint_chair(thinktank, create_user(display_name="Tweede voorzitter"))
    tt_ops.dismiss_chair(thinktank, chair)
    db.session.commit()
    version = live.version_of(meeting)
    answer = console.emit("timer:start", {"seconds": 60})
    assert answer["error"]["code"] == "forbidden"
    assert live.version_of(meeting) == version
    assert console.emit("hand:raise")["ok"]  # still a member: a participant


def test_a_members_only_meeting_refuses_a_vote_once_the_meeting_became_members_only_and_the_voter_left(
        db, meeting, connect, chair, member, thinktank):
    ballot_id = _ballot(db, meeting, chair)
    phone = connect(member, join=meeting)
    meeting.public = False
    tt_ops.leave_thinktank(thinktank, member)
    db.session.commit()
    assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "yes"})["error"]["code"] == "forbidden"


def test_commands_act_on_the_meeting_joined_last_and_leaving_ends_that(db, thinktank, meeting, connect, chair):
    from tests.meetings.live.conftest import make_meeting

    other = make_meeting(db, thinktank, title="Tweede avond")
    console = connect(chair, join=meeting)
    assert console.join(other)["ok"]
    assert console.emit("meeting:open")["ok"]
    db.session.expire_all()
    assert (meeting.state, other.state) == ("scheduled", "live")
    assert console.emit("leave")["ok"]
    assert console.emit("timer:start", {"seconds": 60})["error"]["code"] == "invalid"


def test_the_counters_follow_the_command_log(db, meeting, connect, chair, member, people):
    console = connect(chair, join=meeting)
    phones = [connect(person, join=meeting) for person in (member, people["registered"], people["admin"])]
    console.emit("meeting:open")
    console.emit("timer:start", {"seconds": 30})
    ballot = console.emit("ballot:open", {"question": "Gaan we dit doen?"})["ballot"]
    seqs = [phone.emit("ballot:vote", {"ballot_id": ballot["id"], "choice": "yes"})["seq"] for phone in phones]
    changed = phones[0].emit("ballot:vote", {"ballot_id": ballot["id"], "choice": "no"})  # a changed vote counts
    closed = console.emit("ballot:close")

    assert seqs == [1, 2, 3] and changed["seq"] == 4
    assert changed["version"] == 3 and closed["version"] == 4
    commands = list(db.session.scalars(select(MeetingCommand).where(MeetingCommand.meeting_id == meeting.id)
                                       .order_by(MeetingCommand.id)))
    assert live.version_of(meeting) == sum(c.kind != live.VOTE for c in commands) == 4
    assert live.vote_seq_of(meeting) == sum(c.kind == live.VOTE for c in commands) == 4
    assert [c.payload for c in commands if c.kind == live.VOTE] == [{"ballot_id": ballot["id"]}] * 4
    last = console.received("tally")[-1]
    assert (last["seq"], last["votes"], last["tally"]) == (4, 3, {"yes": 2, "no": 1, "abstain": 0})
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.ballot_id == ballot["id"])) == 3


def test_a_vote_and_its_tally_take_a_fixed_number_of_queries(db, meeting, connect, chair, create_user,
                                                             thinktank, count_queries):
    ballot_id = _ballot(db, meeting, chair)
    voters = [create_user(display_name=f"Lid {n}") for n in range(12)]
    for user in voters:
        tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    phones = [connect(user, join=meeting) for user in voters]
    counts = []
    for phone in phones:
        with count_queries() as statements:
            assert phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "yes"})["ok"]
        counts.append(len(statements))
    # The user (here already in the test's session); the meeting with the role; the ballot; the vote (one upsert);
    # the command; seq. Then the tally (LIVE_TALLY_INTERVAL is 0 in tests: one per vote): the ballot, the counters,
    # the counts; which audiences of rendered regions are present (regions.audiences_present). The same for the
    # first vote and the twelfth: nothing grows with the votes.
    assert len(set(counts)) == 1 and counts[0] <= 10, counts
    with count_queries() as statements:
        assert phones[0].emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"})["ok"]  # a changed vote
    assert len(statements) == counts[0]


def test_a_burst_of_announcements_becomes_one_broadcast_now_and_one_at_the_end_of_the_interval(app):
    from samen.meetings.runner import Coalesced

    sent: list[tuple[int, Any, float]] = []
    both = threading.Event()

    def send(meeting_id: int, value: Any) -> None:
        sent.append((meeting_id, value, time.monotonic()))
        if sum(m == 7 for m, _, _ in sent) == 2:
            both.set()

    coalesced = Coalesced("TEST_COALESCE_INTERVAL", 0.2, send)
    with app.app_context():
        started = time.monotonic()
        for value in range(10):
            coalesced.announce(7, value)
        coalesced.announce(8, "another meeting")  # its own interval
        assert both.wait(5)
    seven = [(value, at - started) for meeting_id, value, at in sent if meeting_id == 7]
    assert [value for value, _ in seven] == [0, 9]  # the first at once, then the latest at the end
    assert seven[0][1] < 0.1 and seven[1][1] >= 0.19
    assert (8, "another meeting") in [(m, v) for m, v, _ in sent]


def test_without_an_interval_every_announcement_is_sent_at_once(app):
    from samen.meetings.runner import Coalesced

    sent: list[Any] = []
    coalesced = Coalesced("TEST_COALESCE_INTERVAL", 0, lambda meeting_id, value: sent.append(value))
    with app.app_context():
        for value in range(5):
            coalesced.announce(7, value)
    assert sent == [0, 1, 2, 3, 4]


def test_presence_is_broadcast_at_once_then_at_most_once_per_interval(db, app, meeting, connect, people,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_PRESENCE_INTERVAL", 0.3)
    time.sleep(0.35)  # what earlier tests announced for a meeting with this id is older than the interval
    projector = connect(None, join=meeting)
    time.sleep(0.35)  # its own join's presence has left
    projector.received()
    for person in ("member", "registered", "admin"):
        connect(people[person], join=meeting)
    first = projector.received("presence")
    assert [p["count"] for p in first] == [2]  # the first join at once; the others wait for the interval
    time.sleep(0.6)
    assert [p["count"] for p in projector.received("presence")] == [4]  # then one more, with all of them


def test_opening_records_who_participates_in_a_fixed_number_of_queries(db, meeting, connect, chair, people,
                                                                       create_user, thinktank, count_queries):
    from samen.meetings.models import Attendance

    for person in ("member", "registered", "admin", "other"):
        connect(people[person], join=meeting)
    connect(None, join=meeting)  # a projector
    newcomers = [create_user(display_name=f"Lid {n}") for n in range(8)]
    for user in newcomers:
        tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    for user in newcomers:
        connect(user, join=meeting)
    console = connect(chair, join=meeting)
    with count_queries() as statements:
        assert console.emit("meeting:open")["ok"]
    attended = set(db.session.scalars(select(Attendance.user_id).where(Attendance.meeting_id == meeting.id)))
    expected = {people[p].id for p in ("member", "registered", "admin")} | {chair.id} | {u.id for u in newcomers}
    assert attended == expected  # not the member of another think tank, not the projector
    # The token with its owner (checked again on every event), the meeting with the role, the board's lock, the
    # agenda, who participates, two for attendance, the meeting's new state, the command and the version, the
    # audiences of rendered regions present (none here: API clients): nothing per person present.
    assert len(statements) <= 13, [" ".join(s.split())[:80] for s in statements]
