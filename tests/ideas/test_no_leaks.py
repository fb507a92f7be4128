"""Nothing that anonymity or pre-moderation keeps from view reaches anyone through any output.

One world: an anonymous idea whose earlier version named its author, an anonymous comment, and an idea and a
comment that wait for a chair's approval. Every public or participant output (web pages, search, the API, the
public progress pages, the feed, the open-data exports, notifications) is read as a visitor and as another member;
none may show an earlier version of the anonymous idea, the author of the anonymous comment, or what waits.
The same walk as the author and as a chair shows the marks, so the test can fail.
"""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.ideas import operations as ops
from samen.ideas import review
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD, pinned, savepoint

pytestmark = pytest.mark.shared_database  # the world is built once for the module

VERSION_MARK = "VERSIEMERK"          # only in the earlier version of the anonymous idea
IDEA_AUTHOR = "Geheime Schrijver"     # the anonymous idea's author (named in that earlier version)
COMMENTER = "Anonieme Reageerder"     # the author of the anonymous comment
WAITING_IDEA = "WACHTENDIDEE"         # an idea waiting for approval
WAITING_COMMENT = "WACHTENDCOMMENTAAR"  # a comment waiting for approval
MARKS = (VERSION_MARK, IDEA_AUTHOR, COMMENTER, WAITING_IDEA, WAITING_COMMENT)

# Every output a visitor or member can read: (path, what a visitor gets, what another member gets). {slug},
# {idea}, {waiting} and {action} are filled in from the world.
OUTPUTS = {
    "think tank page": ("/thinktanks/{slug}", 200, 200),
    "think tanks": ("/thinktanks/", 200, 200),
    "idea list": ("/thinktanks/{slug}/ideas", 200, 200),
    "idea list, newest": ("/thinktanks/{slug}/ideas?sort=new", 200, 200),
    # Searches in lower case: the page repeats the words searched for, and a search ignores case.
    "search for what waits": (f"/thinktanks/{{slug}}/ideas?q={WAITING_IDEA.lower()}", 200, 200),
    "search for the old version": (f"/thinktanks/{{slug}}/ideas?q={VERSION_MARK.lower()}", 200, 200),
    "idea page": ("/ideas/{idea}", 200, 200),
    "waiting idea page": ("/ideas/{waiting}", 404, 404),
    "api idea list": ("/api/v1/thinktanks/{slug}/ideas", 200, 200),
    "api search": (f"/api/v1/thinktanks/{{slug}}/ideas?q={WAITING_IDEA.lower()}", 200, 200),
    "api idea": ("/api/v1/ideas/{idea}", 200, 200),
    "api comments": ("/api/v1/ideas/{idea}/comments", 200, 200),
    "api waiting idea": ("/api/v1/ideas/{waiting}", 404, 404),
    "api waiting comments": ("/api/v1/ideas/{waiting}/comments", 404, 404),
    "api think tank": ("/api/v1/thinktanks/{slug}", 200, 200),
    "progress": ("/progress", 200, 200),
    "progress of the think tank": ("/progress/thinktanks/{slug}", 200, 200),
    "action page": ("/progress/actions/{action}", 200, 200),
    "report": ("/progress/report", 200, 200),
    "feed": ("/progress/feed.atom", 200, 200),
    "actions.json": ("/progress/actions.json", 200, 200),
    "actions.csv": ("/progress/actions.csv", 200, 200),
    "notifications": ("/notifications", 302, 200),
}


@pytest.fixture(scope="module")
def world_ids(app, module_connection):
    """Build the world once for the module; return ids and API tokens."""
    from werkzeug.security import generate_password_hash
    quick = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    with savepoint(module_connection), pinned(app, module_connection) as db:
        tank = tt_ops.create_thinktank({"slug": "gevoelig", "name": "Gevoelig", "join_policy": "open"})
        people = {role: account_ops.create_user(email=f"{role}@example.org", display_name=name, password_hash=quick)
                  for role, name in (("author", IDEA_AUTHOR), ("commenter", COMMENTER), ("member", "Ander Lid"),
                                     ("waiter", "Wachtend Lid"), ("chair", "Voorzitter"))}
        for role in ("author", "commenter", "member", "waiter"):
            tt_ops.join_thinktank(tank, people[role])
        tt_ops.appoint_chair(tank, people["chair"])
        idea = ops.create_idea(tank, author=people["author"], title="Vrijplaats voor jongeren", anonymous=True,
                               body=f"Ik ben {IDEA_AUTHOR} uit de Oranjestraat. {VERSION_MARK}")
        ops.edit_idea(idea, by=people["author"], body="Een plek zonder oordeel.")
        ops.add_comment(idea, author=people["commenter"], body="Ik help mee.", anonymous=True)
        ops.support_idea(idea, people["member"])  # the other member is told of the decision
        ops.decide(idea, by=people["chair"], status="adopted", answer="We gaan dit doen.")
        review.set_premoderation(tank, by=people["chair"], on=True)
        waiting = ops.create_idea(tank, author=people["waiter"], title=f"{WAITING_IDEA} bij de school")
        # A chair may adopt what waits and make it an action item; the public pages still show only the
        # published idea.
        ops.decide(waiting, by=people["chair"], status="adopted", answer="Goed plan.")
        action = action_ops.create_action(tank, by=people["chair"], title="Een vrijplaats openen",
                                          ideas=[idea, waiting], start_date=date.today() - timedelta(days=3),
                                          due_date=date.today() + timedelta(days=30))
        ops.add_comment(idea, author=people["waiter"], body=f"{WAITING_COMMENT}: ik weet wie dealt.")
        tokens = {role: account_ops.create_api_token(people[role]) for role in people}
        db.session.commit()
        assert waiting.review == "waiting"
        yield SimpleNamespace(slug=tank.slug, idea=idea.id, waiting=waiting.id, action=action.id, tokens=tokens,
                              users={role: user.id for role, user in people.items()})


def _read(client, auth, db, world, viewer: str | None, path: str):
    """Fetch a path as the viewer (signed in on the web and with their token for the API)."""
    path = path.format(slug=world.slug, idea=world.idea, waiting=world.waiting, action=world.action)
    headers = {}
    if viewer is not None:
        auth.login(db.session.get(User, world.users[viewer]))
        headers["Authorization"] = f"Bearer {world.tokens[viewer]}"
    return client.get(path, headers=headers if path.startswith("/api/") else {})


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("viewer", [None, "member"], ids=["visitor", "other member"])
def test_no_output_shows_an_old_version_an_anonymous_commenter_or_what_waits(client, auth, db, world_ids, viewer,
                                                                            output):
    path, visitor_status, member_status = OUTPUTS[output]
    answer = _read(client, auth, db, world_ids, viewer, path)
    assert answer.status_code == (visitor_status if viewer is None else member_status), answer.status_code
    body = answer.get_data(as_text=True)
    assert [mark for mark in MARKS if mark in body] == []


@pytest.mark.parametrize("viewer, path, marks", [
    ("author", "/ideas/{idea}", {VERSION_MARK, IDEA_AUTHOR}),   # their own earlier version
    ("commenter", "/ideas/{idea}", set()),                        # sees '(you)', not their name
    ("waiter", "/ideas/{waiting}", {WAITING_IDEA}),
    ("waiter", "/ideas/{idea}", {WAITING_COMMENT}),
    ("waiter", "/api/v1/ideas/{idea}/comments", {WAITING_COMMENT}),
    ("chair", "/ideas/{idea}", {VERSION_MARK, IDEA_AUTHOR, COMMENTER, WAITING_COMMENT}),
    ("chair", "/api/v1/ideas/{idea}/comments", {COMMENTER, WAITING_COMMENT}),
    ("chair", "/thinktanks/{slug}/moderation", {WAITING_IDEA, WAITING_COMMENT}),
])
def test_the_author_and_the_chairs_see_what_others_do_not(client, auth, db, world_ids, viewer, path, marks):
    answer = _read(client, auth, db, world_ids, viewer, path)
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert {mark for mark in MARKS if mark in body} == marks
