"""Fixtures for stories: a field worker, an analyst, themes, and stories with each consent."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from samen.programme.models import PlanRole
from samen.stories import operations as ops
from samen.stories.models import Story, StoryTheme

# Words that appear nowhere else: a page, feed or export that holds them shows the story.
ANALYSIS_ONLY = "Zwijgzame-kikvors-analyse: mijn zoon betaalde zijn dealer met mijn pinpas"
QUOTABLE = "Citeerbare-ijsvogel: op verjaardagen ligt er coke op tafel"
PUBLISHABLE = "Publiceerbare-reiger: er is niets te doen voor jongeren in de wijk"


def grant(db: Any, user: Any, role: str) -> Any:
    db.session.add(PlanRole(user_id=user.id, role=role))
    db.session.commit()
    return user


@pytest.fixture
def field_worker(create_user: Callable[..., Any], db: Any) -> Any:
    """Return a field worker."""
    return grant(db, create_user(display_name="Veldwerker Fatima"), "field_worker")


@pytest.fixture
def other_worker(create_user: Callable[..., Any], db: Any) -> Any:
    """Return a second field worker."""
    return grant(db, create_user(display_name="Veldwerker Joost"), "field_worker")


@pytest.fixture
def analyst(create_user: Callable[..., Any], db: Any) -> Any:
    """Return a member of the analysis team."""
    return grant(db, create_user(display_name="Analist Ruud"), "analyst")


@pytest.fixture
def coordinator(create_user: Callable[..., Any], db: Any) -> Any:
    """Return the programme coordinator."""
    return grant(db, create_user(display_name="Coördinator Ilse"), "coordinator")


@pytest.fixture
def themes(db: Any) -> list[StoryTheme]:
    """Return three themes of the list."""
    made = [StoryTheme(name=name) for name in ("Normalisering", "Schulden bij dealers", "Druk op school")]
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.fixture
def make_story(db: Any, field_worker: Any) -> Callable[..., Story]:
    """Return a factory for stories recorded through the operation (by the field worker unless told)."""
    def make(text: str = QUOTABLE, *, by: Any = None, **fields: Any) -> Story:
        fields.setdefault("teller", "parent")
        fields.setdefault("neighbourhood", "Baarn-Oost")
        fields.setdefault("told_on", date(2026, 11, 2))
        fields.setdefault("consent", "quote")
        story = ops.record_story(by=by or field_worker, text=text, today=date(2026, 12, 7), **fields)
        db.session.commit()
        return story
    return make


@pytest.fixture
def three_stories(make_story: Callable[..., Story], themes: list[StoryTheme]) -> list[Story]:
    """Return a story for analysis only, one that may be quoted and one that may be published."""
    return [make_story(ANALYSIS_ONLY, consent="analysis", themes=[themes[0].id, themes[1].id]),
            make_story(QUOTABLE, consent="quote", themes=[themes[0].id]),
            make_story(PUBLISHABLE, consent="publish", teller="young_person", themes=[themes[2].id])]
