"""Fixtures of the follow tests: a think tank with people in every role of following, and the fan-out."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, select

from samen.follows import operations as follow_ops
from samen.follows.fanout import FanOutResult, fan_out
from samen.follows.mails import queue_personal_mail
from samen.follows.models import OutboxMail
from samen.ideas import operations as idea_ops
from samen.notifications.models import Notification
from samen.thinktanks.models import Plan


@dataclass
class World:
    """People around one think tank, by how they follow."""

    plan: Plan
    thinktank: Any
    chair: Any
    author: Any  # a member who posted the idea (follows the idea and the think tank)
    supporter: Any  # a member who supports it (follows both)
    owner: Any  # a member, the action's owner (follows the think tank)
    watcher: Any  # no member; follows the idea by the button
    thinktank_fan: Any  # no member; follows the think tank
    plan_fan: Any  # no member; follows the whole plan
    outsider: Any  # follows nothing
    idea: Any

    def names(self, ids: set[int]) -> set[str]:
        roles = ("chair", "author", "supporter", "owner", "watcher", "thinktank_fan", "plan_fan", "outsider")
        return {role for role in roles if getattr(self, role).id in ids}


@pytest.fixture
def world(db: Any, thinktank: Any, chair: Any, make_member: Any, create_user: Any, create_idea: Any) -> World:
    """Return the people of World, with their digest weekly and language English."""
    plan = Plan(title="Samen sterk", municipality="Nijkerk", introduction="")
    db.session.add(plan)
    db.session.commit()
    author, supporter, owner = (make_member(thinktank, display_name=name, locale="en")
                                for name in ("Auteur", "Supporter", "Eigenaar"))
    watcher, thinktank_fan, plan_fan, outsider = (create_user(display_name=name, locale="en")
                                                  for name in ("Kijker", "Fan", "Planvolger", "Buiten"))
    idea = create_idea(thinktank, author, title="Groepsdruk omdraaien")
    idea_ops.support_idea(idea, supporter)
    follow_ops.follow(watcher, "idea", idea.id)
    follow_ops.follow(thinktank_fan, "thinktank", thinktank.id)
    follow_ops.follow(plan_fan, "plan", plan.id)
    db.session.commit()
    tell(db)  # nothing so far is news
    db.session.execute(delete(Notification))
    db.session.execute(delete(OutboxMail))
    db.session.commit()
    return World(plan, thinktank, chair, author, supporter, owner, watcher, thinktank_fan, plan_fan, outsider, idea)


def tell(db: Any) -> FanOutResult:
    """Run the fan-out as `flask mail fan-out` does."""
    db.session.commit()
    return fan_out(queue_personal_mail)


@pytest.fixture
def told(db: Any) -> Callable[[str], dict[int, Notification]]:
    """Return a function: fan out, then the notifications of a kind, by user id."""
    def read(kind: str) -> dict[int, Notification]:
        tell(db)
        return {n.user_id: n for n in db.session.scalars(select(Notification).where(Notification.kind == kind))}
    return read


@pytest.fixture
def mailed(db: Any) -> Callable[[], list[OutboxMail]]:
    """Return a function: the mails waiting in the outbox."""
    return lambda: list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
