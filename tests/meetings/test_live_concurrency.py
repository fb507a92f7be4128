"""The live board under real concurrency, on SQLite and PostgreSQL: one vote per participant per ballot is
enforced by the database, versions stay contiguous, and a restarted server rebuilds the board from the database.

Like tests/ideas/test_concurrency.py, these tests use an app on a database of their own (no rolled-back
transaction), and threads that each commit on their own connection, released together by a barrier.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from samen import create_app
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.extensions import socketio_for
from samen.meetings import events, live, runner
from samen.meetings.models import AgendaItem, Ballot, Meeting, MeetingCommand, Vote
from samen.thinktanks import operations as tt_ops
from tests.conftest import THREAD_TIMEOUT, make_config

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out


def _setup(app: Flask, *, members: int) -> tuple[int, int, list[int]]:
    """Create a think tank with a chair and members, and a live meeting with an open question ballot; return
    the ids of the meeting, the ballot and the members."""
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
        users = [account_ops.create_user(email=f"lid{n}@example.org", display_name=f"Lid {n}",
                                         password_hash="!unusable") for n in range(members + 1)]
        chair, *others = users
        tt_ops.appoint_chair(thinktank, chair)
        for user in others:
            tt_ops.join_thinktank(thinktank, user)
        start = utcnow() + timedelta(hours=1)
        meeting = Meeting(thinktank_id=thinktank.id, title="Denktankavond", starts_at=start,
                          ends_at=start + timedelta(hours=2))
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="Stemmen"))
        db.session.flush()
        live.open_meeting(meeting, chair)
        ballot = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]
        db.session.commit()
        return meeting.id, ballot["id"], [user.id for user in others]


def _in_parallel(app: Flask, jobs: list[tuple[int, Any]], work: Callable[[Meeting, User, Any], Any]) -> list[Any]:
    """Run work(meeting, user, argument) for every (user id, argument) in its own thread at once; return each
    result or the DomainError it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    meeting_id = jobs[0][1][0]

    def run(index: int, user_id: int, argument: Any) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                db.session.commit()
                barrier.wait(timeout=THREAD_TIMEOUT)
                meeting = db.session.get(Meeting, meeting_id)
                results[index] = work(meeting, user, argument[1])
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(index, *job), daemon=True) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs: deadlock?"
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, DomainError)]
    assert not unexpected, f"{len(unexpected)} of {len(jobs)} threads failed, e.g. {unexpected[0]!r}"
    return results


def _votes(app: Flask, ballot_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(Vote.user_id, Vote.choice)
                                                         .where(Vote.ballot_id == ballot_id))]


def test_thirty_participants_vote_at_once(live_app: Flask) -> None:
    meeting_id, ballot_id, members = _setup(live_app, members=30)
    choices = ["yes", "no", "abstain"]
    jobs = [(user_id, (meeting_id, choices[n % 3])) for n, user_id in enumerate(members)]
    results = _in_parallel(live_app, jobs, lambda meeting, user, choice: live.cast_vote(
        meeting, user, ballot_id, choice=choice))
    assert all(isinstance(r, live.Result) for r in results)
    assert len(_votes(live_app, ballot_id)) == 30
    # Votes leave the board's version alone; each vote's `seq` is at most the number of votes stored, so a
    # tally read after it (seq >= it) includes it.
    assert {r.version for r in results} == {2}
    assert all(1 <= r.ack["seq"] <= 30 for r in results)
    with live_app.app_context():
        assert live.vote_seq_of(db.session.get(Meeting, meeting_id)) == 30
        votes, tally = live.tally_of(db.session.get(Ballot, ballot_id))
    assert votes == 30 and tally == {"yes": 10, "no": 10, "abstain": 10}


def test_one_participant_voting_from_ten_tabs_at_once_has_one_vote(live_app: Flask) -> None:
    meeting_id, ballot_id, (user_id, *_) = _setup(live_app, members=1)
    choices = ["yes", "no"] * 5
    jobs = [(user_id, (meeting_id, choice)) for choice in choices]
    _in_parallel(live_app, jobs, lambda meeting, user, choice: live.cast_vote(meeting, user, ballot_id,
                                                                              choice=choice))
    votes = _votes(live_app, ballot_id)
    assert len(votes) == 1 and votes[0][0] == user_id and votes[0][1] in ("yes", "no")


def test_the_database_refuses_a_second_vote(live_app: Flask) -> None:
    _, ballot_id, (user_id, *_) = _setup(live_app, members=1)
    with live_app.app_context():
        db.session.add(Vote(ballot_id=ballot_id, user_id=user_id, choice="yes"))
        db.session.commit()
        db.session.add(Vote(ballot_id=ballot_id, user_id=user_id, choice="no"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_two_ballots_opened_at_once_leave_one_open(live_app: Flask) -> None:
    meeting_id, _ballot_id, _members = _setup(live_app, members=0)
    with live_app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        chair = db.session.scalar(select(User).where(User.email == "lid0@example.org"))
        live.close_ballot(meeting, chair)
        db.session.commit()
        chair_id = chair.id
    jobs = [(chair_id, (meeting_id, n)) for n in range(5)]
    results = _in_parallel(live_app, jobs, lambda meeting, user, n: live.dispatch(
        meeting, user, "ballot:open", {"question": f"Vraag {n}"}))
    assert sum(isinstance(r, live.Result) for r in results) == 1
    assert all(r.code == "conflict" for r in results if not isinstance(r, live.Result))
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.closed_at.is_(None))) == 1


def test_a_restarted_server_rebuilds_the_board_from_the_database(live_app: Flask) -> None:
    meeting_id, ballot_id, members = _setup(live_app, members=2)
    with live_app.app_context():
        token = account_ops.create_api_token(db.session.get(User, members[0]), name="live")
        db.session.commit()
    first = socketio_for(live_app).test_client(live_app, namespace=events.NAMESPACE, auth={"token": token})
    first.emit("join", {"meeting_id": meeting_id}, namespace=events.NAMESPACE, callback=True)
    first.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"}, namespace=events.NAMESPACE, callback=True)
    first.emit("hand:raise", namespace=events.NAMESPACE, callback=True)
    before = first.emit("join", {"meeting_id": meeting_id}, namespace=events.NAMESPACE, callback=True)["board"]
    first.disconnect(namespace=events.NAMESPACE)

    # A new process: a new app on the same database, nothing kept in memory.
    restarted = create_app(make_config(live_app.config["DATABASE_URL"]))
    try:
        again = socketio_for(restarted).test_client(restarted, namespace=events.NAMESPACE, auth={"token": token})
        after = again.emit("join", {"meeting_id": meeting_id}, namespace=events.NAMESPACE, callback=True)["board"]
        again.disconnect(namespace=events.NAMESPACE)
    finally:
        restarted.extensions["samen_db"]["engine"].dispose()
    for board in (before, after):
        board["timer"].pop("remaining")
    assert after == before
    assert after["you"]["vote"] == {"choice": "no"} and after["you"]["hand_raised"] is True
    assert after["ballot"]["votes"] == 1 and after["ballot"]["seq"] == 1 and after["version"] == 3
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingCommand)) == 4  # the vote too


def test_joins_queue_for_the_meeting_without_holding_database_connections(live_app: Flask) -> None:
    # More people join at once than the pool has connections (5 + 10 overflow): while they wait for the
    # meeting's turn, they must not hold one, or the joins time out (300 phones scanning the QR code at once).
    meeting_id, _, members = _setup(live_app, members=20)
    with live_app.app_context():
        tokens = [account_ops.create_api_token(db.session.get(User, user_id), name="live") for user_id in members]
        db.session.commit()
    pool = live_app.extensions["samen_db"]["engine"].pool
    clients = [socketio_for(live_app).test_client(live_app, namespace=events.NAMESPACE, auth={"token": token})
               for token in tokens]
    answers: list[Any] = [None] * len(clients)

    def join(index: int) -> None:
        answers[index] = clients[index].emit("join", {"meeting_id": meeting_id}, namespace=events.NAMESPACE,
                                             callback=True)

    lock = runner.meeting_lock(meeting_id)
    lock.acquire()
    threads = [threading.Thread(target=join, args=(index,), daemon=True) for index in range(len(clients))]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + THREAD_TIMEOUT
        while time.monotonic() < deadline and not (pool.checkedout() == 0 and _all_waiting(threads)):
            time.sleep(0.05)
        assert _all_waiting(threads), "the joins did not reach the meeting's turn"
        assert pool.checkedout() == 0, "joins waiting for the meeting hold database connections"
    finally:
        lock.release()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert all(answer and answer.get("ok") for answer in answers), [a for a in answers if not a or "ok" not in a][:1]
    assert answers[-1]["board"]["presence"]["count"] >= 1
    for client in clients:
        client.disconnect(namespace=events.NAMESPACE)


def _all_waiting(threads: list[threading.Thread]) -> bool:
    """Every thread is blocked in `runner.in_turn` (its frame waits on the meeting's lock)."""
    import sys
    frames = sys._current_frames()
    waiting = 0
    for thread in threads:
        frame = frames.get(thread.ident)
        while frame is not None and frame.f_code.co_name != runner.in_turn.__wrapped__.__name__:
            frame = frame.f_back
        waiting += frame is not None
    return waiting == len(threads)
