"""Fixtures for ideas: a member, a chair, and a factory for ideas."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.ideas import operations as ops
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops


@pytest.fixture()
def member(create_user: Callable[..., Any], thinktank: Any, db: Any) -> Any:
    """Return an active member of the think tank."""
    user = create_user(display_name="Lid van de denktank")
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    return user


@pytest.fixture()
def chair(create_user: Callable[..., Any], thinktank: Any, db: Any) -> Any:
    """Return a chair of the think tank."""
    user = create_user(display_name="Voorzitter", kind="professional", organisation="Jongerenwerk")
    tt_ops.appoint_chair(thinktank, user)
    db.session.commit()
    return user


@pytest.fixture()
def make_member(create_user: Callable[..., Any], db: Any) -> Callable[..., Any]:
    """Return a factory for members of a think tank."""
    def make(thinktank: Any, **fields: Any) -> Any:
        user = create_user(**fields)
        tt_ops.join_thinktank(thinktank, user)
        db.session.commit()
        return user
    return make


@pytest.fixture()
def create_idea(db: Any) -> Callable[..., Idea]:
    """Return a factory for ideas."""
    def make(thinktank: Any, author: Any, **fields: Any) -> Idea:
        fields.setdefault("title", "Vrijplaats waar jongeren open met elkaar kunnen praten")
        fields.setdefault("body", "Een plek zonder oordeel, met jongerenwerkers in de buurt.")
        idea = ops.create_idea(thinktank, author=author, **fields)
        db.session.commit()
        return idea
    return make


@pytest.fixture()
def idea(create_idea: Callable[..., Idea], thinktank: Any, member: Any) -> Idea:
    """Return an idea posted by the member."""
    return create_idea(thinktank, member)
