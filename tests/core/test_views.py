"""The plumbing views share (samen/core/views.py): load or 404, sign in first, run an operation or show its error."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, get_flashed_messages
from flask_login import login_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, NotFound
from wtforms import HiddenField, StringField

from samen.core.database import db as database
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.core.views import (Done, flash_error, form_next, form_status, or_404, run_or_error, run_or_flash,
                              show_error, sign_in_or_403, signed_in, signed_in_then)
from samen.ideas.models import Idea, Tag


class TitleForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title")
    parent_id = HiddenField()


def _request(app: Flask, path: str = "/somewhere", method: str = "POST", **kwargs: Any) -> Any:
    return app.test_request_context(path, method=method, **kwargs)


def _login_next(location: str) -> str | None:
    """Return the page a redirect to the sign-in page comes back to (None: none), checking that it is one."""
    parts = urlsplit(location)
    assert parts.path == "/login", location
    values = parse_qs(parts.query).get("next")
    return values[0] if values else None


def _view(*_args: Any, **_kwargs: Any) -> str:
    return "the view ran"


# --- or_404 and db.get_or_404 -------------------------------------------------------------------------------

def test_or_404_returns_what_was_found(app, db):
    with _request(app, method="GET"):
        assert or_404(0) == 0  # falsy is found: only None is missing
        assert or_404("idea") == "idea"


def test_or_404_on_a_page_is_the_plain_404(app, db):
    with _request(app, "/ideas/5", method="GET"), pytest.raises(NotFound) as raised:
        or_404(None, "There is no idea with this number.")
    assert raised.value.response is None  # the error page handler renders it


def test_or_404_in_the_api_says_what_was_not_found(app, db):
    with _request(app, "/api/v1/ideas/5", method="GET"), pytest.raises(HTTPException) as raised:
        or_404(None, "There is no idea with this number.")
    response = raised.value.response
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"] == "There is no idea with this number." and body["code"] == "not_found"


def test_get_or_404_loads_with_the_options(app, db, thinktank, user):
    row = Idea(thinktank_id=thinktank.id, author_id=user.id, title="Fietsenstalling", body="")
    db.session.add(row)
    db.session.commit()
    db.session.expunge_all()
    with _request(app, method="GET"):
        loaded = db.get_or_404(Idea, row.id, selectinload(Idea.thinktank))
        assert "thinktank" in loaded.__dict__  # loaded with it, not lazily later
        plain = db.get_or_404(Idea, row.id)
        assert plain is loaded
        with pytest.raises(NotFound):
            db.get_or_404(Idea, row.id + 1000)
        with pytest.raises(NotFound):
            db.get_or_404(Idea, "not-a-number")


# --- signing in ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("posted, expected", [
    ("/ideas/7", "/ideas/7"),
    ("//evil.example/ideas", None),
    ("https://evil.example/", None),
    (None, None),
])
def test_signed_in_sends_visitors_to_sign_in_and_back_to_the_form(app, db, posted, expected):
    data = {"next": posted} if posted else {}
    with _request(app, data=data):
        response = signed_in(_view)(idea_id=7)
    assert response.status_code == 302 and _login_next(response.location) == expected


def test_signed_in_lets_the_signed_in_through(app, db, user):
    with _request(app, data={"next": "/ideas/7"}):
        login_user(user)
        assert signed_in(_view)(idea_id=7) == "the view ran"


def test_signed_in_then_goes_to_the_page_given(app, db, user):
    view = signed_in_then(lambda: "/notifications")(_view)
    with _request(app):
        assert _login_next(view().location) == "/notifications"
    with _request(app):
        login_user(user)
        assert view() == "the view ran"


def test_form_next_takes_only_local_pages(app, db):
    with _request(app, data={"next": "/actions/3"}):
        assert form_next() == "/actions/3"
    with _request(app, data={"next": "//evil.example"}):
        assert form_next() is None


def test_sign_in_or_403_asks_visitors_to_sign_in_and_come_back_after_a_get(app, db):
    with _request(app, "/thinktanks/x/ideas?sort=new", method="GET"), pytest.raises(HTTPException) as raised:
        sign_in_or_403("Members only.")
    assert _login_next(raised.value.response.location) == "/thinktanks/x/ideas?sort=new"
    with _request(app, "/ideas/3/support"), pytest.raises(HTTPException) as raised:
        sign_in_or_403("Members only.")
    assert _login_next(raised.value.response.location) is None  # a POST's address has no page to come back to


def test_sign_in_or_403_refuses_the_signed_in(app, db, user):
    with _request(app, "/ideas/3", method="GET"):
        login_user(user)
        with pytest.raises(Forbidden) as raised:
            sign_in_or_403("Members only.")
    assert raised.value.message == "Members only." and raised.value.status == 403


# --- forms and operations -----------------------------------------------------------------------------------

def test_form_status(app, db):
    with _request(app, data={}):
        good, bad = TitleForm(), TitleForm()
        bad.title.errors = ["Wrong."]
        assert form_status(good) == 200
        assert form_status(bad) == 422
        assert form_status(good, bad) == 422


@pytest.mark.parametrize("error_field, fields, at_title", [
    ("title", None, True),
    ("idea_ids", {"idea_ids": "title"}, True),  # the operation's name for the form's field
    (None, {None: "title"}, True),  # errors without a field belong to this one
    ("parent_id", None, False),  # a hidden field shows nothing: above the form
    ("unknown", None, False),
    (None, None, False),
])
def test_show_error_puts_the_message_at_its_field_or_above_the_form(app, db, error_field, fields, at_title):
    with _request(app, data={}):
        form = TitleForm()
        show_error(form, DomainError("Too long.", field=error_field), fields=fields)
        assert (form.title.errors == ["Too long."]) is at_title
        assert (form.form_errors == ["Too long."]) is not at_title
        assert form_status(form) == 422


def _add_tag(thinktank: Any, name: str) -> Tag:
    """An operation's change: a row that a failure must undo."""
    tag = Tag(thinktank_id=thinktank.id, slug=name, name=name)
    database.session.add(tag)
    database.session.flush()
    return tag


def _tag_named(name: str) -> Tag | None:
    return database.session.scalar(select(Tag).where(Tag.slug == name))


def test_run_or_error_commits_and_returns_the_result(app, db, thinktank):
    with _request(app, data={}):
        form = TitleForm()
        done = run_or_error(form, lambda: _add_tag(thinktank, "verkeer"))
        assert isinstance(done, Done) and done.value.name == "verkeer"
        db.session.rollback()  # nothing left to undo: it was committed
        assert _tag_named("verkeer") is not None
        assert form_status(form) == 200


def test_run_or_error_undoes_the_change_and_shows_the_error(app, db, thinktank):
    def failing() -> None:
        _add_tag(thinktank, "half")
        raise Conflict("This tag exists already.", code="tag_taken", field="title")

    with _request(app, data={}):
        form = TitleForm()
        assert run_or_error(form, failing) is None
        assert form.title.errors == ["This tag exists already."]
        assert _tag_named("half") is None


def test_run_or_error_leaves_a_refusal_a_403(app, db, thinktank):
    def refused() -> None:
        _add_tag(thinktank, "stiekem")
        raise Forbidden("Only the chairs can do this.")

    with _request(app, data={}):
        form = TitleForm()
        with pytest.raises(Forbidden):
            run_or_error(form, refused)
        assert _tag_named("stiekem") is None  # undone before the error page
        assert form_status(form) == 200  # nothing shown on the form


def test_run_or_flash_says_why_in_a_flash(app, db, thinktank):
    def failing() -> None:
        _add_tag(thinktank, "half")
        raise DomainError("This idea can no longer be supported.")

    with _request(app, data={}):
        assert run_or_flash(failing) is None
        assert get_flashed_messages(with_categories=True) == [("error", "This idea can no longer be supported.")]
        assert _tag_named("half") is None


def test_run_or_flash_commits_and_a_result_of_none_still_counts(app, db, thinktank):
    def returns_nothing() -> None:
        _add_tag(thinktank, "stil")

    with _request(app, data={}):
        done = run_or_flash(returns_nothing)
        assert done is not None and done.value is None  # succeeded, though the operation returns nothing
        db.session.rollback()
        assert _tag_named("stil") is not None
        assert get_flashed_messages() == []


def test_flash_error_leaves_a_refusal_a_403(app, db):
    with _request(app, data={}):
        with pytest.raises(Forbidden):
            flash_error(Forbidden("No."))
        assert get_flashed_messages() == []
