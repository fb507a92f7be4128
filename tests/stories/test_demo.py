"""The demo's stories: a field worker and an analyst, ten stories (encrypted) with the three consents, two
knowledge sources, and a direction that became an idea in a think tank."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from samen.accounts import operations as account_ops
from samen.demo.loader import load_demo
from samen.demo.stories_data import DIRECTION_TITLE, STORIES
from samen.ideas.models import Idea
from samen.stories import operations as ops
from samen.stories.models import Direction, KnowledgeSource, Story
from tests.demo.conftest import demo, demo_loaded  # noqa: F401  (the demo plan, loaded once for the module)

pytestmark = [pytest.mark.database, pytest.mark.shared_database]


def test_the_demo_has_stories_a_direction_and_its_idea(db, demo):  # noqa: F811
    worker = account_ops.find_user_by_email("veldwerk-samira@samen.local")
    analyst = account_ops.find_user_by_email("analyse-pieter@samen.local")
    assert ops.is_field_worker(worker) and ops.is_analyst(analyst)
    assert not ops.may_use_stories(account_ops.find_user_by_email("admin@samen.local"))
    stories = list(db.session.scalars(select(Story)))
    assert len(stories) == len(STORIES) and {story.consent for story in stories} == {"analysis", "quote", "publish"}
    raw = db.session.execute(text("SELECT text FROM stories")).scalars().all()
    assert all(value.startswith("gAAAAA") for value in raw)
    assert {source.publisher.split(" ")[0] for source in db.session.scalars(select(KnowledgeSource))} == {
        "Trimbos-instituut", "CCV"}
    direction = db.session.scalar(select(Direction).where(Direction.title == DIRECTION_TITLE))
    idea = db.session.get(Idea, direction.idea_id)
    assert idea.thinktank.slug == "preventie" and direction.basis["stories"] == len(direction.stories)
    for story in direction.stories:
        assert (story.text[:40] in idea.body) == ops.may_quote(story)


def test_a_second_load_adds_no_stories(db, demo):  # noqa: F811
    before = db.session.scalar(select(func.count()).select_from(Story))
    load_demo()
    assert db.session.scalar(select(func.count()).select_from(Story)) == before
