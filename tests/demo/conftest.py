"""Fixtures for the demo: the demo plan loaded and committed, and the counts a load could change."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, func, select

from samen.accounts.models import User
from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate
from samen.demo.data import PEOPLE, THINKTANKS
from samen.help.models import HelpEntry, HelpQuestion
from samen.demo.loader import load_demo
from samen.ideas.models import Comment, Idea, Report, StatusChange, Support, Tag
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.notifications.models import Notification
from samen.thinktanks.models import Membership, Plan, ThinkTank
from tests.conftest import pinned


@pytest.fixture(scope="module")
def demo_loaded(app: Flask, module_connection: Connection) -> Any:
    """Load the demo once per module, as `flask demo load` does, on the module's shared connection; return the
    report of that load."""
    with pinned(app, module_connection) as db:
        report = load_demo()
        db.session.commit()
    return report


@pytest.fixture
def demo(demo_loaded: Any, db: Any) -> Any:
    """Return the report of loading the demo (loaded once per module: mark the module shared_database)."""
    return demo_loaded


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
                ("agenda items", AgendaItem), ("registrations", Registration), ("help entries", HelpEntry),
                ("questions and answers", HelpQuestion))},
            "support counts": db.session.scalar(select(func.sum(Idea.support_count))),
            "statuses": sorted(db.session.execute(select(ActionItem.title, ActionItem.status,
                                                         ActionItem.progress)).all()),
        }
    return take
