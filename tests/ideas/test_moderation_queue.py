"""The chairs' moderation queue: open reports oldest first, hide (with a reason) or dismiss, never delete;
what was handled lately and the audit log; a fixed number of queries."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.core.database import utcnow
from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea, Report
from samen.notifications.models import Notification
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD
from tests.ideas.test_moderation_access import state
from tests.thinktanks.support import assert_accessible_outline

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

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


def _queue(client: FlaskClient, thinktank: Any) -> str:
    response = client.get(f"/thinktanks/{thinktank.slug}/moderation")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def reporter(thinktank, make_member) -> User:
    """Return a member who reports."""
    return make_member(thinktank, display_name="Melder Marieke")


@pytest.fixture
def comment(idea, member) -> Comment:
    """Return a comment by the idea's author."""
    comment = ops.add_comment(idea, author=member, body="Die **jongen** van de Dorpsstraat weer.")
    _db.session.commit()
    return comment


def test_the_queue_shows_open_reports_oldest_first_with_content_reporter_time_and_reason(
        client, auth, idea, comment, reporter, chair):
    first = ops.report(by=reporter, reason="Noemt iemand bij naam.", comment=comment)
    second = ops.report(by=reporter, reason="Dubbel idee.", idea=idea)
    first.created_at = utcnow() - timedelta(hours=2)
    _db.session.commit()
    auth.login(chair)
    html = _queue(client, idea.thinktank)
    assert "<h1>Moderation" in html
    assert "2 open reports" in html
    assert html.index(f'id="report-{first.id}"') < html.index(f'id="report-{second.id}"')  # oldest first
    assert f"Report on a comment on “{idea.title}”" in html
    assert "Die jongen van de Dorpsstraat weer." in html  # the comment text, as plain text
    assert f"Report on the idea “{idea.title}”" in html
    assert "Een plek zonder oordeel" in html  # the idea's excerpt
    assert html.count("Reported by Melder Marieke") == 2
    assert "Noemt iemand bij naam." in html and "Dubbel idee." in html
    assert f'<time datetime="{first.created_at.isoformat()}Z">' in html
    for entry in (first, second):
        assert html.count(f'action="/reports/{entry.id}/resolve"') == 2  # hide and dismiss
        assert f'<label for="hide-note-{entry.id}">Reason for hiding</label>' in html
    assert "Shown in place of the content, and told to its author." in html
    assert "No reports were handled yet." in html and "Nothing recorded yet." in html
    assert_accessible_outline(html)


def test_hiding_an_idea_keeps_it_shows_a_placeholder_and_tells_author_and_reporter(
        client, auth, thinktank, idea, member, reporter, chair):
    entry = ops.report(by=reporter, reason="Noemt een leerling.", idea=idea)
    _db.session.commit()
    auth.login(chair)
    response = auth.post(f"/reports/{entry.id}/resolve",
                         {"outcome": "hidden", "note": " Noemt een leerling. "})
    assert response.headers["Location"] == f"/thinktanks/{thinktank.slug}/moderation"
    html = _follow(client, response)
    assert "The content is hidden. Its author and the member who reported it are told." in html
    assert "No reports are waiting." in html
    assert "Handled lately" in html and "<strong>hidden</strong>" in html
    assert f"Hid the idea “{idea.title}”: Noemt een leerling." in html  # the audit log
    assert f"Handled a report on “{idea.title}”: hidden" in html
    assert_accessible_outline(html)

    stored = _db.session.get(Idea, idea.id)  # never deleted: the row, its text and its counters stay
    assert stored is not None and stored.body and stored.hidden_at is not None
    assert stored.hidden_reason == "Noemt een leerling."
    resolved = _db.session.get(Report, entry.id)
    assert (resolved.outcome, resolved.resolved_by_id) == ("hidden", chair.id)
    assert resolved.note == "Noemt een leerling."
    notes = {(n.user_id, n.kind): n.data for n in _db.session.scalars(select(Notification))}
    assert notes[(member.id, "hidden")] == {"what": "idea", "reason": "Noemt een leerling.",
                                            "idea_title": idea.title}
    assert notes[(reporter.id, "report_outcome")]["outcome"] == "hidden"

    auth.logout()
    auth.login(member)  # the author sees the placeholder with the reason, not the idea
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Noemt een leerling." in page
    assert "Een plek zonder oordeel" not in page
    assert idea.title not in client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)


def test_hiding_a_comment_keeps_it_and_shows_the_reason_in_its_place(client, auth, idea, comment, reporter,
                                                                     chair, member):
    entry = ops.report(by=reporter, reason="Noemt iemand.", comment=comment)
    _db.session.commit()
    auth.login(chair)
    auth.post(f"/reports/{entry.id}/resolve", {"outcome": "hidden", "note": "Noemt iemand uit de buurt."})
    stored = _db.session.get(Comment, comment.id)
    assert stored.body == "Die **jongen** van de Dorpsstraat weer." and stored.hidden_at is not None
    assert _db.session.get(Idea, idea.id).comment_count == 0
    hidden = _db.session.scalar(select(Notification).where(Notification.kind == "hidden"))
    assert (hidden.user_id, hidden.data["what"]) == (member.id, "comment")
    auth.logout()
    auth.login(reporter)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Noemt iemand uit de buurt." in page
    assert "Dorpsstraat" not in page


def test_dismissing_leaves_the_content_and_tells_the_reporter(client, auth, thinktank, idea, reporter, admin):
    entry = ops.report(by=reporter, reason="Ik ben het er niet mee eens.", idea=idea)
    _db.session.commit()
    auth.login(admin)
    response = auth.post(f"/reports/{entry.id}/resolve",
                         {"outcome": "dismissed", "note": "Een mening, geen overtreding."})
    html = _follow(client, response)
    assert "The report is dismissed. The member who reported it is told." in html
    assert "Note: Een mening, geen overtreding." in html
    assert _db.session.get(Idea, idea.id).hidden_at is None
    assert _db.session.get(Report, entry.id).outcome == "dismissed"
    told = _db.session.scalar(select(Notification).where(Notification.kind == "report_outcome"))
    assert (told.user_id, told.data["outcome"]) == (reporter.id, "dismissed")
    assert f"Handled a report on “{idea.title}”: dismissed" in html


@pytest.mark.parametrize("data, message", [
    ({"outcome": "hidden", "note": ""}, "Give the reason for hiding"),
    ({"outcome": "hidden", "note": "   "}, "Give the reason for hiding"),
    ({"outcome": "hidden"}, "Give the reason for hiding"),
    ({"outcome": "hidden", "note": "x" * 501}, "Field cannot be longer than 500 characters."),
    ({"outcome": "dismissed", "note": "x" * 501}, "Field cannot be longer than 500 characters."),
    ({"outcome": "deleted", "note": "Weg ermee."}, "Choose to hide or to dismiss."),
    ({"note": "Weg ermee."}, "Choose to hide or to dismiss."),
])
def test_mistakes_show_at_the_report_and_store_nothing(client, auth, idea, reporter, chair, data, message):
    entry = ops.report(by=reporter, reason="Ongepast.", idea=idea)
    _db.session.commit()
    auth.login(chair)
    before = state()
    response = auth.post(f"/reports/{entry.id}/resolve", data)
    assert response.status_code == 422
    assert state() == before
    html = response.get_data(as_text=True)
    assert "Please correct the following" in html and message in html
    assert f'id="report-{entry.id}"' in html  # still waiting, with its forms
    assert_accessible_outline(html)
    if data.get("outcome") == "hidden":
        assert re.search(rf'id="hide-note-{entry.id}"[^>]*aria-invalid="true"', html)
        assert f'href="#hide-note-{entry.id}"' in html


def test_resolving_twice_says_so_and_changes_nothing(client, auth, idea, reporter, chair, admin):
    entry = ops.report(by=reporter, reason="Ongepast.", idea=idea)
    _db.session.commit()
    auth.login(chair)
    auth.post(f"/reports/{entry.id}/resolve", {"outcome": "dismissed"})
    auth.logout()
    auth.login(admin)  # a second chair who had the page open
    before = state()
    html = _follow(client, auth.post(f"/reports/{entry.id}/resolve", {"outcome": "hidden", "note": "Weg."}))
    assert "This report was already handled." in html
    assert state() == before
    assert _db.session.get(Idea, idea.id).hidden_at is None


def test_an_archived_think_tank_shows_its_queue_but_handles_nothing(client, auth, thinktank, idea, reporter,
                                                                     chair):
    entry = ops.report(by=reporter, reason="Ongepast.", idea=idea)
    tt_ops.archive_thinktank(thinktank)
    _db.session.commit()
    auth.login(chair)
    html = _queue(client, thinktank)
    assert "reports can no longer be handled" in html
    assert f'action="/reports/{entry.id}/resolve"' not in html
    before = state()
    html = _follow(client, auth.post(f"/reports/{entry.id}/resolve", {"outcome": "hidden", "note": "Weg."}))
    assert "This think tank is archived and can no longer be changed." in html
    assert state() == before


def test_the_think_tank_page_links_chairs_to_the_queue_with_the_open_reports(client, auth, thinktank, idea,
                                                                             reporter, chair):
    ops.report(by=reporter, reason="Een.", idea=idea)
    ops.report(by=reporter, reason="Twee.", idea=idea)
    _db.session.commit()
    auth.login(reporter)
    assert "/moderation" not in client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)
    auth.logout()
    auth.login(chair)
    html = client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert f'<a href="/thinktanks/{thinktank.slug}/moderation">Moderation (2 open reports)</a>' in html


def _fill(thinktank: Any, author: User, reporter: User, chair: User, n: int) -> None:
    """Add n open reports (ideas and comments, half hidden) and n handled ones, with decisions in the log."""
    for i in range(n):
        idea = ops.create_idea(thinktank, author=author, title=f"Idee {i}", body=f"Tekst {i}")
        comment = ops.add_comment(idea, author=author, body=f"Reactie {i}")
        ops.report(by=reporter, reason=f"Reden {i}", idea=idea if i % 2 else None,
                   comment=None if i % 2 else comment)
        handled = ops.report(by=reporter, reason=f"Eerder {i}", comment=comment)
        ops.resolve_report(handled, by=chair, outcome="hidden" if i % 2 else "dismissed", note=f"Notitie {i}")
        ops.decide(idea, by=chair, status="discussion", answer="We bespreken het.")
    _db.session.commit()


def test_the_queue_runs_a_fixed_number_of_queries(client, auth, count_queries, thinktank, member, reporter,
                                                  chair):
    auth.login(chair)
    path = f"/thinktanks/{thinktank.slug}/moderation"

    def queries() -> list[str]:
        client.get(path)  # warm up
        _db.session.expunge_all()
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return statements

    people = [thinktank, member, reporter, chair]
    _fill(*people, 2)
    small = queries()
    _fill(*[_db.session.merge(thing) for thing in people], 18)
    large = queries()
    assert "20 open reports" in client.get(path).get_data(as_text=True)
    assert len(small) == len(large), large
    assert len(large) <= 20, large  # sign-in, think tank, role; 3 lists with what they show; the header; the
    # two lists of what waits for approval (empty here: tests/ideas/test_premoderation.py fills them)
