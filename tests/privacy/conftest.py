"""Fixtures for privacy: a participant with a bit of everything, another participant beside them, and the
confirm-password step."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samen.accounts import operations as account_ops
from samen.actions import operations as action_ops
from samen.ideas import operations as idea_ops
from samen.thinktanks import operations as tt_ops
from tests.accounts.conftest import BrowserClient, make_app  # noqa: F401  (extra apps, for the rate limit)
from tests.conftest import PASSWORD

OTHER_SECRET_TITLE = "Geheim idee van de buurman over de skatebaan"
OTHER_SECRET_BODY = "Alleen de voorzitter weet dat dit van mij komt."


@dataclass
class Story:
    """A think tank where `me` and `other` both took part in every way; ids and texts to look for."""

    me: Any
    other: Any
    chair: Any
    thinktank: Any
    my_idea: Any
    my_anonymous_idea: Any
    other_idea: Any
    other_anonymous_idea: Any
    my_comment: Any
    my_answered_comment: Any
    other_comment: Any
    other_reply: Any
    my_report: Any
    action: Any
    my_update: Any
    my_token: str
    other_token: str


@pytest.fixture
def story(db: Any, create_user: Callable[..., Any], thinktank: Any, chair: Any) -> Story:
    """Build the story: ideas (one edited, anonymous ones on both sides), comments and replies, supports, a report,
    an action item `me` owns with an update, notifications and API tokens."""
    me = create_user(email="ik@example.org", display_name="Ikzelf", kind="professional", organisation="Tactus")
    other = create_user(email="buurman@example.org", display_name="De Buurman")
    for user in (me, other):
        tt_ops.join_thinktank(thinktank, user)
    my_idea = idea_ops.create_idea(thinktank, author=me, title="Mijn eerste versie", body="Eerste tekst")
    idea_ops.edit_idea(my_idea, by=me, title="Meer licht in het park", body="Lantaarns bij de bankjes.")
    my_anonymous_idea = idea_ops.create_idea(thinktank, author=me, title="Mijn anonieme idee", body="Stil gehouden",
                                             anonymous=True)
    other_idea = idea_ops.create_idea(thinktank, author=other, title="Sportavond op vrijdag", body="Met de wijk.")
    other_anonymous_idea = idea_ops.create_idea(thinktank, author=other, title=OTHER_SECRET_TITLE,
                                                body=OTHER_SECRET_BODY, anonymous=True)
    my_comment = idea_ops.add_comment(other_idea, author=me, body="Goed plan, ik help mee.")
    my_answered_comment = idea_ops.add_comment(other_idea, author=me, body="Wie neemt de ballen mee?")
    other_reply = idea_ops.add_comment(other_idea, author=other, body="Dat doe ik!", parent=my_answered_comment)
    other_comment = idea_ops.add_comment(my_idea, author=other, body="Lantaarns kosten veel stroom.")
    idea_ops.support_idea(other_idea, me)
    idea_ops.support_idea(my_idea, other)
    my_report = idea_ops.report(by=me, reason="Dit is onaardig.", comment=other_comment)
    action = action_ops.create_action(thinktank, by=chair, title="Lantaarns plaatsen", owner=me,
                                      organisation="Gemeente", start_date=date.today(),
                                      due_date=date.today() + timedelta(days=30))
    my_update = action_ops.post_update(action, by=me, body="Offerte aangevraagd.", progress=10)
    my_token = account_ops.create_api_token(me, name="mijn koppeling")
    other_token = account_ops.create_api_token(other, name="buurman koppeling")
    db.session.commit()
    return Story(me, other, chair, thinktank, my_idea, my_anonymous_idea, other_idea, other_anonymous_idea,
                 my_comment, my_answered_comment, other_comment, other_reply, my_report, action, my_update,
                 my_token, other_token)


@pytest.fixture
def confirm_password(csrf_token: Callable[[FlaskClient, str], str]) -> Callable[..., Any]:
    """Return a function that passes the confirm-password step on a signed-in client."""
    def confirm(client: FlaskClient, password: str = PASSWORD, next: str = "") -> Any:
        token = csrf_token(client, "/account/confirm")
        return client.post("/account/confirm", data={"csrf_token": token, "password": password, "next": next})
    return confirm


@pytest.fixture
def new_client(app: Flask, db: Any) -> Callable[[], BrowserClient]:
    """Return a factory for clients that each act as a separate browser (a request, an app context)."""
    def make() -> BrowserClient:
        return BrowserClient(app, app.response_class, use_cookies=True)
    return make


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch, app: Flask) -> Callable[[], None]:
    """Return a function that moves the clock past the confirm-password window (the sign-in confirmed it)."""
    from samen.privacy import blueprint as privacy_views

    def move() -> None:
        moment = time.time() + app.config["REAUTH_MINUTES"] * 60 + 1
        monkeypatch.setattr(privacy_views.time, "time", lambda: moment)
    return move
