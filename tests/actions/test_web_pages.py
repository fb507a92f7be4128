"""The action page, the think tank's dashboard, 'my action items', the idea's timeline; their query counts."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import ActionItem
from samen.core.database import db as _db
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.conftest import PASSWORD

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
TODAY = date.today()


# These two fixtures repeat those of the ideas' web tests; they belong in a shared conftest.
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


def _page(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def _days(n: int) -> date:
    return TODAY + timedelta(days=n)


# --- the action page ----------------------------------------------------------------------------------------

def test_action_page_shows_the_whole_trail(client, auth, thinktank, chair, member, make_member, create_idea,
                                           create_action, db):
    owner = make_member(thinktank, display_name="Wijkagent", kind="professional", organisation="Politie")
    adopted_idea = create_idea(thinktank, member)
    idea_ops.support_idea(adopted_idea, owner)
    idea_ops.decide(adopted_idea, by=chair, status="adopted", answer="Doen we.")
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Meldingen overlast",
                                     unit="meldingen", direction="down", baseline_value=40, target_value=20)
    ops.record_measurement(indicator, by=chair, date=_days(-10), value="31,5")
    db.session.commit()
    action = create_action(thinktank, owner=owner, ideas=[adopted_idea], indicators=[indicator],
                           decision="Besloten op **12 maart**.", description="Samen met de scholen.",
                           start_date=_days(-40), due_date=_days(-2))
    ops.post_update(action, by=owner, body="Eerste avond gehouden.", progress=40, status="in_progress")
    ops.add_milestone(action, by=chair, title="Tweede avond")
    db.session.commit()
    auth.login(chair)
    html = _page(client, f"/actions/{action.id}")
    assert f"<h1>{action.title}</h1>" in html
    assert "Status: </span>In progress" in html and ">Overdue</span>" in html  # in words
    assert '<progress max="100" value="0" aria-hidden="true"></progress>' in html and "0% done" in html
    origin = html.split('id="origin-heading"')[1].split("</section>")[0]
    assert f'href="/ideas/{adopted_idea.id}">{adopted_idea.title}</a>' in origin and "1 support" in origin
    assert "Besloten op <strong>12 maart</strong>." in origin
    assert "Samen met de scholen." in html
    facts = html.split('id="facts-heading"')[1]
    assert "Wijkagent" in facts and "Politie" in facts
    assert _days(-2).strftime("%Y-%m-%d") in facts and _days(-40).strftime("%Y-%m-%d") in facts
    assert "Meldingen overlast" in facts and "Latest: 31.5 meldingen" in facts
    assert "target 20 meldingen" in facts
    assert "Tweede avond" in html and "Not done yet" in html
    assert "Eerste avond gehouden." in html.split('id="updates-heading"')[1]
    trail = html.split('id="trail-heading"')[1]
    assert "Progress</strong>: from “0%” to “40%”" in trail  # the update
    assert "Progress</strong>: from “40%” to “0%”" in trail  # the milestone
    assert "Created the action item." in trail


def test_due_soon_is_said_in_words(client, thinktank, create_action):
    action = create_action(thinktank, start_date=_days(-3), due_date=_days(5))
    html = _page(client, f"/actions/{action.id}")
    assert ">Due soon</span>" in html and ">Overdue</span>" not in html


def test_internal_action_is_for_members(client, auth, thinktank, member, create_user, create_action):
    action = create_action(thinktank, public=False, title="Intern: budgetoverleg")
    auth.login(member)
    html = _page(client, f"/actions/{action.id}")
    assert ">Internal</span>" in html and "only members of this think tank and administrators" in html
    auth.logout()
    auth.login(create_user())
    _page(client, f"/actions/{action.id}", 404)  # it does not exist for outsiders


def test_public_action_is_readable_without_signing_in(client, thinktank, create_action):
    action = create_action(thinktank)
    html = _page(client, f"/actions/{action.id}")
    assert action.title in html and "Post a progress update" not in html and "Edit action item" not in html


# --- lists --------------------------------------------------------------------------------------------------

def _mixed_actions(thinktank: Any, owner: User,
                   create_action: Callable[..., ActionItem]) -> dict[str, ActionItem]:
    return {
        "later": create_action(thinktank, title="Later", owner=owner, due_date=_days(60)),
        "done": create_action(thinktank, title="Afgerond", owner=owner, due_date=_days(-30), status="done"),
        "soon": create_action(thinktank, title="Binnenkort", owner=owner, due_date=_days(3)),
        "overdue": create_action(thinktank, title="Te laat", owner=owner, due_date=_days(-1),
                                 status="delayed"),
        "internal": create_action(thinktank, title="Intern", due_date=_days(90), public=False),
    }


def _order(html: str, actions: dict[str, ActionItem]) -> list[str]:
    ids = [int(n) for n in re.findall(r'<tr id="action-(\d+)"', html)]
    names = {action.id: name for name, action in actions.items()}
    return [names[i] for i in ids]


def test_dashboard_shows_overdue_first_then_due_soon(client, auth, thinktank, chair, member, create_action):
    actions = _mixed_actions(thinktank, member, create_action)
    auth.login(member)
    html = _page(client, f"/thinktanks/{thinktank.slug}/actions")
    assert _order(html, actions) == ["overdue", "soon", "later", "internal", "done"]
    assert "1 overdue" in html and "1 due within two weeks" in html
    assert 'class="is-overdue"' in html and ">Due soon</span>" in html and "Status: </span>Delayed" in html
    assert "New action item" not in html and "The chairs of this think tank create and assign them" in html
    auth.logout()
    auth.login(chair)
    html = _page(client, f"/thinktanks/{thinktank.slug}/actions")
    assert f'href="/actions/new?thinktank={thinktank.slug}"' in html
    assert f'href="/indicators/new?thinktank={thinktank.slug}"' in html


def test_dashboard_filters(client, auth, thinktank, member, create_action):
    actions = _mixed_actions(thinktank, member, create_action)
    auth.login(member)
    assert _order(_page(client, f"/thinktanks/{thinktank.slug}/actions?status=done"), actions) == ["done"]
    html = _page(client, f"/thinktanks/{thinktank.slug}/actions?status=planned")
    assert _order(html, actions) == ["soon", "later", "internal"]
    assert '<option value="planned" selected>' in html and "Clear filters" in html
    assert _order(_page(client, f"/thinktanks/{thinktank.slug}/actions?overdue=1"), actions) == ["overdue"]
    html = _page(client, f"/thinktanks/{thinktank.slug}/actions?status=stopped")
    assert "No action items match these filters." in html
    html = _page(client, f"/thinktanks/{thinktank.slug}/actions?status=klaar", 400)
    assert "Unknown status." in html and "Show all action items" in html


def test_dashboard_hides_internal_actions_from_outsiders(client, auth, thinktank, member, create_user,
                                                         create_action):
    actions = _mixed_actions(thinktank, member, create_action)
    assert "internal" not in _order(_page(client, f"/thinktanks/{thinktank.slug}/actions"), actions)
    auth.login(create_user())
    assert "internal" not in _order(_page(client, f"/thinktanks/{thinktank.slug}/actions"), actions)


def test_my_actions(client, auth, thinktank, chair, member, make_member, create_action):
    actions = _mixed_actions(thinktank, member, create_action)
    create_action(thinktank, title="Van iemand anders", owner=make_member(thinktank))
    auth.login(member)
    html = _page(client, "/actions/mine")
    assert _order(html, actions) == ["overdue", "soon", "later", "done"]
    assert "Van iemand anders" not in html and thinktank.name in html and "1 overdue" in html
    assert '<a href="/actions/mine" aria-current="page">My actions</a>' in html
    auth.logout()
    auth.login(make_member(thinktank))
    assert "You own no action items." in _page(client, "/actions/mine")


def test_think_tank_page_links_to_its_actions(client, thinktank):
    assert f'href="/thinktanks/{thinktank.slug}/actions"' in _page(client, f"/thinktanks/{thinktank.slug}")


# --- the idea's timeline ------------------------------------------------------------------------------------

def test_idea_page_tells_what_happened_to_the_idea(client, auth, thinktank, chair, member, create_user,
                                                   adopted_idea, create_action, db):
    action = create_action(thinktank, owner=member, ideas=[adopted_idea],
                           title="Vrijplaats in het jongerencentrum")
    for n in range(1, 5):
        ops.post_update(action, by=member, body=f"Stap {n} gezet.", progress=20 * n, status="in_progress")
    hidden = create_action(thinktank, ideas=[adopted_idea], title="Interne voorbereiding", public=False)
    db.session.commit()
    html = _page(client, f"/ideas/{adopted_idea.id}")
    timeline = html.split('id="timeline-heading"')[1].split("</section>")[0]
    assert timeline.index("Posted") < timeline.index("Status history") < timeline.index("Vrijplaats in het")
    assert "from “New” to “Adopted”" in timeline
    assert f'href="/actions/{action.id}">Vrijplaats in het jongerencentrum</a>' in timeline
    assert "Status: </span>In progress" in timeline and "80% done" in timeline
    assert "Stap 4 gezet." in timeline and "Stap 2 gezet." in timeline and "Stap 1 gezet." not in timeline
    assert "Interne voorbereiding" not in timeline  # internal: not for visitors
    auth.login(member)
    assert f'href="/actions/{hidden.id}"' in _page(client, f"/ideas/{adopted_idea.id}")
    auth.logout()
    auth.login(chair)
    assert "Turn into another action item" in _page(client, f"/ideas/{adopted_idea.id}")


def test_adopted_idea_without_action_says_what_comes_next(client, adopted_idea):
    html = _page(client, f"/ideas/{adopted_idea.id}")
    assert "The chairs will turn it into an action item" in html and "Turn into action item" not in html


def test_new_idea_has_a_short_timeline(client, idea):
    html = _page(client, f"/ideas/{idea.id}")
    assert "What happened to this idea" in html and "No decision yet." in html
    assert "Next step" not in html


# --- queries ------------------------------------------------------------------------------------------------

def _count(client: FlaskClient, count_queries: Any, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm up
    _db.session.expunge_all()  # objects the test made must not spare a lazy load
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def _grow_action(action_id: int, chair_id: int, n: int, create_user: Callable[..., User]) -> None:
    """Give the action n more updates, milestones, source ideas, indicators and owners."""
    action = _db.session.get(ActionItem, action_id)
    chair = _db.session.get(User, chair_id)
    for i in range(n):
        person = create_user(display_name=f"Eigenaar {i}")
        tt_ops.join_thinktank(action.thinktank, person)
        idea = idea_ops.create_idea(action.thinktank, author=person, title=f"Idee {i}")
        idea_ops.support_idea(idea, person)
        idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
        indicator = ops.create_indicator(by=chair, thinktank=action.thinktank, name=f"Indicator {i}")
        ops.record_measurement(indicator, by=chair, date=_days(-i), value=i)
        ops.update_action(action, by=chair, owner=person, ideas=[*action.ideas, idea],
                          indicators=[*action.indicators, indicator])
        ops.post_update(action, by=person if i % 2 else chair, body=f"Update {i}", status="in_progress")
        milestone = ops.add_milestone(action, by=chair, title=f"Mijlpaal {i}")
        ops.set_milestone_done(milestone, by=chair, done=i % 2 == 0)
    _db.session.commit()


def test_action_page_runs_a_fixed_number_of_queries(client, auth, count_queries, thinktank, chair,
                                                    create_action, create_user):
    action = create_action(thinktank, public=False)
    action_id, chair_id, path = action.id, chair.id, f"/actions/{action.id}"
    auth.login(chair)  # a chair sees the most: the history of changes and every form
    _grow_action(action_id, chair_id, 2, create_user)
    small = _count(client, count_queries, path)
    _grow_action(action_id, chair_id, 18, create_user)
    large = _count(client, count_queries, path)
    html = client.get(path).get_data(as_text=True)
    assert len(re.findall(r'id="update-\d+"', html)) == 20
    assert len(re.findall(r'id="milestone-\d+"', html)) == 20
    assert len(small) == len(large), large


def _grow_dashboard(thinktank_id: int, chair_id: int, n: int, create_user: Callable[..., User]) -> None:
    """Add n action items, each with its own owner, source idea and update."""
    chair = _db.session.get(User, chair_id)
    thinktank = _db.session.get(ThinkTank, thinktank_id)
    for i in range(n):
        person = create_user(display_name=f"Eigenaar {i}", organisation=f"Organisatie {i}")
        tt_ops.join_thinktank(thinktank, person)
        idea = idea_ops.create_idea(thinktank, author=person, title=f"Idee {i}")
        idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
        action = ops.create_action(thinktank, by=chair, title=f"Actie {i}", owner=person, ideas=[idea],
                                   due_date=_days(i - n // 2), public=i % 3 != 0)
        ops.post_update(action, by=person, body="Begonnen.", progress=10, status="in_progress")
    _db.session.commit()


def test_dashboard_and_my_actions_run_a_fixed_number_of_queries(client, auth, count_queries, thinktank, chair,
                                                                create_user):
    thinktank_id, chair_id = thinktank.id, chair.id
    paths = (f"/thinktanks/{thinktank.slug}/actions", "/actions/mine")
    auth.login(chair)
    _grow_dashboard(thinktank_id, chair_id, 2, create_user)
    small = {path: _count(client, count_queries, path) for path in paths}
    _grow_dashboard(thinktank_id, chair_id, 18, create_user)
    large = {path: _count(client, count_queries, path) for path in paths}
    html = client.get(paths[0]).get_data(as_text=True)
    assert len(re.findall(r'<tr id="action-\d+"', html)) == 20
    assert {path: len(s) for path, s in small.items()} == {path: len(s) for path, s in large.items()}, large


def test_idea_page_queries_do_not_grow_with_its_actions(client, auth, count_queries, thinktank, chair, member,
                                                        adopted_idea, create_action):
    idea_id, path = adopted_idea.id, f"/ideas/{adopted_idea.id}"
    auth.login(chair)

    def grow(n: int) -> None:
        idea = _db.session.get(Idea, idea_id)
        owner = _db.session.get(User, member.id)
        for i in range(n):
            action = create_action(thinktank, owner=owner, ideas=[idea], title=f"Actie {i}",
                                   public=i % 2 == 0)
            for j in range(3):
                ops.post_update(action, by=owner, body=f"Update {j}", progress=10 * j)
        _db.session.commit()

    grow(2)
    small = _count(client, count_queries, path)
    grow(18)
    large = _count(client, count_queries, path)
    html = client.get(path).get_data(as_text=True)
    assert html.count("Latest updates") == 20
    assert len(small) == len(large), large
    assert len(large) <= 15, large  # the idea page's own budget (tests/ideas/test_web_idea_page.py)
