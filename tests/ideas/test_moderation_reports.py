"""Members report ideas and comments to the chairs with a reason; a missing or too long reason stores nothing."""
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
from samen.ideas.models import Report
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD
from tests.ideas.test_moderation_access import state

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
THANKS = "Thank you, the chairs will look at it."


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


def test_a_member_reports_an_idea(client, auth, thinktank, idea, make_member):
    reporter = make_member(thinktank)
    auth.login(reporter)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/ideas/{idea.id}/report"' in html  # the idea page offers the form, now that it can
    response = auth.post(f"/ideas/{idea.id}/report", {"reason": "  Noemt een leerling bij naam.  "})
    assert response.headers["Location"] == f"/ideas/{idea.id}#notice-report-idea"  # the thanks, by the form
    assert THANKS in _follow(client, response)
    entry = _db.session.scalar(select(Report))
    assert (entry.idea_id, entry.comment_id, entry.reporter_id) == (idea.id, None, reporter.id)
    assert (entry.thinktank_id, entry.resolved_at) == (thinktank.id, None)
    assert entry.reason == "Noemt een leerling bij naam."


def test_a_member_reports_a_comment_and_returns_to_it(client, auth, thinktank, idea, member, make_member):
    comment = ops.add_comment(idea, author=member, body="Een reactie")
    _db.session.commit()
    reporter = make_member(thinktank)
    auth.login(reporter)
    response = auth.post(f"/comments/{comment.id}/report", {"reason": "Scheldwoorden."})
    assert response.headers["Location"] == f"/ideas/{idea.id}#notice-comment-{comment.id}"  # by the comment
    assert THANKS in _follow(client, response)
    entry = _db.session.scalar(select(Report))
    assert (entry.idea_id, entry.comment_id, entry.reason) == (None, comment.id, "Scheldwoorden.")


def test_a_reason_of_exactly_the_maximum_is_accepted(client, auth, thinktank, idea, make_member):
    auth.login(make_member(thinktank))
    auth.post(f"/ideas/{idea.id}/report", {"reason": "x" * ops.REASON_MAX})
    assert len(_db.session.scalar(select(Report)).reason) == ops.REASON_MAX


@pytest.mark.parametrize("target", ["idea", "comment"])
@pytest.mark.parametrize("reason, message", [
    ("", "Say why the chairs should look at it."),
    ("   \n  ", "Say why the chairs should look at it."),
    ("x" * (ops.REASON_MAX + 1), "Field cannot be longer than 1000 characters."),
    (None, "Say why the chairs should look at it."),
    ("\x00 ", "invisible control character"),  # refused as everywhere, no longer dropped
])
def test_a_missing_or_too_long_reason_stores_nothing(client, auth, thinktank, idea, member, make_member,
                                                     target, reason, message):
    comment = ops.add_comment(idea, author=member, body="Een reactie")
    _db.session.commit()
    auth.login(make_member(thinktank))
    path = f"/ideas/{idea.id}/report" if target == "idea" else f"/comments/{comment.id}/report"
    before = state()
    response = auth.post(path, {} if reason is None else {"reason": reason})
    assert state() == before
    html = _follow(client, response)
    assert message in html
    assert THANKS not in html


def test_an_archived_think_tank_takes_no_reports(client, auth, thinktank, idea, make_member):
    reporter = make_member(thinktank)
    tt_ops.archive_thinktank(thinktank)
    _db.session.commit()
    auth.login(reporter)
    before = state()
    html = _follow(client, auth.post(f"/ideas/{idea.id}/report", {"reason": "Ongepast."}))
    assert "This think tank is archived and can no longer be changed." in html
    assert state() == before


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in_and_sent_back(client, auth, idea):
    response = auth.post(f"/ideas/{idea.id}/report", {"reason": "Ongepast."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/ideas/{idea.id}"
    assert _db.session.scalar(select(Report)) is None
