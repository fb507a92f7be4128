"""Fixtures for the demo: the demo plan loaded and committed, and the counts a load could change."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts.models import User
from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate
from samen.demo.data import PEOPLE, THINKTANKS
from samen.demo.loader import load_demo
from samen.ideas.models import Comment, Idea, Report, StatusChange, Support, Tag
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.notifications.models import Notification
from samen.thinktanks.models import Membership, Plan, ThinkTank


@pytest.fixture
def demo(db: Any) -> Any:
    """Load the demo and commit, as `flask demo load` does."""
    report = load_demo()
    db.session.commit()
    return report


@pytest.fixture
def snapshot(db: Any) -> Any:
    """Return a function that returns the counts a load could change."""
    def take() -> dict[str, Any]:
        def count(model: Any, *where: Any) -> int:
            return db.session.scalar(select(func.count()).select_from(model).where(*where))
        return {
            "plans": count(Plan),
            "users": count(User),
            "demo users": count(User, User.email.in_([person.email for person in PEOPLE])),
            "thinktanks": count(ThinkTank),
            "demo thinktanks": count(ThinkTank, ThinkTank.slug.in_([demo.slug for demo in THINKTANKS])),
            "active": count(Membership, Membership.status == "active"),
            "pending": count(Membership, Membership.status == "pending"),
            "chairs": count(Membership, Membership.role == "chair"),
            "plan": db.session.execute(select(Plan.title, Plan.municipality, Plan.introduction)).all(),
            **{name: count(model) for name, model in (
                ("tags", Tag), ("ideas", Idea), ("supports", Support), ("comments", Comment),
                ("decisions", StatusChange), ("reports", Report), ("notifications", Notification),
                ("actions", ActionItem), ("milestones", Milestone), ("updates", ProgressUpdate),
                ("indicators", Indicator), ("measurements", Measurement), ("meetings", Meeting),
                ("agenda items", AgendaItem), ("registrations", Registration))},
            "support counts": db.session.scalar(select(func.sum(Idea.support_count))),
            "statuses": sorted(db.session.execute(select(ActionItem.title, ActionItem.status,
                                                         ActionItem.progress)).all()),
        }
    return take
