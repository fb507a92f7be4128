"""The meetings' part of 'download my data', 'delete my account' and retention."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.core.database import utcnow
from samen.accounts import operations as account_ops
from samen.meetings import live, privacy, signouts
from samen.meetings import operations as ops
from samen.meetings.models import Attendance, LiveConnection, RaisedHand, Registration, Vote
from samen.privacy import operations as privacy_ops
from samen.privacy.registry import features

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _count(db: Any, model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def voted(db, meeting, chair, member, make_member, thinktank):
    """A live meeting where the member registered, is connected, raised a hand and voted; another member too."""
    other = make_member(thinktank, display_name="Ander lid")
    for person in (member, other):
        ops.register(meeting, person)
    db.session.commit()
    live.open_meeting(meeting, chair)
    live.connect(meeting, member, sid="sid-member")
    live.connect(meeting, other, sid="sid-other")
    account_ops.create_api_token(member)
    account_ops.create_api_token(other)
    for person, sid in ((member, "sid-member"), (other, "sid-other")):
        signouts.record(sid, person, server="test", token_id=person.api_tokens[0].id)
    live.raise_hand(meeting, member)
    live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    ballot = live.open_ballot_of(meeting)
    live.cast_vote(meeting, member, ballot.id, choice="yes")
    live.cast_vote(meeting, other, ballot.id, choice="no")
    db.session.commit()
    return other


def test_the_meetings_feature_is_registered():
    assert "meetings" in [feature.name for feature in features()]


def test_the_download_has_my_registrations_votes_and_attendance_only(db, meeting, member, voted):
    data = privacy.export(member)
    assert [(r["meeting_id"], r["status"]) for r in data["registrations"]] == [(meeting.id, "registered")]
    assert [(v["question"], v["choice"]) for v in data["votes"]] == [("Gaan we dit doen?", "yes")]
    assert [a["meeting_id"] for a in data["attendance"]] == [meeting.id]
    assert [h["meeting_id"] for h in data["raised_hands"]] == [meeting.id]
    assert "no" not in [v["choice"] for v in data["votes"]]  # the other member's vote is not mine
    everything = privacy_ops.to_json(privacy_ops.export_user_data(member))
    assert "Gaan we dit doen?" in everything and "Ander lid" not in everything


def test_deleting_the_account_removes_votes_places_and_connections(db, app, meeting, member, voted,
                                                                  monkeypatch):
    closed: list[tuple[str, str]] = []
    from samen.extensions import socketio_for
    monkeypatch.setattr(socketio_for(app).server, "disconnect",
                        lambda sid, namespace=None: closed.append((sid, namespace)))
    user_id = member.id
    server = socketio_for(app).server
    privacy_ops.delete_account(member, keep_contributions=True, hash_key=app.config["SECRET_KEY"])
    assert signouts.close_ended(server) == [] and closed == []  # not before the deletion is committed
    db.session.commit()
    assert signouts.close_ended(server) == ["sid-member"]
    assert closed == [("sid-member", "/live")]
    for model in (Registration, Vote, Attendance, RaisedHand, LiveConnection):
        assert _count(db, model, model.user_id == user_id) == 0, model
    assert _count(db, Vote, Vote.user_id == voted.id) == 1  # the other member's vote stays


def test_a_place_given_up_by_deleting_the_account_goes_to_the_waiting_list(db, app, create_meeting, thinktank,
                                                                          member, make_member):
    meeting = create_meeting(thinktank, capacity=1)
    waiting = make_member(thinktank, display_name="Wachtende")
    ops.register(meeting, member)
    ops.register(meeting, waiting)
    db.session.commit()
    assert ops.registration_of(meeting, waiting).status == "waiting"
    privacy_ops.delete_account(member, keep_contributions=False, hash_key=app.config["SECRET_KEY"])
    db.session.commit()
    assert ops.registration_of(meeting, waiting).status == "registered"


def test_a_rolled_back_deletion_closes_nothing(db, app, meeting, member, voted, monkeypatch):
    closed: list[str] = []
    from samen.extensions import socketio_for
    monkeypatch.setattr(socketio_for(app).server, "disconnect", lambda sid, namespace=None: closed.append(sid))
    privacy_ops.delete_account(member, keep_contributions=True, hash_key=app.config["SECRET_KEY"])
    db.session.rollback()
    db.session.commit()
    assert signouts.close_ended(socketio_for(app).server) == []
    assert closed == []


def test_retention_removes_registrations_of_long_past_meetings(db, create_meeting, thinktank, member, chair):
    recent = create_meeting(thinktank)
    old = create_meeting(thinktank, title="Lang geleden")
    for meeting in (recent, old):
        ops.register(meeting, member)
    db.session.commit()
    old.starts_at = utcnow() - timedelta(days=400)
    old.ends_at = old.starts_at + timedelta(hours=2)
    db.session.add(Attendance(meeting_id=old.id, user_id=member.id))
    db.session.commit()
    settings = {"RETENTION_REGISTRATIONS_DAYS": 180}
    counted = privacy.retain(now=utcnow(), settings=settings, dry_run=True)
    assert counted == {"registrations of past meetings": 1, "attendance of past meetings": 1,
                       "guest names of past meetings": 0}
    assert _count(db, Registration, Registration.meeting_id == old.id) == 1  # a dry run removes nothing
    assert privacy.retain(now=utcnow(), settings=settings, dry_run=False) == counted
    assert _count(db, Registration, Registration.meeting_id == old.id) == 0
    assert _count(db, Registration, Registration.meeting_id == recent.id) == 1
    assert privacy.retain(now=utcnow(), settings={"RETENTION_REGISTRATIONS_DAYS": 0}, dry_run=False) == {}
