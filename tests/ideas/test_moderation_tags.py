"""Chairs and admins see a think tank's tags and add one; a duplicate, an empty or a too long name stores
nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.models import Tag
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD
from tests.thinktanks.support import assert_accessible_outline

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


def _tags(thinktank: Any) -> list[tuple[str, str]]:
    return [(tag.slug, tag.name) for tag in _db.session.scalars(
        select(Tag).where(Tag.thinktank_id == thinktank.id).order_by(Tag.slug))]


def test_a_chair_sees_the_tags_and_adds_one(client, auth, thinktank, chair, create_thinktank):
    ops.create_tag(thinktank, "School")
    ops.create_tag(create_thinktank(), "Elders")  # another think tank's tag is not listed
    _db.session.commit()
    auth.login(chair)
    html = client.get(f"/thinktanks/{thinktank.slug}/tags").get_data(as_text=True)
    assert "1 tag" in html and f'href="/thinktanks/{thinktank.slug}/ideas?tag=school">School</a>' in html
    assert "Elders" not in html
    assert '<label for="name">Name of the new tag</label>' in html
    assert_accessible_outline(html)
    response = auth.post(f"/thinktanks/{thinktank.slug}/tags", {"name": "  Ouders & opvoeding "})
    assert response.headers["Location"] == f"/thinktanks/{thinktank.slug}/tags"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The tag “Ouders &amp; opvoeding” is added." in html
    assert _tags(thinktank) == [("ouders-opvoeding", "Ouders & opvoeding"), ("school", "School")]
    # Members can choose it when they post an idea.
    assert ops.tags_for(thinktank)[0].name == "Ouders & opvoeding"


@pytest.mark.parametrize("name, message", [
    ("school", "This tag exists already."),
    ("SCHOOL!", "This tag exists already."),
    ("", "Give the tag a name."),
    ("   ", "Give the tag a name."),
    ("x" * 61, "Field cannot be longer than 60 characters."),
])
def test_a_duplicate_or_bad_name_is_a_form_error(client, auth, thinktank, admin, name, message):
    ops.create_tag(thinktank, "School")
    _db.session.commit()
    auth.login(admin)
    response = auth.post(f"/thinktanks/{thinktank.slug}/tags", {"name": name})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please correct the following" in html and message in html
    assert 'id="name-error"' in html and 'aria-invalid="true"' in html
    assert_accessible_outline(html)
    assert _tags(thinktank) == [("school", "School")]


def test_an_archived_think_tank_gets_no_new_tags(client, auth, thinktank, chair):
    tt_ops.archive_thinktank(thinktank)
    _db.session.commit()
    auth.login(chair)
    html = client.get(f"/thinktanks/{thinktank.slug}/tags").get_data(as_text=True)
    assert 'action="/thinktanks/' not in html
    response = auth.post(f"/thinktanks/{thinktank.slug}/tags", {"name": "Ouders"})
    assert response.status_code == 422
    assert "This think tank is archived and can no longer be changed." in response.get_data(as_text=True)
    assert _tags(thinktank) == []
