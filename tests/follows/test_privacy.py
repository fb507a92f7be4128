"""The privacy rule: nobody learns of an idea, action or meeting they may not see — not in the app, not by mail.

The fan-out's audiences are SQL over users; the last tests check that they agree with the rules the pages use
(ideas.operations.may_see_idea, actions.operations.can_view) for people in every role.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.follows import operations as follow_ops
from samen.follows.fanout import action_audience, follower_digests, idea_audience
from samen.follows.models import EmailFollower, FollowEvent
from samen.ideas import operations as idea_ops
from samen.meetings import operations as meeting_ops

pytestmark = pytest.mark.database


def _closed(world: Any, db: Any) -> None:
    world.thinktank.join_policy = "approval"
    db.session.commit()


def test_followers_of_a_closed_think_tanks_idea_who_are_no_members_hear_nothing(world, db, told):
    _closed(world, db)
    idea_ops.decide(world.idea, by=world.chair, status="adopted", answer="Ja.")
    # The watcher and the fans follow, but may not read the think tank's ideas any more.
    assert world.names(set(told("idea.adopted"))) == {"author", "supporter", "owner"}


@pytest.mark.parametrize("how", ["hidden", "waiting", "withdrawn"])
def test_a_hidden_waiting_or_withdrawn_idea_is_news_for_its_author_and_chairs_only(world, db, told, how, admin):
    follow_ops.follow(world.chair, "idea", world.idea.id)
    follow_ops.follow(admin, "idea", world.idea.id)
    if how == "hidden":
        idea_ops.hide(world.idea, by=world.chair, reason="Persoonlijke gegevens")
    elif how == "waiting":
        world.idea.review = "waiting"
    else:
        world.idea.withdrawn_at = world.idea.created_at
    idea_ops.decide(world.idea, by=admin, status="discussion", answer="We bespreken het.")
    assert world.names(set(told("idea.status"))) == {"author", "chair"}


def test_an_internal_action_is_news_for_members_only(world, db, told, create_user):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Intern overleg", public=False,
                                      due_date=date.today() + timedelta(days=9))
    follow_ops.follow(world.watcher, "action", action.id)  # followed while it was public, say
    db.session.commit()
    action_ops.post_update(action, by=world.chair, body="Gesproken met de school.", progress=10)
    assert world.names(set(told("action.update"))) == {"author", "supporter", "owner"}


def test_an_idea_that_becomes_an_internal_action_tells_only_who_may_see_both(world, db, told):
    world.idea.status = "adopted"
    action_ops.convert_ideas([world.idea], by=world.chair, public=False)
    assert world.names(set(told("idea.action"))) == {"author", "supporter", "owner"}  # not the watcher


def test_a_members_only_meeting_is_not_news_for_outsiders(world, db, told):
    meeting_ops.create_meeting(world.thinktank, by=world.chair, title="Besloten avond", public=False,
                               starts_at="2027-01-12T19:30", ends_at="2027-01-12T21:30", location="Het Huis")
    assert world.names(set(told("meeting.planned"))) == {"author", "supporter", "owner"}


def test_email_followers_hear_only_of_what_is_public(world, db, told):
    public = action_ops.create_action(world.thinktank, by=world.chair, title="Openbare actie")
    internal = action_ops.create_action(world.thinktank, by=world.chair, title="Interne actie", public=False)
    db.session.commit()
    request = follow_ops.request_email_follow("ouder@example.org", "thinktank", world.thinktank.id)
    follow_ops.confirm_email_follow(request.secret)
    follower = db.session.scalar(select(EmailFollower))
    follower.confirmed_at = follower.confirmed_at - timedelta(days=1)
    db.session.commit()
    for action in (public, internal):
        action_ops.post_update(action, by=world.chair, body="Voortgang.", progress=50)
    told("action.update")
    digests: list[tuple[Any, list[FollowEvent]]] = []
    assert follower_digests(date(2026, 11, 23), lambda f, events: digests.append((f, events))) == 1  # a Monday
    [(_, events)] = digests
    assert [event.target_id for event in events] == [public.id]


def _people(db: Any, world: Any, admin: Any) -> list[Any]:
    return [None, world.chair, world.author, world.supporter, world.watcher, world.outsider, admin]


@pytest.mark.parametrize("policy", ["open", "approval"])
@pytest.mark.parametrize("state", ["listed", "hidden", "waiting"])
def test_the_idea_audience_agrees_with_may_see_idea(world, db, admin, policy, state):
    world.thinktank.join_policy = policy
    if state == "hidden":
        world.idea.hidden_at = world.idea.created_at
    elif state == "waiting":
        world.idea.review = "waiting"
    db.session.commit()
    audience = idea_audience(world.idea)
    hears = set(db.session.scalars(select(User.id).where(audience.users)))
    for person in _people(db, world, admin)[1:]:
        may_list = world.idea.is_visible and idea_ops.may_see_idea(world.idea, person)
        may_know = idea_ops.may_see_idea(world.idea, person)
        # Stricter than the page for ideas out of the lists: only those who moderate and the author.
        assert (person.id in hears) == (may_list or (may_know and (person.id == world.author.id
                                                                  or idea_ops.can_moderate(world.thinktank,
                                                                                           person))))
    assert audience.public == (policy == "open" and state == "listed")


@pytest.mark.parametrize("public", [True, False])
def test_the_action_audience_agrees_with_can_view(world, db, admin, public):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Actie", public=public)
    db.session.commit()
    audience = action_audience(action)
    hears = set(db.session.scalars(select(User.id).where(audience.users)))
    for person in _people(db, world, admin)[1:]:
        assert (person.id in hears) == action_ops.can_view(action, person)
    assert audience.public is public
