"""Who may decide, report, see the moderation queue, handle reports and add tags: every role against every
route, and a refusal changes nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.audit.models import AuditEntry
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea, Report, StatusChange, Tag
from samen.notifications.models import Notification
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


def state() -> tuple[Any, ...]:
    """Return everything the moderation routes could change, to compare before and after a request."""
    session = _db.session
    session.expire_all()
    count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return (
        count(Report), count(StatusChange), count(AuditEntry), count(Notification), count(Tag),
        tuple(session.execute(select(Report.id, Report.resolved_at, Report.outcome).order_by(Report.id))),
        tuple(session.execute(select(Idea.id, Idea.status, Idea.answer, Idea.merged_into_id, Idea.hidden_at)
                              .order_by(Idea.id))),
        tuple(session.execute(select(Comment.id, Comment.body, Comment.hidden_at).order_by(Comment.id))),
    )


ROLES = ("anonymous", "outsider", "member", "author", "chair", "other_chair", "admin")
ROUTES = [
    ("decide", "POST", "/ideas/{idea}/decide", {"status": "adopted", "answer": "We doen het."}),
    ("report_idea", "POST", "/ideas/{idea}/report", {"reason": "Noemt een leerling bij naam."}),
    ("report_comment", "POST", "/comments/{comment}/report", {"reason": "Scheldwoorden."}),
    ("queue", "GET", "/thinktanks/{slug}/moderation", None),
    ("resolve", "POST", "/reports/{report}/resolve", {"outcome": "dismissed", "note": ""}),
    ("tags", "GET", "/thinktanks/{slug}/tags", None),
    ("add_tag", "POST", "/thinktanks/{slug}/tags", {"name": "Ouders"}),
]
# 200: the page; 302: done, back to a page; 403: refused; login: sent to sign in first.
#                   decide report_idea report_comment queue resolve tags add_tag
EXPECTED = {
    "anonymous":   "login  login      login          login login   login login",
    "outsider":    "403    403        403            403   403     403   403",
    "member":      "403    302        302            403   403     403   403",
    "author":      "403    302        302            403   403     403   403",
    "chair":       "302    302        302            200   302     200   302",
    "other_chair": "403    403        403            403   403     403   403",
    "admin":       "302    403        403            200   302     200   302",
}


def _outcome(client: FlaskClient, auth: Any, method: str, path: str, data: dict[str, str] | None) -> str:
    response = client.get(path) if method == "GET" else auth.post(path, data)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    return str(response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_roles_and_routes(client, auth, create_thinktank, create_user, role):
    thinktank = create_thinktank()
    other = create_thinktank()
    people = {name: create_user(display_name=f"Rol {name}", is_admin=name == "admin")
              for name in ROLES if name != "anonymous"}
    for name in ("member", "author"):
        tt_ops.join_thinktank(thinktank, people[name])
    tt_ops.appoint_chair(thinktank, people["chair"])
    tt_ops.appoint_chair(other, people["other_chair"])
    idea = ops.create_idea(thinktank, author=people["author"], title="Een idee van de auteur")
    comment = ops.add_comment(idea, author=people["author"], body="Een reactie van de auteur")
    report = ops.report(by=people["member"], reason="Klopt niet.", idea=idea)
    _db.session.commit()
    values = {"idea": idea.id, "comment": comment.id, "report": report.id, "slug": thinktank.slug}
    if role != "anonymous":
        auth.login(people[role])

    seen, changed = [], []
    for _name, method, path, data in ROUTES:
        before = state()
        seen.append(_outcome(client, auth, method, path.format(**values), data))
        changed.append(state() != before)

    assert seen == EXPECTED[role].split()
    for outcome, (name, _method, _path, _data), did_change in zip(seen, ROUTES, changed, strict=True):
        # A refusal stores nothing; a page changes nothing; an allowed POST does what it says.
        assert did_change == (outcome == "302"), (name, outcome)


def test_a_chair_of_another_think_tank_cannot_use_it_by_changing_the_address(client, auth, create_thinktank,
                                                                              make_member, create_user):
    here, there = create_thinktank(), create_thinktank()
    author = make_member(here)
    idea = ops.create_idea(here, author=author, title="Hier")
    other_idea = ops.create_idea(there, author=make_member(there), title="Daar")
    chair = create_user()
    tt_ops.appoint_chair(there, chair)
    _db.session.commit()
    auth.login(chair)
    before = state()
    # Merging someone else's idea into one of the chair's own think tank does not make it theirs.
    response = auth.post(f"/ideas/{idea.id}/decide", {"status": "merged", "answer": "Samen.",
                                                      "merged_into": str(other_idea.id)})
    assert response.status_code == 403
    assert state() == before


def test_unknown_ideas_comments_reports_and_think_tanks_are_404(client, auth, chair, thinktank):
    auth.login(chair)
    assert auth.post("/ideas/999999/decide", {"status": "adopted", "answer": "x"}).status_code == 404
    assert auth.post("/ideas/999999/report", {"reason": "x"}).status_code == 404
    assert auth.post("/comments/999999/report", {"reason": "x"}).status_code == 404
    assert auth.post("/reports/999999/resolve", {"outcome": "dismissed"}).status_code == 404
    for huge in ("2147483648", "9" * 30):  # more than an id can be: not found, not a database error
        assert auth.post(f"/ideas/{huge}/decide", {"status": "adopted", "answer": "x"}).status_code == 404
        assert auth.post(f"/ideas/{huge}/report", {"reason": "x"}).status_code == 404
        assert auth.post(f"/comments/{huge}/report", {"reason": "x"}).status_code == 404
        assert auth.post(f"/reports/{huge}/resolve", {"outcome": "dismissed"}).status_code == 404
    assert client.get("/thinktanks/bestaat-niet/moderation").status_code == 404
    assert client.get("/thinktanks/bestaat-niet/tags").status_code == 404


def test_a_closed_think_tank_refuses_a_pending_member(client, auth, create_thinktank, create_user):
    closed = create_thinktank(join_policy="approval")
    author = create_user()
    tt_ops.decide_membership(tt_ops.join_thinktank(closed, author), approve=True)
    idea = ops.create_idea(closed, author=author, title="Besloten idee")
    pending = create_user()
    tt_ops.join_thinktank(closed, pending)
    _db.session.commit()
    auth.login(pending)
    before = state()
    # The idea does not exist for someone who may not read it yet: 404, as for an unknown number.
    assert auth.post(f"/ideas/{idea.id}/report", {"reason": "Ongepast."}).status_code == 404
    assert auth.post(f"/ideas/{idea.id}/decide", {"status": "adopted", "answer": "Ja."}).status_code == 404
    assert state() == before


def test_forms_without_a_csrf_token_are_refused(client, auth, chair, idea):
    auth.login(chair)
    before = state()
    response = client.post(f"/ideas/{idea.id}/decide", data={"status": "adopted", "answer": "Ja."})
    assert response.status_code == 400
    response = client.post(f"/ideas/{idea.id}/report", data={"reason": "Ongepast."})
    assert response.status_code == 400
    assert state() == before
