"""Registering under real concurrency: threads that each commit on their own connection, on SQLite and
PostgreSQL. The capacity holds, the waiting list keeps everyone else, and cancellations move exactly as many up.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.meetings import operations as ops
from samen.meetings.models import Meeting, Registration
from samen.thinktanks import operations as tt_ops
from tests.conftest import THREAD_TIMEOUT

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out


def _setup(app: Flask, *, people: int, capacity: int) -> tuple[int, list[int]]:
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
        chair = account_ops.create_user(email="voorzitter@example.org", display_name="Voorzitter",
                                        password_hash="!unusable")
        tt_ops.appoint_chair(thinktank, chair)
        users = [account_ops.create_user(email=f"bewoner{n}@example.org", display_name=f"Bewoner {n}",
                                         password_hash="!unusable") for n in range(people)]
        start = utcnow() + timedelta(days=3)
        meeting = ops.create_meeting(thinktank, by=chair, title="Avond", starts_at=start,
                                     ends_at=start + timedelta(hours=2), location="Hal", capacity=capacity)
        db.session.commit()
        return meeting.id, [user.id for user in users]


def _in_parallel(app: Flask, meeting_id: int, user_ids: list[int], work: Callable[[Meeting, User], Any]) -> None:
    barrier = threading.Barrier(len(user_ids))
    errors: list[BaseException] = []

    def run(user_id: int) -> None:
        with app.app_context():
            try:
                meeting, user = db.session.get(Meeting, meeting_id), db.session.get(User, user_id)
                db.session.commit()
                barrier.wait(timeout=THREAD_TIMEOUT)
                work(meeting, user)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                errors.append(error)

    threads = [threading.Thread(target=run, args=(user_id,), daemon=True) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs: deadlock?"
    assert not errors, errors[:3]


def _statuses(app: Flask, meeting_id: int) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Registration.status, func.count()).where(
            Registration.meeting_id == meeting_id).group_by(Registration.status)).all())


def test_twenty_people_register_at_once_for_five_places(live_app: Flask) -> None:
    meeting_id, people = _setup(live_app, people=20, capacity=5)
    _in_parallel(live_app, meeting_id, people, ops.register)
    assert _statuses(live_app, meeting_id) == {"registered": 5, "waiting": 15}
    with live_app.app_context():
        registered = list(db.session.scalars(select(Registration.user_id).where(
            Registration.meeting_id == meeting_id, Registration.status == "registered")))
        first_waiting = db.session.scalars(select(Registration.user_id).where(
            Registration.meeting_id == meeting_id, Registration.status == "waiting")
            .order_by(Registration.created_at, Registration.id).limit(4)).all()
    _in_parallel(live_app, meeting_id, registered[:4], ops.cancel_registration)
    assert _statuses(live_app, meeting_id) == {"registered": 5, "waiting": 11, "cancelled": 4}
    with live_app.app_context():
        moved = set(db.session.scalars(select(Registration.user_id).where(
            Registration.meeting_id == meeting_id, Registration.status == "registered")))
    assert set(first_waiting) <= moved  # first come, first served
