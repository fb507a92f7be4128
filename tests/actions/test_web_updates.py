"""Progress updates and milestones from the action page: posting, ticking off, and every mistake."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import ActionItem, Milestone, ProgressUpdate
from samen.core.database import db as _db
from tests.conftest import PASSWORD

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


# These two fixtures repeat those of the ideas' web tests; they belong in a shared conftest.
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


@pytest.fixture
def action(thinktank: Any, member: User, create_action: Callable[..., ActionItem]) -> ActionItem:
    """Return a public action item owned by the member."""
    return create_action(thinktank, owner=member)


def _count(model: Any) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _fresh(action: ActionItem) -> ActionItem:
    _db.session.expire_all()
    return _db.session.get(ActionItem, action.id)


def test_owner_posts_an_update(client, auth, member, action, db):
    auth.login(member)
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Post a progress update" in html and 'name="body"' in html
    response = auth.post(f"/actions/{action.id}/updates",
                         {"body": "Eerste **school** bezocht.", "progress": "25", "status": "in_progress"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/actions/{action.id}#updates-heading"
    action = _fresh(action)
    assert action.progress == 25 and action.status == "in_progress"
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Your update is posted." in html
    updates = html.split('id="updates-heading"')[1]
    assert "Eerste <strong>school</strong> bezocht." in updates and "Lid van de denktank" in updates
    assert "In progress · 25% done" in updates
    bar = '<progress max="100" value="25" aria-hidden="true"></progress> <span class="meter__text">25% done'
    assert bar in html  # the bar, with its percentage in words


def test_an_update_without_numbers_keeps_them(client, auth, chair, action, db):
    auth.login(chair)
    assert auth.post(f"/actions/{action.id}/updates", {"body": "Nog niets nieuws.", "progress": "",
                                                       "status": ""}).status_code == 302
    action = _fresh(action)
    assert action.progress == 0 and action.status == "planned" and _count(ProgressUpdate) == 1


def test_stopping_with_a_reason(client, auth, member, action, db):
    auth.login(member)
    data = {"body": "We stoppen.", "status": "stopped", "stop_reason": "De school doet niet mee."}
    assert auth.post(f"/actions/{action.id}/updates", data).status_code == 302
    action = _fresh(action)
    assert action.status == "stopped" and action.stop_reason == "De school doet niet mee."


UPDATE_MISTAKES = [
    ({"body": "Tekst", "progress": "101"}, "progress"),
    ({"body": "Tekst", "progress": "-1"}, "progress"),
    ({"body": "Tekst", "progress": "abc"}, "progress"),
    ({"body": "Tekst", "status": "stopped", "stop_reason": ""}, "stop_reason"),
    ({"body": "Tekst", "status": "klaar"}, "status"),
    ({"body": "   "}, "body"),
]


@pytest.mark.parametrize("data, field", UPDATE_MISTAKES,
                         ids=[f"{f}-{i}" for i, (_d, f) in enumerate(UPDATE_MISTAKES)])
def test_mistakes_in_an_update_change_nothing(client, auth, member, action, data, field, db):
    auth.login(member)
    response = auth.post(f"/actions/{action.id}/updates", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and "<details open>" in html  # the form stays open, with the mistake
    action = _fresh(action)
    assert _count(ProgressUpdate) == 0 and action.progress == 0 and action.status == "planned"


def test_milestones_drive_the_progress(client, auth, member, make_member, thinktank, action, db):
    auth.login(member)
    for title in ("Lesmateriaal klaar", "Eerste school", "Alle scholen"):
        response = auth.post(f"/actions/{action.id}/milestones", {"title": title, "due_date": "2027-01-15"})
        assert response.status_code == 302
    milestones = db.session.scalars(select(Milestone).order_by(Milestone.position)).all()
    assert [m.title for m in milestones] == ["Lesmateriaal klaar", "Eerste school", "Alle scholen"]
    response = auth.post(f"/milestones/{milestones[0].id}/toggle", {"done": "1"})
    assert response.headers["Location"] == f"/actions/{action.id}#milestone-{milestones[0].id}"
    auth.post(f"/milestones/{milestones[0].id}/toggle", {"done": "1"})  # twice: still done once
    assert _fresh(action).progress == 33
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "“Lesmateriaal klaar” is done." in html and "33% done" in html
    assert "Done on" in html and "Not done yet" in html
    assert "Mark as not done<span class=\"visually-hidden\">: Lesmateriaal klaar</span>" in html
    assert "Mark as done<span class=\"visually-hidden\">: Eerste school</span>" in html
    auth.post(f"/milestones/{milestones[0].id}/toggle", {"done": "0"})
    assert _fresh(action).progress == 0
    auth.logout()
    auth.login(make_member(thinktank))
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Lesmateriaal klaar" in html and "Mark as done" not in html and "Add a milestone" not in html
    assert "Post a progress update" not in html and "History of changes" not in html


@pytest.mark.parametrize("data, field", [({"title": ""}, "title"), ({"title": "Stap", "due_date": "morgen"},
                                                                    "due_date")])
def test_mistakes_in_a_milestone_change_nothing(client, auth, member, action, data, field, db):
    auth.login(member)
    response = auth.post(f"/actions/{action.id}/milestones", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(Milestone) == 0


def test_forms_without_a_csrf_token_are_refused(client, auth, member, action, db):
    auth.login(member)
    assert client.post(f"/actions/{action.id}/updates", data={"body": "Zonder token"}).status_code == 400
    assert _count(ProgressUpdate) == 0


def test_toggle_of_an_internal_action_needs_membership(client, auth, thinktank, chair, member, create_user,
                                                       create_action, db):
    internal = create_action(thinktank, owner=member, public=False)
    milestone = ops.add_milestone(internal, by=chair, title="Stap")
    db.session.commit()
    auth.login(create_user())
    assert auth.post(f"/milestones/{milestone.id}/toggle", {"done": "1"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).done_at is None
