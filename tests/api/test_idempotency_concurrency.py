"""Idempotency-Key under real concurrency: the same request sent several times at once, each on its own
connection, creates one idea (SQLite and PostgreSQL; an app with a database of its own, no rolled-back `db`)."""
from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops
from tests.conftest import THREAD_TIMEOUT

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

SENDS = 4


def test_the_same_request_sent_at_once_creates_one_idea(live_app: Flask) -> None:
    with live_app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
        user = account_ops.create_user(email="lid@example.org", display_name="Lid", password_hash="!unusable")
        tt_ops.join_thinktank(thinktank, user)
        token = account_ops.create_api_token(user)
        db.session.commit()
    barrier = threading.Barrier(SENDS)
    statuses: list[int | None] = [None] * SENDS

    def send(index: int) -> None:
        client = live_app.test_client()
        barrier.wait(timeout=THREAD_TIMEOUT)
        answer = client.post("/api/v1/thinktanks/preventie/ideas", json={"title": "Eén keer", "body": "Graag."},
                             headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "tegelijk"})
        statuses[index] = answer.status_code

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SENDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    # One created it; each other one got its answer (201, replayed) or was told it is still being handled (409).
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title == "Eén keer")) == 1
