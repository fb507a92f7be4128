"""The notifications page: a sentence per kind, newest first, new ones marked in words; marking as read; the
unread count in the header; a fixed number of queries."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from samen.core.database import db, utcnow
from samen.ideas import operations as ideas
from samen.notifications import operations as ops
from samen.notifications.models import Notification
from tests.thinktanks.support import assert_accessible_outline


def _add(user: Any, kind: str, url: str = "/", minutes_ago: int = 0, **data: Any) -> Notification:
    ops.notify([user.id], kind, url=url, **data)
    db.session.flush()
    notification = db.session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return notification


def _unread(user: Any) -> int:
    db.session.expire_all()
    return ops.unread_count(user)


def _page(client: Any) -> str:
    response = client.get("/notifications")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_kind_reads_as_a_sentence_newest_first(client, auth, user):
    title = "Voorlichting <b>op</b> school"
    kinds = [
        ("comment", {"idea_title": title}, "Someone commented on your idea “{t}”."),
        ("reply", {"idea_title": title}, "Someone replied to your comment on “{t}”."),
        ("status", {"idea_title": title, "status": "adopted"}, "The status of “{t}” is now: Adopted."),
        ("report_outcome", {"idea_title": title, "outcome": "hidden"},
         "Your report on “{t}” was handled: the content is hidden."),
        ("report_outcome", {"idea_title": title, "outcome": "dismissed"},
         "Your report on “{t}” was handled: the chairs left the content visible."),
        ("hidden", {"idea_title": title, "what": "idea", "reason": "Noemt een leerling."},
         "Your idea “{t}” was hidden by a moderator: Noemt een leerling."),
        ("hidden", {"idea_title": title, "what": "comment", "reason": "Scheldwoord."},
         "Your comment on “{t}” was hidden by a moderator: Scheldwoord."),
        ("something_new", {}, "There is news for you."),
    ]
    for age, (kind, data, _sentence) in enumerate(kinds):
        _add(user, kind, url=f"/ideas/{age + 1}", minutes_ago=age, **data)
    auth.login(user)
    html = _page(client)
    escaped = "Voorlichting &lt;b&gt;op&lt;/b&gt; school"  # a title is text, never markup
    positions = []
    for _kind, _data, sentence in kinds:
        text = sentence.format(t=escaped)
        assert text in html, text
        positions.append(html.index(text))
    assert positions == sorted(positions)  # newest first
    assert "<b>op</b>" not in html
    assert html.count(">new</strong>") == len(kinds)
    assert "You have 8 unread notifications." in html
    assert_accessible_outline(html)


def test_opening_a_new_notification_marks_it_read_and_goes_to_its_page(client, auth, user, create_user):
    target = _add(user, "comment", url="/ideas/7#comment-3", idea_title="Idee")
    other = _add(user, "reply", url="/ideas/8", idea_title="Ander idee")
    auth.login(user)
    html = _page(client)
    assert f'action="/notifications/{target.id}/read"' in html
    response = auth.post(f"/notifications/{target.id}/read")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ideas/7#comment-3"
    assert db.session.get(Notification, target.id).read_at is not None
    assert db.session.get(Notification, other.id).read_at is None
    html = _page(client)
    assert html.count(">new</strong>") == 1
    # Read ones are plain links.
    assert '<a href="/ideas/7#comment-3">Someone commented on your idea “Idee”.</a>' in html


def test_mark_all_as_read_touches_only_your_own(client, auth, user, create_user):
    someone = create_user()
    for n in range(3):
        _add(user, "comment", idea_title=f"Idee {n}")
    _add(someone, "comment", idea_title="Van een ander")
    auth.login(user)
    response = auth.post("/notifications/read")
    assert response.headers["Location"] == "/notifications"
    html = client.get("/notifications").get_data(as_text=True)
    assert "All notifications are marked as read." in html
    assert "You have no unread notifications." in html and ">new</strong>" not in html
    assert (_unread(user), _unread(someone)) == (0, 1)


def test_someone_elses_notification_is_404_and_stays_unread(client, auth, user, create_user):
    theirs = _add(create_user(), "comment", url="/ideas/1", idea_title="Niet van jou")
    auth.login(user)
    assert auth.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert auth.post("/notifications/999999/read").status_code == 404
    assert auth.post(f"/notifications/{'9' * 30}/read").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


@pytest.mark.parametrize("url", ["https://elders.example/phish", "//elders.example/phish", "", "javascript:x",
                                 "/\\elders.example"])
def test_only_a_local_address_is_followed(client, auth, user, url):
    notification = _add(user, "comment", url=url, idea_title="Idee")
    auth.login(user)
    html = _page(client)
    assert "elders.example" not in html and "javascript:x" not in html
    response = auth.post(f"/notifications/{notification.id}/read")
    assert response.headers["Location"] == "/notifications"


def test_visitors_who_are_not_signed_in_are_asked_to_sign_in(client, auth, user):
    notification = _add(user, "comment", idea_title="Idee")
    assert client.get("/notifications").headers["Location"].startswith("/login")
    assert auth.post("/notifications/read").headers["Location"] == "/login?next=/notifications"
    assert auth.post(f"/notifications/{notification.id}/read").headers["Location"].startswith("/login")
    assert _unread(user) == 1


def test_a_real_comment_reaches_the_author(client, auth, thinktank, idea, member, make_member):
    commenter = make_member(thinktank)
    comment = ideas.add_comment(idea, author=commenter, body="Goed plan!")
    db.session.commit()
    auth.login(member)
    html = _page(client)
    assert f"Someone commented on your idea “{idea.title}”." in html
    notification = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    response = auth.post(f"/notifications/{notification.id}/read")
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"


def _notifications_queries(statements: list[str]) -> list[str]:
    return [s for s in statements if re.search(r"\bFROM notifications\b", s)]


def test_the_header_shows_the_unread_count_with_one_query(client, auth, count_queries, user):
    for n in range(3):
        _add(user, "comment", idea_title=f"Idee {n}")
    _add(user, "reply", idea_title="Gelezen").read_at = utcnow()
    db.session.commit()
    with count_queries() as statements:
        html = client.get("/thinktanks/").get_data(as_text=True)
    assert 'href="/notifications"' not in html  # visitors have no notifications
    assert _notifications_queries(statements) == []
    auth.login(user)
    with count_queries() as statements:
        html = client.get("/thinktanks/").get_data(as_text=True)
    link = '<a href="/notifications">Notifications (3<span class="visually-hidden"> unread</span>)</a>'
    assert link in html
    assert len(_notifications_queries(statements)) == 1
    auth.post("/notifications/read")
    html = client.get("/thinktanks/").get_data(as_text=True)
    assert '<a href="/notifications">Notifications</a>' in html
    html = _page(client)
    assert '<a href="/notifications" aria-current="page">Notifications</a>' in html


def test_the_page_runs_a_fixed_number_of_queries(client, auth, count_queries, user):
    auth.login(user)

    def queries() -> list[str]:
        _page(client)  # warm up
        db.session.expunge_all()
        with count_queries() as statements:
            _page(client)
        return statements

    kinds = [("comment", {}), ("status", {"status": "rejected"}),
             ("hidden", {"what": "comment", "reason": "x"}), ("report_outcome", {"outcome": "dismissed"})]
    user_id = user.id
    for n in range(2):
        kind, data = kinds[n % len(kinds)]
        ops.notify([user_id], kind, url=f"/ideas/{n}", idea_title=f"Idee {n}", **data)
    db.session.commit()
    small = queries()
    for n in range(2, 20):
        kind, data = kinds[n % len(kinds)]
        ops.notify([user_id], kind, url=f"/ideas/{n}", idea_title=f"Idee {n}", **data)
    db.session.commit()
    large = queries()
    assert len(small) == len(large), large
    assert len(large) <= 6, large
    assert len(_notifications_queries(large)) == 2  # the list and the unread count, shared by header and page
