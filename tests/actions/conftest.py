"""Fixtures for actions: an adopted idea, an owner, a factory for actions."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as ops
from samen.actions.models import ActionItem
from samen.ideas import operations as idea_ops


@pytest.fixture
def adopted_idea(idea: Any, chair: Any, db: Any) -> Any:
    """Return an idea the chair adopted."""
    idea_ops.decide(idea, by=chair, status="adopted", answer="We gaan dit doen.")
    db.session.commit()
    return idea


@pytest.fixture
def create_action(db: Any, chair: Any) -> Callable[..., ActionItem]:
    """Return a factory for action items, created by the chair."""
    def make(thinktank: Any, **fields: Any) -> ActionItem:
        fields.setdefault("title", "Voorlichting op alle middelbare scholen")
        fields.setdefault("start_date", date.today() - timedelta(days=30))
        fields.setdefault("due_date", date.today() + timedelta(days=60))
        action = ops.create_action(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return action
    return make
