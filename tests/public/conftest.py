"""Fixtures for the public pages: a plan with public, internal and hidden things in it, and factories."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

from samen.actions import operations as ops
from samen.actions.models import ActionItem, Indicator
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.public import blueprint, queries
from samen.thinktanks import operations as tt_ops

TODAY = date.today()


@pytest.fixture(autouse=True)
def _like_production(like_production: None) -> None:
    """Every public test starts each request with nothing loaded (tests/conftest.py, like_production)."""


@pytest.fixture
def caching(app: Flask) -> Iterator[None]:
    """Turn on both caches, as in production, and start them empty."""
    saved = app.config["PUBLIC_STATE_TTL"], app.config["PUBLIC_PAGE_CACHE_SIZE"]
    app.config.update(PUBLIC_STATE_TTL=60, PUBLIC_PAGE_CACHE_SIZE=8)
    queries.forget_state()
    blueprint.page_cache(app).clear()
    blueprint.regions(app).clear()
    yield
    app.config["PUBLIC_STATE_TTL"], app.config["PUBLIC_PAGE_CACHE_SIZE"] = saved
    queries.forget_state()
    blueprint.page_cache(app).clear()
    blueprint.regions(app).clear()


@pytest.fixture
def adopt(chair: Any, db: Any) -> Callable[..., Idea]:
    """Return a function that has the chair adopt an idea with an answer."""
    def decide(idea: Idea, answer: str = "We gaan dit doen.") -> Idea:
        idea_ops.decide(idea, by=chair, status="adopted", answer=answer)
        db.session.commit()
        return idea
    return decide


@pytest.fixture
def make_action(chair: Any, db: Any) -> Callable[..., ActionItem]:
    """Return a factory for action items, created by the chair."""
    def make(thinktank: Any, **fields: Any) -> ActionItem:
        fields.setdefault("title", "Voorlichting op alle middelbare scholen")
        fields.setdefault("start_date", TODAY - timedelta(days=30))
        fields.setdefault("due_date", TODAY + timedelta(days=60))
        action = ops.create_action(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return action
    return make


@pytest.fixture
def make_indicator(admin: Any, db: Any) -> Callable[..., Indicator]:
    """Return a factory for indicators with measurements ({date: value}), defined by the admin."""
    def make(measurements: dict[date, float] | None = None, **fields: Any) -> Indicator:
        fields.setdefault("name", "Jongeren die wekelijks alcohol drinken")
        indicator = ops.create_indicator(by=admin, **fields)
        for day, value in (measurements or {}).items():
            ops.record_measurement(indicator, by=admin, date=day, value=value)
        db.session.commit()
        return indicator
    return make


@pytest.fixture
def plan(thinktank: Any, chair: Any, member: Any, admin: Any, create_thinktank: Callable[..., Any],
         db: Any) -> SimpleNamespace:
    """Return a plan with what the public may see and what it may not, each with a recognisable title."""
    def idea_in(tank: Any, author: Any, title: str, answer: str = "We gaan dit doen.") -> Idea:
        posted = idea_ops.create_idea(tank, author=author, title=title, body="")
        if title.startswith("Voorlichting"):
            idea_ops.support_idea(posted, chair)
        idea_ops.decide(posted, by=chair, status="adopted", answer=answer)
        return posted

    def action_in(tank: Any, title: str, **fields: Any) -> ActionItem:
        fields.setdefault("start_date", TODAY - timedelta(days=30))
        fields.setdefault("due_date", TODAY + timedelta(days=60))
        return ops.create_action(tank, by=chair, title=title, **fields)

    idea = idea_in(thinktank, member, "Voorlichting door ervaringsdeskundigen",
                   "Aangenomen: de GGD organiseert dit.")
    waiting = idea_in(thinktank, member, "Een vrijplaats voor jongeren")
    hidden = idea_in(thinktank, member, "Verborgen idee met scheldwoorden")
    withdrawn = idea_in(thinktank, member, "Teruggetrokken idee van een ouder")
    indicator = ops.create_indicator(
        by=admin, name="Jongeren die wekelijks alcohol drinken", unit="%", direction="down",
        baseline_value=24, baseline_date="2024-01-01", target_value=15, target_date="2027-12-31",
        source="GGD Jeugdmonitor")
    for day, value in ((date(2024, 6, 1), 22), (date(2025, 1, 1), 19.5)):
        ops.record_measurement(indicator, by=admin, date=day, value=value)
    action = action_in(thinktank, "Voorlichting op alle middelbare scholen", ideas=[idea, hidden],
                       organisation="GGD Gelderland-Midden", status="in_progress", indicators=[indicator],
                       decision="De GGD organiseert **voorlichting**.")
    ops.add_milestone(action, by=chair, title="Lesmateriaal klaar", due_date=TODAY - timedelta(days=5))
    ops.add_milestone(action, by=chair, title="Alle scholen bezocht", due_date=TODAY + timedelta(days=50))
    ops.set_milestone_done(action.milestones[0], by=chair, done=True)
    updates = [ops.post_update(action, by=chair, body="Het lesmateriaal is klaar."),
               ops.post_update(action, by=chair, body="Drie scholen bezocht, *zeven* te gaan.")]
    overdue = action_in(thinktank, "Ouderavond in elke wijk", organisation="Jongerenwerk",
                        start_date=TODAY - timedelta(days=40), due_date=TODAY - timedelta(days=10))
    internal = action_in(thinktank, "Vertrouwelijk overleg met de politie", public=False, ideas=[idea])
    secret_update = ops.post_update(internal, by=chair, body="Geheime notulen van het overleg.")
    from_withdrawn = action_in(thinktank, "Actie uit een teruggetrokken idee", ideas=[withdrawn])
    idea_ops.hide(hidden, by=chair, reason="Scheldwoorden")
    idea_ops.withdraw_idea(withdrawn, by=member)
    db.session.commit()

    closed = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    tt_ops.appoint_chair(closed, chair)
    closed_idea = idea_in(closed, chair, "Besloten idee uit de nazorg")
    closed_action = action_in(closed, "Nazorgtraject na behandeling", ideas=[closed_idea],
                              organisation="Tactus")
    db.session.commit()
    return SimpleNamespace(
        thinktank=thinktank, closed=closed, idea=idea, waiting=waiting, hidden=hidden, withdrawn=withdrawn,
        closed_idea=closed_idea, action=action, overdue=overdue, internal=internal,
        from_withdrawn=from_withdrawn, closed_action=closed_action, indicator=indicator, updates=updates,
        secret_update=secret_update)
