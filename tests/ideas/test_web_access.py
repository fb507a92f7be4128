"""Who may open which idea page and send which form: every role against every route, in an open and a closed
think tank."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
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


# In this order: what changes things (withdrawing the idea above all) comes last.
ROUTES = [
    ("list", "GET", "/thinktanks/{slug}/ideas", None),
    ("new", "GET", "/thinktanks/{slug}/ideas/new", None),
    ("post", "POST", "/thinktanks/{slug}/ideas/new", {"title": "Nog een idee"}),
    ("idea", "GET", "/ideas/{idea}", None),
    ("edit", "GET", "/ideas/{idea}/edit", None),
    ("save", "POST", "/ideas/{idea}/edit", {"title": "Aangepast idee"}),
    ("support", "POST", "/ideas/{idea}/support", {}),
    ("unsupport", "POST", "/ideas/{idea}/unsupport", {}),
    ("comment", "POST", "/ideas/{idea}/comments", {"body": "Een reactie"}),
    ("edit_comment", "GET", "/comments/{comment}/edit", None),
    ("save_comment", "POST", "/comments/{comment}/edit", {"body": "Aangepaste reactie"}),
    ("delete_comment", "POST", "/comments/{comment}/delete", {}),
    ("withdraw", "POST", "/ideas/{idea}/withdraw", {}),
]
# 200/403: the page or the refusal; 302: done, back to a page; login: sent to sign in first.
#                  list new   post  idea  edit  save  supp  unsup comm  edcom svcom delc  withdr
OPEN = {
    "anonymous": "200  login login 200   login login login login login login login login login",
    "outsider":  "200  403   403   200   403   403   403   302   403   403   403   403   403",
    "member":    "200  200   302   200   403   403   302   302   302   403   403   403   403",
    "author":    "200  200   302   200   200   302   302   302   302   200   302   302   302",
    "chair":     "200  200   302   200   403   403   302   302   302   403   403   403   403",
    "admin":     "200  403   403   200   403   403   403   302   403   403   403   403   403",
}
# In a closed think tank, the list and the form to post belong to the think tank, which everyone knows exists:
# sign in, or 403. An idea or a comment there does not exist for an outsider: 404, as for an unknown number
# (anonymous visitors are asked to sign in before a form is sent, for known and unknown numbers alike).
#                  list  new   post  idea  edit  save  supp  unsup comm  edcom svcom delc  withdr
CLOSED = {
    **OPEN,
    "anonymous": "login login login 404   login login login login login login login login login",
    "outsider":  "403   403   403   404   404   404   404   404   404   404   404   404   404",
    "pending":   "403   403   403   404   404   404   404   404   404   404   404   404   404",
}
CASES = [("open", role) for role in OPEN] + [("closed", role) for role in CLOSED]


@dataclass
class Place:
    """A think tank with an idea and a comment by its author, and one person of every role."""

    thinktank: ThinkTank
    idea: Idea
    comment: Comment
    people: dict[str, User]


def _place(kind: str, create_thinktank: Callable[..., ThinkTank], create_user: Callable[..., User]) -> Place:
    thinktank = create_thinktank(join_policy="approval" if kind == "closed" else "open")
    people = {role: create_user(display_name=f"Rol {role}", is_admin=role == "admin")
              for role in ("outsider", "pending", "member", "author", "chair", "admin")}
    for role in ("member", "author", "pending"):
        membership = tt_ops.join_thinktank(thinktank, people[role])
        if role != "pending" and not membership.is_active:
            tt_ops.decide_membership(membership, approve=True)
    tt_ops.appoint_chair(thinktank, people["chair"])
    idea = ops.create_idea(thinktank, author=people["author"], title="Een idee van de auteur")
    comment = ops.add_comment(idea, author=people["author"], body="Een reactie van de auteur")
    _db.session.commit()
    return Place(thinktank, idea, comment, people)


def _outcome(client: FlaskClient, auth: Any, method: str, path: str, data: dict[str, str] | None) -> str:
    response = client.get(path) if method == "GET" else auth.post(path, data)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    return str(response.status_code)


@pytest.mark.parametrize("kind, role", CASES, ids=[f"{kind}-{role}" for kind, role in CASES])
def test_roles_and_routes(client, auth, create_thinktank, create_user, kind, role):
    place = _place(kind, create_thinktank, create_user)
    if role != "anonymous":
        auth.login(place.people[role])
    names = {"slug": place.thinktank.slug, "idea": place.idea.id, "comment": place.comment.id}
    actual = {name: _outcome(client, auth, method, path.format(**names), data)
              for name, method, path, data in ROUTES}
    table = OPEN if kind == "open" else CLOSED
    expected = dict(zip([name for name, *_rest in ROUTES], table[role].split(), strict=True))
    assert actual == expected


def test_sign_in_leads_back_to_the_page(client, create_thinktank, create_user):
    place = _place("closed", create_thinktank, create_user)
    response = client.get(f"/thinktanks/{place.thinktank.slug}/ideas?sort=new")
    assert response.headers["Location"] == f"/login?next=/thinktanks/{place.thinktank.slug}/ideas?sort%3Dnew"
    # An idea of a closed think tank does not exist for someone signed out: 404, as for an unknown number.
    assert client.get(f"/ideas/{place.idea.id}").status_code == 404


def test_refusals_say_why(client, auth, create_thinktank, create_user):
    place = _place("closed", create_thinktank, create_user)
    auth.login(place.people["outsider"])
    html = client.get(f"/thinktanks/{place.thinktank.slug}/ideas").get_data(as_text=True)
    assert "Only members of this think tank can see its ideas." in html
    auth.logout()
    auth.login(place.people["member"])
    html = client.get(f"/ideas/{place.idea.id}/edit").get_data(as_text=True)
    assert "Only the author can edit this idea." in html


def test_forms_need_a_csrf_token(client, auth, create_thinktank, create_user):
    place = _place("open", create_thinktank, create_user)
    auth.login(place.people["member"])
    for path, data in ((f"/ideas/{place.idea.id}/support", {}),
                       (f"/ideas/{place.idea.id}/comments", {"body": "x"}),
                       (f"/thinktanks/{place.thinktank.slug}/ideas/new", {"title": "x"})):
        assert client.post(path, data=data).status_code == 400
    assert place.idea.support_count == 0
