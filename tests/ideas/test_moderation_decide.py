"""Chairs decide on ideas: a status with a written answer, told to the author and the supporters; mistakes are
said on the idea page and store nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from samen.follows.fanout import fan_out
from samen.accounts.models import User
from samen.audit.models import AuditEntry
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.models import Idea, StatusChange
from samen.notifications.models import Notification
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD
from tests.ideas.test_moderation_access import state

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


# These two fixtures belong in tests/ideas/conftest.py; each web module repeats them until they move there.
@pytest.fixture(autouse=True)
def _like_production(app: Flask, client: FlaskClient) -> Iterator[None]:
    """Start each request with nothing cached in the session, as in production; show pages in English."""
    def forget(_sender: Flask, **_extra: Any) -> None:
        _db.session.expire_all()

    with client.session_transaction() as session:
        session["lang"] = "en"
    request_started.connect(forget, app)
    try:
        yield
    finally:
        request_started.disconnect(forget, app)


@pytest.fixture
def create_user(create_user: Callable[..., User]) -> Callable[..., User]:
    """Return the user factory, with a password hash that is quick to check: these tests sign in often."""
    def make(**fields: Any) -> User:
        user = create_user(**fields)
        user.password_hash = QUICK_HASH
        _db.session.commit()
        return user
    return make


def _follow(client: FlaskClient, response: Any) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_chair_decides_and_the_author_and_supporters_are_told(client, auth, thinktank, idea, chair, member,
                                                               make_member):
    supporter = make_member(thinktank)
    ops.support_idea(idea, supporter)
    _db.session.commit()
    auth.login(chair)
    response = auth.post(f"/ideas/{idea.id}/decide", {"status": "adopted", "answer": "We gaan dit **doen**."})
    assert response.headers["Location"] == f"/ideas/{idea.id}#answer-heading"
    html = _follow(client, response)
    assert "The decision is saved: Adopted." in html
    assert "<strong>doen</strong>" in html  # the answer is Markdown, shown rendered
    stored = _db.session.get(Idea, idea.id)
    assert (stored.status, stored.answer) == ("adopted", "We gaan dit **doen**.")
    change = _db.session.scalar(select(StatusChange).where(StatusChange.idea_id == idea.id))
    assert (change.from_status, change.to_status, change.actor_id) == ("new", "adopted", chair.id)
    audit = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.status"))
    assert (audit.actor_id, audit.subject_id) == (chair.id, idea.id)
    assert audit.data == {"old": "new", "new": "adopted"}
    fan_out(lambda user, event: None)  # they follow the idea: told by the fan-out (docs/notifications.md)
    told = {n.user_id for n in _db.session.scalars(select(Notification).where(Notification.kind == "idea.adopted"))}
    assert told == {member.id, supporter.id}


def test_an_admin_merges_an_idea_into_another_of_the_same_think_tank(client, auth, thinktank, idea, admin,
                                                                     member, create_idea):
    target = create_idea(thinktank, member, title="Het grotere idee")
    auth.login(admin)
    response = auth.post(f"/ideas/{idea.id}/decide", {"status": "merged", "answer": "Zie het grotere idee.",
                                                      "merged_into": f" {target.id} "})
    html = _follow(client, response)
    assert "The decision is saved: Merged into another idea." in html
    assert f'href="/ideas/{target.id}">Het grotere idee</a>' in html
    assert _db.session.get(Idea, idea.id).merged_into_id == target.id


def test_a_later_decision_replaces_the_merge(client, auth, thinktank, idea, chair, member, create_idea):
    target = create_idea(thinktank, member, title="Ander idee")
    ops.decide(idea, by=chair, status="merged", answer="Samengevoegd.", merged_into=target)
    _db.session.commit()
    auth.login(chair)
    auth.post(f"/ideas/{idea.id}/decide", {"status": "discussion", "answer": "Toch apart bespreken.",
                                           "merged_into": str(target.id)})
    stored = _db.session.get(Idea, idea.id)
    assert (stored.status, stored.merged_into_id) == ("discussion", None)


@pytest.fixture
def elsewhere(create_thinktank, make_member) -> Idea:
    """Return an idea of another think tank."""
    other = create_thinktank()
    return ops.create_idea(other, author=make_member(other), title="Elders")


BAD = {
    "no answer": ({"status": "adopted", "answer": ""}, "Write an answer"),
    "blank answer": ({"status": "adopted", "answer": "  \n "}, "Write an answer"),
    "too long answer": ({"status": "adopted", "answer": "x" * (ops.ANSWER_MAX + 1)}, "longer than 20000"),
    "unknown status": ({"status": "bogus", "answer": "Ja."}, "Unknown status. Choose one of: new, discussion,"),
    "no status": ({"answer": "Ja."}, "Unknown status"),
    "merged without idea": ({"status": "merged", "answer": "Ja.", "merged_into": ""}, "Give the number"),
    # What is not an id gets the message it gets everywhere (samen/core/inputs.py), as in the API.
    "merged into text": ({"status": "merged", "answer": "Ja.", "merged_into": "abc"}, "This is not a valid id."),
    "merged into negative": ({"status": "merged", "answer": "Ja.", "merged_into": "-3"}, "This is not a valid id."),
    "merged into a huge number": ({"status": "merged", "answer": "Ja.", "merged_into": "9" * 10},
                                  "This is not a valid id."),
    "merged into a superscript": ({"status": "merged", "answer": "Ja.", "merged_into": "²"},
                                  "This is not a valid id."),
    "merged into another script": ({"status": "merged", "answer": "Ja.", "merged_into": "١٢"},
                                   "This is not a valid id."),
    "merged into unknown": ({"status": "merged", "answer": "Ja.", "merged_into": "999999"},
                            "Choose another idea of this think tank to merge into."),
    "merged into itself": ({"status": "merged", "answer": "Ja.", "merged_into": "{self}"},
                           "Choose another idea of this think tank to merge into."),
    "merged into another think tank": ({"status": "merged", "answer": "Ja.", "merged_into": "{elsewhere}"},
                                       "Choose another idea of this think tank to merge into."),
}


@pytest.mark.parametrize("case", BAD)
def test_mistakes_are_said_on_the_idea_page_and_store_nothing(client, auth, idea, chair, elsewhere, case):
    data, message = BAD[case]
    data = {key: value.format(self=idea.id, elsewhere=elsewhere.id) for key, value in data.items()}
    auth.login(chair)
    before = state()
    response = auth.post(f"/ideas/{idea.id}/decide", data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#decide-heading"
    assert state() == before
    html = _follow(client, response)
    assert message in html
    assert 'class="alert alert--error"' in html


def test_an_archived_think_tank_takes_no_decisions(client, auth, thinktank, idea, chair):
    tt_ops.archive_thinktank(thinktank)
    _db.session.commit()
    auth.login(chair)
    before = state()
    html = _follow(client, auth.post(f"/ideas/{idea.id}/decide", {"status": "adopted", "answer": "Ja."}))
    assert "This think tank is archived and can no longer be changed." in html
    assert state() == before


def test_the_decide_form_is_offered_to_chairs_only(client, auth, idea, chair, member):
    auth.login(member)
    assert "Decide on this idea" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    auth.logout()
    auth.login(chair)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Decide on this idea" in html
    assert f'action="/ideas/{idea.id}/decide"' in html
