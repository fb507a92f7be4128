"""Every read of a story through the web is in the audit log — the list, a story, its edit form, the analysis
team's export, the directions and their forms (which show the stories' beginnings) — and so is every change,
with who did it and never what the story says."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.stories import operations as ops
from tests.stories.conftest import QUOTABLE

pytestmark = pytest.mark.database


def _entries(db: Any) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


@pytest.fixture
def direction(db, analyst, three_stories):
    """Return a direction of the three stories."""
    made = ops.save_direction(None, by=analyst, title="Richting", body="Tekst.",
                              stories=[story.id for story in three_stories])
    db.session.commit()
    return made


@pytest.mark.parametrize("who, path, action", [
    ("author", "/verhalen", "story.listed"),
    ("author", "/verhalen/{story}", "story.read"),
    ("author", "/verhalen/{story}/bewerken", "story.read"),
    ("analyst", "/verhalen", "story.listed"),
    ("analyst", "/verhalen/{story}", "story.read"),
    ("analyst", "/verhalen/export.csv", "story.exported"),
    ("analyst", "/verhalen/richtingen", "direction.listed"),
    ("analyst", "/verhalen/richtingen/{direction}", "direction.read"),
    ("analyst", "/verhalen/richtingen/nieuw", "story.listed"),
    ("analyst", "/verhalen/richtingen/{direction}/bewerken", "direction.read"),
])
def test_every_page_that_shows_stories_is_a_read_in_the_audit_log(client, auth, db, field_worker, analyst,
                                                                   three_stories, direction, who, path, action):
    person = {"author": field_worker, "analyst": analyst}[who]
    auth.login(person)
    before = len(_entries(db))
    response = client.get(path.format(story=three_stories[0].id, direction=direction.id))
    assert response.status_code == 200
    added = _entries(db)[before:]
    assert action in [entry.action for entry in added], [entry.action for entry in added]
    assert all(entry.actor_id == person.id for entry in added if entry.action == action)
    assert all(QUOTABLE[:20] not in str(entry.data) for entry in added)


def test_changes_through_the_web_are_in_the_audit_log(client, auth, db, field_worker, analyst, three_stories,
                                                      themes):
    story = three_stories[1]
    auth.login(analyst)
    before = len(_entries(db))
    auth.post(f"/verhalen/{story.id}/analyse", {"themes": [str(themes[0].id)]})
    auth.post(f"/verhalen/{story.id}/verwijderen", {})
    actions = [(entry.action, entry.subject_id, entry.actor_id) for entry in _entries(db)[before:]]
    assert ("story.analysed", story.id, analyst.id) in actions
    assert ("story.deleted", story.id, analyst.id) in actions
