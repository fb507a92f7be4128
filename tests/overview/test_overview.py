"""The overview: what waits for a chair and an action's owner, per role; the header's count; constant queries."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as action_ops
from samen.core.database import utcnow
from samen.ideas import operations as idea_ops
from samen.ideas.models import Report
from samen.meetings import operations as meeting_ops
from samen.overview import operations as ops
from samen.overview.sources import SOURCES
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership

pytestmark = pytest.mark.database


@pytest.fixture
def world(db: Any, create_user: Any, create_thinktank: Any) -> dict[str, Any]:
    """A think tank with its chair, a member, an owner of actions (not a chair) and a stranger."""
    tank = create_thinktank(name="Preventie", slug="preventie")
    chair, owner, member, stranger = (create_user(display_name=name)
                                      for name in ("Voorzitter", "Eigenaar", "Lid", "Buiten"))
    tt_ops.appoint_chair(tank, chair)
    tt_ops.join_thinktank(tank, member)
    tt_ops.join_thinktank(tank, owner)
    db.session.commit()
    return {"tank": tank, "chair": chair, "owner": owner, "member": member, "stranger": stranger}


def _fill(db: Any, world: dict[str, Any], create_user: Any, create_idea: Any, n: int = 1) -> None:
    """Add n of every kind of thing that waits."""
    tank, chair = world["tank"], world["chair"]
    long_ago = utcnow() - timedelta(days=40)
    for i in range(n):
        db.session.add(Membership(thinktank_id=tank.id, user_id=create_user().id, status="pending"))
        idea = create_idea(tank, world["member"], title=f"Oud idee {i}")
        idea.created_at = long_ago
        db.session.add(Report(thinktank_id=tank.id, idea_id=idea.id, reason="Niet netjes"))
        overdue = action_ops.create_action(tank, by=chair, title=f"Te laat {i}",
                                           start_date=date.today() - timedelta(days=60),
                                           due_date=date.today() - timedelta(days=3))
        overdue.owner_id = world["owner"].id
        quiet = action_ops.create_action(tank, by=chair, title=f"Stil {i}")
        quiet.owner_id, quiet.created_at = world["owner"].id, long_ago
        starts = (utcnow() + timedelta(days=3)).replace(microsecond=0)
        meeting_ops.create_meeting(tank, by=chair, title=f"Avond {i}", starts_at=starts,
                                   ends_at=starts + timedelta(hours=2), location="Het Huis")
        closed = meeting_ops.create_meeting(tank, by=chair, title=f"Vorige {i}", starts_at=starts,
                                            ends_at=starts + timedelta(hours=2), location="Het Huis")
        closed.state, closed.closed_at = "closed", utcnow()
    db.session.commit()


def _names(user: Any) -> dict[str, int]:
    return {group.source.name: group.total for group in ops.waiting_for(ops.who_for(user))}


def test_a_chair_sees_everything_of_their_think_tank(db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    seen = _names(world["chair"])
    assert seen == {"membership_requests": 1, "reports": 1, "unanswered_ideas": 1, "overdue_actions": 1,
                    "quiet_actions": 1, "meetings_to_prepare": 1, "minutes_to_publish": 1}
    assert ops.waiting_count(ops.who_for(world["chair"])) == sum(seen.values())


def test_an_owner_sees_their_actions_only(db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    assert _names(world["owner"]) == {"overdue_actions": 1, "quiet_actions": 1}
    # An action that is done or stopped waits no longer.
    for action in action_ops.list_actions(viewer=world["owner"], owner_id=world["owner"].id):
        action.status = "done"
    db.session.commit()
    assert _names(world["owner"]) == {}


@pytest.mark.parametrize("who", ["member", "stranger"])
def test_members_and_others_have_nothing_waiting(db, world, create_user, create_idea, who) -> None:
    _fill(db, world, create_user, create_idea)
    assert _names(world[who]) == {}
    assert ops.waiting_count(ops.who_for(world[who])) == 0


def test_settings_move_the_limits(db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    relaxed = ops.who_for(world["chair"], {"OVERVIEW_UNANSWERED_DAYS": 60, "OVERVIEW_QUIET_WEEKS": 10,
                                           "OVERVIEW_MEETING_DAYS": 1})
    names = {group.source.name for group in ops.waiting_for(relaxed)}
    assert not names & {"unanswered_ideas", "quiet_actions", "meetings_to_prepare"}


def test_handled_things_leave_the_overview(db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    for idea in idea_ops.list_ideas(world["tank"], viewer=world["chair"]).ideas:
        idea.answered_at = utcnow()
    for report in db.session.query(Report):
        report.resolved_at = utcnow()
    db.session.commit()
    names = set(_names(world["chair"]))
    assert "unanswered_ideas" not in names and "reports" not in names


def test_the_page_links_to_where_it_is_done(client, auth, db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    auth.login(world["chair"])
    page = client.get("/overview?lang=en").get_data(as_text=True)
    assert 'href="/thinktanks/preventie/members"' in page and 'href="/thinktanks/preventie/moderation"' in page
    assert "/agenda" in page and "/minutes" in page and 'href="/actions/' in page and 'href="/ideas/' in page
    # The header counts them with the unread notifications.
    assert "Notifications (7<span" in page


def test_the_home_page_points_chairs_to_the_overview(client, auth, db, world, create_user, create_idea) -> None:
    _fill(db, world, create_user, create_idea)
    auth.login(world["chair"])
    assert 'href="/overview"' in client.get("/?lang=en").get_data(as_text=True)
    auth.login(world["member"])
    assert 'href="/overview"' not in client.get("/?lang=en").get_data(as_text=True)


def test_the_page_needs_a_sign_in(client) -> None:
    assert client.get("/overview").status_code == 302


def _count(client: Any, count_queries: Any, path: str) -> int:
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_queries_do_not_grow_with_the_data(client, auth, db, world, create_user, create_idea,
                                           count_queries) -> None:
    _fill(db, world, create_user, create_idea)
    auth.login(world["chair"])
    small = {path: _count(client, count_queries, path) for path in ("/overview", "/thinktanks/", "/")}
    extra = create_thinktank_for(db, world, create_user)
    _fill(db, extra, create_user, create_idea, n=5)
    large = {path: _count(client, count_queries, path) for path in ("/overview", "/thinktanks/", "/")}
    assert large == small
    assert small["/overview"] <= len(SOURCES) + 4


def create_thinktank_for(db: Any, world: dict[str, Any], create_user: Any) -> dict[str, Any]:
    """A second think tank the same chair chairs."""
    tank = tt_ops.create_thinktank({"name": "Nazorg", "slug": "nazorg"})
    tt_ops.appoint_chair(tank, world["chair"])
    member = create_user()
    tt_ops.join_thinktank(tank, member)
    db.session.commit()
    return {**world, "tank": tank, "member": member}


def test_the_header_asks_once_whatever_the_number_of_sources(client, auth, db, world, count_queries,
                                                             monkeypatch) -> None:
    auth.login(world["chair"])
    before = _count(client, count_queries, "/thinktanks/")
    monkeypatch.setattr("samen.overview.operations.SOURCES", SOURCES * 3)
    assert _count(client, count_queries, "/thinktanks/") == before
    client.get("/logout")
    anonymous = _count(client, count_queries, "/thinktanks/")
    auth.login(world["chair"])
    assert before - anonymous <= 5  # the session, the user, the unread notifications, what waits (and the CSRF)
