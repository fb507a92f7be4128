"""The idea page: status and answer, text, author or anonymity, versions, discussion, placeholders."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.blueprint import endpoint_exists
from samen.ideas.models import Idea
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


def _page(client: FlaskClient, idea: Idea) -> str:
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_shows_the_idea_its_answer_and_its_discussion(client, thinktank, member, chair, create_idea, db):
    ops.create_tag(thinktank, "School")
    idea = create_idea(thinktank, member, title="Voorlichting op school", body="Met *ervaringsdeskundigen*.",
                       tags=["school"])
    first = ops.add_comment(idea, author=chair, body="Goed plan.")
    reply = ops.add_comment(idea, author=member, body="Dank je!", parent=first)
    ops.support_idea(idea, chair)
    ops.decide(idea, by=chair, status="adopted", answer="We starten **in maart**.")
    db.session.commit()
    html = _page(client, idea)
    assert "<h1>Voorlichting op school</h1>" in html
    assert "Status: </span>Adopted" in html
    assert "Answer from the think tank" in html and "We starten <strong>in maart</strong>." in html
    assert "Decided by Jongerenwerk on" in html and "Voorzitter" not in html  # the organisation in public
    assert "from “New” to “Adopted”" in html and "Status history" in html
    assert "Met <em>ervaringsdeskundigen</em>." in html
    assert "Posted by a participant on" in html and ">School</span>" in html
    assert "1 member supports this idea." in html
    assert f'id="comment-{first.id}"' in html and f'id="comment-{reply.id}"' in html
    replies = html.split('<ul class="replies"')[1].split("</ul>")[0]
    assert f'id="comment-{reply.id}"' in replies and "Dank je!" in replies
    assert "2 comments" in html
    assert "Sign in to support and discuss this idea." in html
    assert "/support" not in html and 'name="body"' not in html  # visitors get no forms


def test_members_get_the_forms(client, auth, thinktank, member, make_member, chair, idea, db):
    first = ops.add_comment(idea, author=chair, body="Goed plan.")
    db.session.commit()
    auth.login(make_member(thinktank))
    html = _page(client, idea)
    assert "Posted by Lid van de denktank on" in html  # signed in: people's own display names
    assert f'action="/ideas/{idea.id}/support"' in html
    assert html.count(f'action="/ideas/{idea.id}/comments"') == 2  # a reply form, and one for a new comment
    assert f'<input type="hidden" name="parent_id" value="{first.id}">' in html
    assert "<summary>Reply" in html
    assert "Edit your idea" not in html and "/withdraw" not in html


def test_the_author_can_edit_and_withdraw(client, auth, member, idea):
    auth.login(member)
    html = _page(client, idea)
    assert f'href="/ideas/{idea.id}/edit"' in html and f'action="/ideas/{idea.id}/withdraw"' in html


PAYLOADS = ('<script>alert("x")</script> <img src=x onerror="alert(1)"> [klik](javascript:alert(2)) '
            '<a href="javascript:alert(3)">a</a> <p onclick="alert(4)">p</p>')


def test_markdown_is_sanitised_everywhere_on_the_page(client, auth, thinktank, member, chair, create_idea,
                                                       db):
    idea = create_idea(thinktank, member, title="<script>alert(0)</script>", body=PAYLOADS)
    ops.add_comment(idea, author=member, body=PAYLOADS)
    ops.edit_idea(idea, by=member, body="Nieuw " + PAYLOADS)  # the previous version is shown too
    ops.decide(idea, by=chair, status="discussion", answer=PAYLOADS)
    db.session.commit()
    auth.login(chair)
    html = _page(client, idea)
    # The chair's decide form offers the raw answer for editing: escaped text inside a textarea is inert.
    fields = re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, flags=re.S)
    assert all("<" not in text for text in fields)
    html = re.sub(r"(<textarea[^>]*>).*?(</textarea>)", r"\1\2", html, flags=re.S)
    # The page's own script (supporting in place) comes from the app's static files; no other script may appear.
    assert html.count('<script src="/static/js/ideas.js" defer></script>') == 1
    html = html.replace('<script src="/static/js/ideas.js" defer></script>', "")
    assert "<script" not in html.lower()
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in html  # the title is text, escaped


@pytest.mark.parametrize("viewer, sees_name", [
    ("anonymous", False), ("outsider", False), ("member", False), ("author", False), ("chair", True),
    ("admin", True)])
def test_anonymous_author_is_shown_only_to_chairs(client, auth, thinktank, make_member, chair, admin, user,
                                                  create_idea, db, viewer, sees_name):
    author = make_member(thinktank, display_name="Geheime Schrijver")
    idea = create_idea(thinktank, author, anonymous=True)
    ops.add_comment(idea, author=author, body="Aanvulling van de schrijver.")
    db.session.commit()
    people = {"outsider": user, "member": make_member(thinktank), "author": author, "chair": chair,
              "admin": admin}
    if viewer in people:
        auth.login(people[viewer])
    html = _page(client, idea)
    listing = client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)
    assert "Posted by anonymous participant" in html
    assert "Geheime Schrijver" not in listing
    if sees_name:
        assert "Real name: Geheime Schrijver" in html and "shown only to chairs" in html
    else:
        assert "Geheime Schrijver" not in html
        assert "anonymous participant (the author of this idea)" in html


def test_hidden_idea_is_a_placeholder_except_for_chairs(client, auth, thinktank, member, chair, create_idea,
                                                        db):
    idea = create_idea(thinktank, member, title="Adres van een dealer", body="Geheime tekst")
    ops.hide(idea, by=chair, reason="Persoonlijke gegevens")
    db.session.commit()
    for viewer in (None, member):
        if viewer:
            auth.login(viewer)
        html = _page(client, idea)
        assert "Hidden by a moderator: Persoonlijke gegevens" in html
        assert "Adres van een dealer" not in html and "Geheime tekst" not in html
    auth.logout()
    auth.login(chair)
    html = _page(client, idea)
    assert "Hidden by a moderator: Persoonlijke gegevens" in html
    assert "Only chairs and administrators see the content of this idea." in html
    assert "Adres van een dealer" in html and "Geheime tekst" in html


def test_withdrawn_idea_says_so_and_takes_no_more_support(client, auth, thinktank, member, make_member, idea,
                                                          db):
    ops.withdraw_idea(idea, by=member)
    db.session.commit()
    auth.login(make_member(thinktank))
    html = _page(client, idea)
    assert "This idea was withdrawn by the author on" in html
    assert "/support" not in html and f'action="/ideas/{idea.id}/comments"' not in html


def test_deleted_and_hidden_comments_leave_placeholders(client, auth, thinktank, member, chair, idea, db):
    deleted = ops.add_comment(idea, author=member, body="Oeps, verkeerd.")
    ops.add_comment(idea, author=chair, body="Antwoord op het verwijderde.", parent=deleted)
    hidden = ops.add_comment(idea, author=member, body="Scheldwoord")
    ops.delete_comment(deleted, by=member)
    ops.hide(hidden, by=chair, reason="Niet vriendelijk")
    db.session.commit()
    html = _page(client, idea)
    assert "This comment was deleted." in html and "Oeps" not in html
    assert "Antwoord op het verwijderde." in html
    assert "Hidden by a moderator: Niet vriendelijk" in html and "Scheldwoord" not in html
    auth.login(chair)
    html = _page(client, idea)
    assert "Scheldwoord" in html and "Only chairs and administrators see this hidden text." in html


def test_previous_versions_are_in_a_details_element(client, thinktank, member, idea, db):
    ops.edit_idea(idea, by=member, title="Tweede titel", body="Tweede tekst")
    ops.edit_idea(idea, by=member, title="Derde titel")
    db.session.commit()
    html = _page(client, idea)
    versions = html.split("<summary>2 previous versions</summary>")[1].split("</details>")[0]
    assert versions.index("Tweede titel") < versions.index("Vrijplaats waar jongeren")  # newest first


def test_merged_idea_links_to_where_it_went(client, thinktank, member, chair, create_idea, db):
    target = create_idea(thinktank, member, title="Het grotere idee")
    idea = create_idea(thinktank, member, title="Het kleinere idee")
    ops.decide(idea, by=chair, status="merged", answer="Samengevoegd.", merged_into=target)
    db.session.commit()
    html = _page(client, idea)
    assert f'Merged into: <a href="/ideas/{target.id}">Het grotere idee</a>' in html.replace("</p>\n", "</p>")


def test_moderation_forms_appear_once_their_routes_exist(app, client, auth, thinktank, member, make_member,
                                                         chair, idea, db):
    ops.add_comment(idea, author=chair, body="Opmerking")
    db.session.commit()
    with app.test_request_context():
        assert endpoint_exists("ideas.show") and not endpoint_exists("ideas.no_such_page")
    auth.login(chair)
    html = _page(client, idea)
    assert ("/decide" in html) == endpoint_exists_in(app, "moderation.decide")
    assert 'name="answer"' in html or not endpoint_exists_in(app, "moderation.decide")
    auth.logout()
    auth.login(make_member(thinktank))
    html = _page(client, idea)
    assert ('name="reason"' in html) == (endpoint_exists_in(app, "moderation.report_idea")
                                         or endpoint_exists_in(app, "moderation.report_comment"))
    assert "/decide" not in html


def endpoint_exists_in(app: Flask, name: str) -> bool:
    return name in app.view_functions


def test_unknown_idea_is_404(client):
    assert client.get("/ideas/999999").status_code == 404
    assert client.get("/ideas/abc").status_code == 404


def _add_discussion(idea_id: int, chair_id: int, n: int, create_user: Any) -> None:
    """Add n commenters, each with a comment, a reply, a support, an edit and a decision on the idea."""
    idea = _db.session.get(Idea, idea_id)
    chair = _db.session.get(User, chair_id)
    for i in range(n):
        person = create_user(display_name=f"Deelnemer {i}")
        tt_ops.join_thinktank(idea.thinktank, person)
        comment = ops.add_comment(idea, author=person, body=f"Reactie {i}")
        ops.add_comment(idea, author=chair, body=f"Antwoord {i}", parent=comment)
        ops.support_idea(idea, person)
        if i % 4 == 1:
            ops.hide(comment, by=chair, reason="Te persoonlijk")
        ops.edit_idea(idea, by=idea.author, body=f"Versie {n}-{i}")
        ops.decide(idea, by=chair, status=("discussion", "new")[i % 2], answer=f"Besluit {i}")
    _db.session.commit()


def _count(client: FlaskClient, count_queries: Any, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm up
    _db.session.expunge_all()  # objects the test made must not spare a lazy load
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def test_idea_page_runs_a_fixed_number_of_queries(client, auth, count_queries, thinktank, member, chair,
                                                  create_idea, create_user, db):
    idea = create_idea(thinktank, member, anonymous=True)
    idea_id, chair_id, path = idea.id, chair.id, f"/ideas/{idea.id}"
    auth.login(chair)  # a chair sees the most: real names, hidden comments, the decision form
    _add_discussion(idea_id, chair_id, 3, create_user)
    small = _count(client, count_queries, path)
    _add_discussion(idea_id, chair_id, 27, create_user)
    large = _count(client, count_queries, path)
    html = client.get(path).get_data(as_text=True)
    assert len(re.findall(r'id="comment-\d+"', html)) == 60
    assert len(small) == len(large), large
    assert len(large) <= 15, large  # 14, and one for the stories a direction put forward was based on
