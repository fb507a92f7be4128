"""Posting and editing an idea through the form: preview, tags, anonymity, mistakes, limits."""
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
from samen.ideas.forms import ANONYMOUS_HINT
from samen.ideas.models import Idea, IdeaVersion
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


def _ideas() -> int:
    return _db.session.scalar(select(func.count()).select_from(Idea))


@pytest.fixture
def tagged(thinktank: Any, db: Any) -> Any:
    """Give the think tank two tags."""
    ops.create_tag(thinktank, "School")
    ops.create_tag(thinktank, "Ouders")
    db.session.commit()
    return thinktank


def test_form_offers_tags_and_explains_anonymity(client, auth, tagged, member):
    auth.login(member)
    response = client.get(f"/thinktanks/{tagged.slug}/ideas/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="title">Title</label>' in html and 'id="body"' in html
    assert '<legend id="tags-heading">Tags</legend>' in html
    assert 'id="tag-school" name="tags" value="school"' in html and 'value="ouders"' in html
    assert "Appear as anonymous participant" in html
    assert str(ANONYMOUS_HINT) == ("The public and other members see 'anonymous participant'. The chairs and "
                                   "administrators of this think tank can see who you are, for moderation.")
    assert f'<p class="hint" id="anonymous-hint">{ANONYMOUS_HINT}</p>' in html
    assert 'name="preview"' in html


def test_post_an_idea(client, auth, tagged, member):
    auth.login(member)
    response = auth.post(f"/thinktanks/{tagged.slug}/ideas/new", {
        "title": "  Muziekstudio  ", "body": "Een *studio* voor jongeren.", "tags": ["school", "ouders"],
        "anonymous": "y"})
    idea = _db.session.scalars(select(Idea)).one()
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    assert (idea.title, idea.body, idea.anonymous, idea.author_id) == (
        "Muziekstudio", "Een *studio* voor jongeren.", True, member.id)
    assert sorted(tag.slug for tag in idea.tags) == ["ouders", "school"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your idea is posted." in html and "<em>studio</em>" in html


def test_preview_stores_nothing_and_renders_sanitised(client, auth, tagged, member):
    auth.login(member)
    response = auth.post(f"/thinktanks/{tagged.slug}/ideas/new", {
        "title": "Voorbeeld", "body": "**Vet** <script>alert(1)</script> [x](javascript:alert(2))",
        "tags": ["school"], "preview": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _ideas() == 0
    assert '<h2 id="preview-heading">Preview</h2>' in html
    assert "<strong>Vet</strong>" in html
    assert "<script>" not in html and 'href="javascript:' not in html
    assert 'value="Voorbeeld"' in html and 'id="tag-school" name="tags" value="school" checked' in html


def test_preview_shows_mistakes_too(client, auth, tagged, member):
    auth.login(member)
    response = auth.post(f"/thinktanks/{tagged.slug}/ideas/new",
                         {"title": "", "body": "Tekst", "preview": "1"})
    assert response.status_code == 422
    assert "Give your idea a title." in response.get_data(as_text=True)
    assert _ideas() == 0


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Give your idea a title."),
    ({"title": "   "}, "Give your idea a title."),
    ({"title": "x" * (ops.TITLE_MAX + 1)}, "Field cannot be longer than 200 characters."),
    ({"title": "Lang", "body": "x" * (ops.BODY_MAX + 1)}, "Field cannot be longer than 20000 characters."),
    ({"title": "Onbekende tag", "tags": ["school", "wapens"]}, "Unknown tag: wapens."),
], ids=["empty-title", "blank-title", "long-title", "long-body", "unknown-tag"])
def test_mistakes_are_form_errors_and_store_nothing(client, auth, tagged, member, data, message):
    auth.login(member)
    response = auth.post(f"/thinktanks/{tagged.slug}/ideas/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert ("Please correct the following" in html and 'aria-invalid="true"' in html) or "tags-error" in html
    assert _ideas() == 0


def test_a_request_over_the_size_limit_gets_the_413_page(client, auth, thinktank, member):
    auth.login(member)
    response = auth.post(f"/thinktanks/{thinktank.slug}/ideas/new",
                         {"title": "Groot", "body": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert _ideas() == 0


def test_archived_think_tank_says_so(client, auth, thinktank, member, db):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(member)
    response = client.get(f"/thinktanks/{thinktank.slug}/ideas/new")
    assert response.status_code == 409
    assert "This think tank is archived and can no longer be changed." in response.get_data(as_text=True)
    response = auth.post(f"/thinktanks/{thinktank.slug}/ideas/new", {"title": "Toch nog"})
    assert response.status_code == 409 and _ideas() == 0


def test_non_members_are_told_to_join(client, auth, thinktank, user):
    auth.login(user)
    response = client.get(f"/thinktanks/{thinktank.slug}/ideas/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Join the think tank first." in html and f'href="/thinktanks/{thinktank.slug}"' in html
    assert auth.post(f"/thinktanks/{thinktank.slug}/ideas/new", {"title": "Toch"}).status_code == 403
    assert _ideas() == 0


def test_edit_keeps_the_previous_version(client, auth, tagged, member, create_idea):
    idea = create_idea(tagged, member, title="Eerste titel", body="Eerste tekst", tags=["school"])
    auth.login(member)
    html = client.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert 'value="Eerste titel"' in html and "Eerste tekst</textarea>" in html
    assert 'value="school" checked' in html and 'value="ouders">' in html
    response = auth.post(f"/ideas/{idea.id}/edit", {"title": "Tweede titel", "body": "Tweede tekst"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    _db.session.refresh(idea)
    assert (idea.title, idea.body, idea.tags) == ("Tweede titel", "Tweede tekst", [])
    versions = [(v.title, v.body) for v in _db.session.scalars(select(IdeaVersion))]
    assert versions == [("Eerste titel", "Eerste tekst")]
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "1 previous version" in html and "Eerste titel" in html and "Tweede tekst" in html


def test_edit_preview_and_mistakes_change_nothing(client, auth, tagged, member, create_idea):
    idea = create_idea(tagged, member, title="Titel", body="Tekst")
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/edit", {"title": "Nieuw", "body": "*Nieuw*", "preview": "1"})
    assert response.status_code == 200 and "<em>Nieuw</em>" in response.get_data(as_text=True)
    response = auth.post(f"/ideas/{idea.id}/edit", {"title": "", "body": "Leeg"})
    assert response.status_code == 422
    _db.session.refresh(idea)
    assert (idea.title, idea.body) == ("Titel", "Tekst")
    assert _db.session.scalar(select(func.count()).select_from(IdeaVersion)) == 0


def test_only_the_author_edits_and_not_after_withdrawing(client, auth, thinktank, member, make_member, idea,
                                                         db):
    auth.login(make_member(thinktank))
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    assert auth.post(f"/ideas/{idea.id}/edit", {"title": "Gekaapt"}).status_code == 403
    ops.withdraw_idea(idea, by=member)
    db.session.commit()
    auth.logout()
    auth.login(member)
    response = client.get(f"/ideas/{idea.id}/edit")
    assert response.status_code == 409
    assert "This idea was withdrawn and can no longer be edited." in response.get_data(as_text=True)


def test_a_form_opened_in_a_language_posts_in_that_language(client, auth, tagged, member, db):
    auth.login(member)
    member.locale = "nl"
    db.session.commit()
    html = client.get(f"/thinktanks/{tagged.slug}/ideas/new?lang=en").get_data(as_text=True)
    assert f'action="/thinktanks/{tagged.slug}/ideas/new?lang=en"' in html
    html = auth.post(f"/thinktanks/{tagged.slug}/ideas/new?lang=en", {"title": "", "body": "x"}).get_data(
        as_text=True)
    assert '<html lang="en">' in html and 'id="title-error"' in html and "Error:" in html and "Titel" not in html
