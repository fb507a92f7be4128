"""One rule for progress from milestones (ops.milestone_progress): 100 % only once the action is done, so a public
page never says "planned" and "100 %" at once."""
from __future__ import annotations

import pytest

from samen.actions import operations as ops

pytestmark = pytest.mark.database


@pytest.mark.parametrize("status, done, total, expected", [
    ("planned", 1, 1, 99), ("in_progress", 1, 2, 50), ("in_progress", 2, 2, 99), ("delayed", 0, 3, 0),
    ("done", 1, 2, 100), ("done", 0, 0, 100), ("stopped", 3, 3, 99), ("planned", 0, 0, 0), ("planned", 1, 3, 33),
])
def test_the_rule(status, done, total, expected):
    assert ops.milestone_progress(status, done, total) == expected


@pytest.mark.parametrize("lang, planned", [("nl", "Gepland"), ("en", "Planned")])
def test_a_ticked_milestone_of_an_action_not_started_is_not_100_on_the_public_page(client, db, thinktank, chair,
                                                                                  create_action, lang, planned):
    action = create_action(thinktank, status="planned")
    milestone = ops.add_milestone(action, by=chair, title="Draaiboek klaar")
    ops.set_milestone_done(milestone, by=chair, done=True)
    db.session.commit()
    assert action.status == "planned" and action.progress == 99
    for path in (f"/progress/actions/{action.id}", "/progress", "/progress/report"):
        html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert "<strong>100%</strong>" not in html, path
    assert planned in client.get(f"/progress/actions/{action.id}?lang={lang}").get_data(as_text=True)
    ops.update_action(action, by=chair, status="done")
    db.session.commit()
    assert action.progress == 100
    assert "<strong>100%</strong>" in client.get(f"/progress/actions/{action.id}?lang={lang}").get_data(as_text=True)
