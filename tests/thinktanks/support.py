"""Shared by tests/thinktanks and tests/admin: a fresh `g` per request, quick sign-in, the roles."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

from flask import Flask, request_started
from flask.globals import _cv_app
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership, ThinkTank
from tests.conftest import PASSWORD

ROLES = ("anonymous", "resident", "pending", "member", "chair", "other_chair", "admin")
# These tests sign in a few hundred times through the real login form; a cheap hash keeps that fast
# (scrypt, slow on purpose, is tested with the accounts).
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


@contextmanager
def fresh_globals_per_request(app: Flask) -> Iterator[None]:
    """Give every test request a fresh `g`, as in production.

    The `db` fixture keeps an app context pushed, and Flask reuses it for the test client's requests, so `g`
    would outlive a request: Flask-WTF's cached g.csrf_token survives the session reset at sign-in (the next
    form is refused as expired) and Flask-Login's g._login_user survives into the next request.
    """
    def reset(sender: Flask, **_extra: Any) -> None:
        context = _cv_app.get(None)
        if context is not None:
            context.g = sender.app_ctx_globals_class()

    request_started.connect(reset, app)
    try:
        yield
    finally:
        request_started.disconnect(reset, app)


def with_cheap_hash(create_user: Callable[..., User], db: Any) -> Callable[..., User]:
    """Wrap the user factory: same users, with a password hash that is quick to check."""
    def make(**fields: Any) -> User:
        user = create_user(**fields)
        user.password_hash = CHEAP_HASH
        db.session.commit()
        return user
    return make


@dataclass
class World:
    """A think tank by approval with one person of every role, another think tank, and a request to decide."""

    thinktank: ThinkTank
    other: ThinkTank
    people: dict[str, User]
    request: Membership
    applicant: User

    def user(self, role: str) -> User | None:
        return self.people.get(role)


def build_world(db: Any, create_user: Callable[..., User],
                create_thinktank: Callable[..., ThinkTank]) -> World:
    """Create the think tanks, one user per role (anonymous has none) and a pending request."""
    thinktank = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    other = create_thinktank(slug="aanbod", name="Aanbod")
    people = {role: create_user(display_name=f"Rol {role}", is_admin=role == "admin")
              for role in ROLES if role != "anonymous"}
    applicant = create_user(display_name="Aanvrager")
    tt_ops.join_thinktank(thinktank, people["pending"])
    tt_ops.decide_membership(tt_ops.join_thinktank(thinktank, people["member"]), approve=True)
    tt_ops.appoint_chair(thinktank, people["chair"])
    tt_ops.appoint_chair(other, people["other_chair"])
    request = tt_ops.join_thinktank(thinktank, applicant)
    db.session.commit()
    return World(thinktank=thinktank, other=other, people=people, request=request, applicant=applicant)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.labels_for: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.labels_for.append(attributes["for"] or "")


def assert_accessible_outline(html: str) -> None:
    """Check what screen readers rely on: one h1, first; no skipped heading level; unique ids; labelled fields."""
    outline = _Outline()
    outline.feed(html)
    assert outline.headings[:1] == [1] and outline.headings.count(1) == 1, outline.headings
    for previous, current in pairwise(outline.headings):
        assert current <= previous + 1, f"h{previous} is followed by h{current}: {outline.headings}"
    duplicates = {name for name in outline.ids if outline.ids.count(name) > 1}
    assert not duplicates, duplicates
    assert set(outline.labels_for) <= set(outline.ids), set(outline.labels_for) - set(outline.ids)
