"""Support, withdraw, comment, reply, edit and delete: one POST each, then back with a message."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea, Support
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD

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


def _supports() -> int:
    return _db.session.scalar(select(func.count()).select_from(Support))


def _comments() -> list[Comment]:
    return list(_db.session.scalars(select(Comment).order_by(Comment.id)))


def _follow(client: FlaskClient, response: Any) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_support_and_withdraw_support(client, auth, member, idea):
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/support")
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    html = _follow(client, response)
    assert "You support “Vrijplaats waar jongeren open met elkaar kunnen praten”." in html
    assert "1 member supports this idea." in html and "You support this idea" in html
    assert "You already support" in _follow(client, auth.post(f"/ideas/{idea.id}/support"))
    assert _supports() == 1
    html = _follow(client, auth.post(f"/ideas/{idea.id}/unsupport"))
    assert "You no longer support" in html and "0 members support this idea." in html
    assert _supports() == 0
    assert "You did not support" in _follow(client, auth.post(f"/ideas/{idea.id}/unsupport"))


@pytest.mark.parametrize("next_url, expected", [
    ("/thinktanks/preventie/ideas?sort=new#idea-{id}", "/thinktanks/preventie/ideas?sort=new#idea-{id}"),
    ("https://evil.example/", "/ideas/{id}"),
    ("//evil.example/", "/ideas/{id}"),
    ("/\\evil.example", "/ideas/{id}"),
    ("", "/ideas/{id}"),
])
def test_support_goes_back_to_a_local_page_only(client, auth, member, idea, next_url, expected):
    auth.login(member)
    for action in ("support", "unsupport"):
        response = auth.post(f"/ideas/{idea.id}/{action}", {"next": next_url.format(id=idea.id)})
        assert response.status_code == 302
        assert response.headers["Location"] == expected.format(id=idea.id)


def test_support_limit_is_explained(client, auth, thinktank, member, create_idea, db):
    thinktank.support_limit = 1
    db.session.commit()
    first, second = create_idea(thinktank, member, title="Een"), create_idea(thinktank, member, title="Twee")
    auth.login(member)
    auth.post(f"/ideas/{first.id}/support")
    html = _follow(client, auth.post(f"/ideas/{second.id}/support"))
    assert "You have used all 1 of your supports in this think tank." in html
    assert "You have used 1 of 1 supports in this think tank." in html
    assert _supports() == 1


def test_decided_idea_can_no_longer_be_supported(client, auth, thinktank, member, chair, idea, db):
    ops.decide(idea, by=chair, status="rejected", answer="Past niet in het plan.")
    db.session.commit()
    auth.login(member)
    html = _follow(client, auth.post(f"/ideas/{idea.id}/support"))
    assert "This idea can no longer be supported." in html
    assert "A decision was taken on this idea: it can no longer be supported." in html
    assert _supports() == 0


def test_author_withdraws_the_idea(client, auth, thinktank, member, idea):
    auth.login(member)
    html = _follow(client, auth.post(f"/ideas/{idea.id}/withdraw"))
    assert "Your idea is withdrawn." in html and "This idea was withdrawn by the author on" in html
    assert _db.session.get(Idea, idea.id).withdrawn_at is not None
    assert "No ideas yet." in client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)


def test_comment_and_reply(client, auth, thinktank, member, make_member, idea):
    other = make_member(thinktank, display_name="Buurtbewoner")
    auth.login(other)
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "Goed idee, ik doe mee."})
    [comment] = _comments()
    assert response.headers["Location"] == f"/ideas/{idea.id}#notice-comment-{comment.id}"
    assert "Your comment is posted." in _follow(client, response)
    auth.logout()
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "Dank je!", "parent_id": str(comment.id)})
    reply = _comments()[1]
    assert (reply.parent_id, reply.author_id) == (comment.id, member.id)
    assert response.headers["Location"] == f"/ideas/{idea.id}#notice-comment-{reply.id}"
    assert "Your reply is posted." in _follow(client, response)
    auth.post(f"/ideas/{idea.id}/comments", {"body": "Op het antwoord", "parent_id": str(reply.id)})
    assert _comments()[2].parent_id == comment.id  # one level: a reply to a reply answers the comment
    assert _db.session.get(Idea, idea.id).comment_count == 3


@pytest.mark.parametrize("data, message", [
    ({"body": ""}, "Write a comment first."),
    ({"body": "   "}, "Write a comment first."),
    ({"body": "x" * (ops.COMMENT_MAX + 1)}, "Field cannot be longer than 5000 characters."),
    ({"body": "Antwoord", "parent_id": "abc"}, "This is not a valid id."),
    ({"body": "Antwoord", "parent_id": "999999"}, "You can only reply to a comment on the same idea."),
], ids=["empty", "blank", "too-long", "bad-parent", "unknown-parent"])
def test_comment_mistakes_show_on_the_idea_page(client, auth, member, idea, data, message):
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/comments", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "<h1>Vrijplaats" in html
    assert _comments() == []


def test_reply_mistake_opens_its_reply_form(client, auth, thinktank, member, create_idea, idea, db):
    comment = ops.add_comment(idea, author=member, body="Eerste")
    other_idea = create_idea(thinktank, member, title="Ander idee")
    elsewhere = ops.add_comment(other_idea, author=member, body="Daar")
    db.session.commit()
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "", "parent_id": str(comment.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<details open>" in html and f'id="comment-body-{comment.id}-error"' in html
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "Hier", "parent_id": str(elsewhere.id)})
    assert response.status_code == 422
    assert "You can only reply to a comment on the same idea." in response.get_data(as_text=True)
    assert len(_comments()) == 2


def test_edit_own_comment(client, auth, thinktank, member, make_member, idea, db):
    comment = ops.add_comment(idea, author=member, body="Eerst zo")
    db.session.commit()
    auth.login(member)
    html = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert "Eerst zo</textarea>" in html
    assert auth.post(f"/comments/{comment.id}/edit", {"body": ""}).status_code == 422
    response = auth.post(f"/comments/{comment.id}/edit", {"body": "Nu *beter*"})
    assert response.headers["Location"] == f"/ideas/{idea.id}#notice-comment-{comment.id}"
    html = _follow(client, response)
    assert "Nu <em>beter</em>" in html and "edited" in html
    auth.logout()
    auth.login(make_member(thinktank))
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert auth.post(f"/comments/{comment.id}/edit", {"body": "Gekaapt"}).status_code == 403
    assert _db.session.get(Comment, comment.id).body == "Nu *beter*"


def test_delete_own_comment(client, auth, thinktank, member, make_member, idea, db):
    comment = ops.add_comment(idea, author=member, body="Weg ermee")
    db.session.commit()
    auth.login(make_member(thinktank))
    assert auth.post(f"/comments/{comment.id}/delete").status_code == 403
    auth.logout()
    auth.login(member)
    html = _follow(client, auth.post(f"/comments/{comment.id}/delete"))
    assert "Your comment is deleted." in html and "This comment was deleted." in html
    assert "Weg ermee" not in html
    assert _db.session.get(Idea, idea.id).comment_count == 0


def test_archived_think_tank_refuses_changes_with_a_message(client, auth, thinktank, member, idea, db):
    comment = ops.add_comment(idea, author=member, body="Nog van voor het archief")
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "Te laat"})
    assert response.status_code == 422
    assert "This think tank is archived and can no longer be changed." in response.get_data(as_text=True)
    assert "This think tank is archived" in _follow(client, auth.post(f"/ideas/{idea.id}/support"))
    assert client.get(f"/comments/{comment.id}/edit").status_code == 409
    assert _supports() == 0 and len(_comments()) == 1


# --- supporting in place: static/js/ideas.js asks for JSON and puts the answer on the page -------------------

JSON = {"Accept": "application/json"}


def test_supporting_in_place_answers_with_what_changes_on_the_page(client, auth, member, idea):
    auth.login(member)
    next_url = f"/thinktanks/preventie/ideas#idea-{idea.id}"
    response = auth.post(f"/ideas/{idea.id}/support", {"next": next_url}, headers=JSON)
    assert (response.status_code, response.mimetype) == (200, "application/json")
    data = response.get_json()
    assert (data["ok"], data["category"], data["supported"], data["support_count"]) == (True, "success", True, 1)
    assert data["message"] == "You support “Vrijplaats waar jongeren open met elkaar kunnen praten”."
    assert (data["count_short"], data["count_long"]) == ("1 support", "1 member supports this idea.")
    # The controls as the page shows them: the withdraw button, its form with a CSRF token and the way back.
    assert f'action="/ideas/{idea.id}/unsupport"' in data["controls"] and "Withdraw support" in data["controls"]
    assert 'name="csrf_token"' in data["controls"] and f'value="{next_url}"' in data["controls"]
    assert data["supports_used"] == ""  # no limit in this think tank
    assert _supports() == 1

    again = auth.post(f"/ideas/{idea.id}/support", headers=JSON).get_json()
    assert (again["category"], again["support_count"]) == ("info", 1)
    assert again["message"].startswith("You already support")
    gone = auth.post(f"/ideas/{idea.id}/unsupport", headers=JSON).get_json()
    assert (gone["ok"], gone["supported"], gone["count_short"]) == (True, False, "0 supports")
    assert f'action="/ideas/{idea.id}/support"' in gone["controls"]
    assert _supports() == 0
    twice = auth.post(f"/ideas/{idea.id}/unsupport", headers=JSON).get_json()
    assert twice["message"].startswith("You did not support") and twice["support_count"] == 0


def test_supporting_in_place_speaks_the_page_language(client, auth, member, idea):
    with client.session_transaction() as session:
        session["lang"] = "nl"
    auth.login(member)
    data = auth.post(f"/ideas/{idea.id}/support", headers=JSON).get_json()
    assert data["message"].startswith("Je steunt") and data["count_short"] == "1 keer gesteund"


def test_supporting_in_place_explains_the_limit_and_stores_nothing(client, auth, thinktank, member, create_idea,
                                                                   db):
    thinktank.support_limit = 1
    db.session.commit()
    first, second = create_idea(thinktank, member, title="Een"), create_idea(thinktank, member, title="Twee")
    auth.login(member)
    used = auth.post(f"/ideas/{first.id}/support", headers=JSON).get_json()["supports_used"]
    assert "You have used 1 of 1 supports in this think tank." in used
    response = auth.post(f"/ideas/{second.id}/support", headers=JSON)
    assert (response.status_code, response.mimetype) == (409, "application/json")
    data = response.get_json()
    assert (data["ok"], data["category"], data["supported"], data["support_count"]) == (False, "error", False, 0)
    assert data["message"] == ("You have used all 1 of your supports in this think tank. "
                               "Withdraw one to support this idea.")
    assert f'action="/ideas/{second.id}/support"' in data["controls"]  # the button stays, to try again later
    assert _supports() == 1


def test_a_refusal_is_not_an_answer_for_the_script(client, auth, thinktank, create_user, idea):
    """Who may not support at all is refused as anywhere else (a problem, since the script asks for JSON): the
    script finds no answer of its own in it and posts the form the ordinary way, which shows the refusal page."""
    auth.login(create_user())
    response = auth.post(f"/ideas/{idea.id}/support", headers=JSON)
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert _supports() == 0
    assert auth.post(f"/ideas/{idea.id}/support").status_code == 403


def test_the_script_is_only_on_pages_with_support_buttons(client, auth, member, idea, thinktank):
    script = '<script src="/static/js/ideas.js" defer></script>'
    assert script not in client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)
    assert script not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    auth.login(member)
    assert script in client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)
    assert script in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert client.get("/static/js/ideas.js").status_code == 200
