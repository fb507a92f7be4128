"""Consent is enforced by the code: a story "for analysis only" is never quoted or exported anywhere.

One world — three stories (analysis only, may be quoted, may be published), a direction of all three put to a
think tank as an idea, the idea adopted and turned into a public action — and then every role takes every way
in: the pages, the stories' own pages, the API, search, the feeds, the exports (open data, the analysis team's
CSV, the personal data download), the report, the yearly evaluation (a draft and a published one, their pages,
JSON, CSV and API). The words of the analysis-only story may be read only by the
analysis team and the field worker who recorded it, on the stories' own pages; nowhere else, by nobody.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.actions import operations as action_ops
from samen.evaluation import operations as evaluation_ops
from samen.privacy import operations as privacy_ops
from samen.stories import operations as ops
from samen.thinktanks.models import Membership
from tests.stories.conftest import grant

ROLES = ("anonymous", "member", "chair", "admin", "coordinator", "other_worker", "author", "analyst")
WAYS = ("web", "stories", "api", "search", "feeds", "exports")
SECRET = "Zwijgzame-kikvors"  # in the analysis-only story alone
QUOTED = "Citeerbare-ijsvogel"  # in the story that may be quoted

pytestmark = pytest.mark.database


@pytest.fixture
def world(app, db, thinktank, member, chair, admin, create_user, field_worker, other_worker, analyst,
          three_stories) -> dict[str, Any]:
    """Return the people, the think tank, the stories, the direction, its idea and the action it became."""
    coordinator = grant(db, create_user(display_name="Coördinator"), "coordinator")
    db.session.add(Membership(thinktank_id=thinktank.id, user_id=analyst.id))
    db.session.commit()
    direction = ops.save_direction(None, by=analyst, title="Praat over normalisering", body="Een *richting*.",
                                   stories=[story.id for story in three_stories])
    idea = ops.put_to_thinktank(direction, thinktank, by=analyst)
    idea.status = "adopted"
    db.session.commit()
    action = action_ops.create_action(thinktank, by=chair, title="Gesprekken op scholen", ideas=[idea.id],
                                      decision="Aangenomen door de denktank.")
    action_ops.post_update(action, by=chair, body="Op drie scholen gesproken met ouders.", progress=40)
    db.session.commit()
    # The evaluations assemble the stories' themes: a published one and a draft, both around today.
    first, last = date.today() - timedelta(days=60), date.today() + timedelta(days=30)
    published = evaluation_ops.open_evaluation(by=coordinator, period="2026-h1", title="Eerste helft",
                                               start_date=first, end_date=last)
    evaluation_ops.publish(published, by=coordinator, threshold=5)
    evaluation_ops.open_evaluation(by=coordinator, period="2026", title="Heel 2026", start_date=first,
                                   end_date=last)
    db.session.commit()
    people = {"member": member, "chair": chair, "admin": admin, "coordinator": coordinator,
              "other_worker": other_worker, "author": field_worker, "analyst": analyst}
    return {"people": people, "thinktank": thinktank, "stories": three_stories, "direction": direction,
            "idea": idea, "action": action}


def _texts(role: str, way: str, client, world: dict[str, Any], app) -> list[str]:
    slug, idea_id, action_id = world["thinktank"].slug, world["idea"].id, world["action"].id
    person = world["people"].get(role)
    if way == "web":
        paths = ["/", "/thinktanks/", f"/thinktanks/{slug}", f"/thinktanks/{slug}/ideas", f"/ideas/{idea_id}",
                 "/progress", f"/progress/thinktanks/{slug}", f"/progress/actions/{action_id}", "/progress/report",
                 "/admin/", "/admin/audit", "/notifications", "/account", f"/actions/{action_id}",
                 "/evaluatie", "/evaluatie/2026-h1", "/evaluatie/2026", "/evaluatie/2026/peiling"]
        return [client.get(path).get_data(as_text=True) for path in paths]
    if way == "stories":
        paths = ["/verhalen", *(f"/verhalen/{story.id}" for story in world["stories"]), "/verhalen/richtingen",
                 f"/verhalen/richtingen/{world['direction'].id}", "/verhalen/bronnen", "/verhalen/themas",
                 "/verhalen/veldwerkers"]
        return [client.get(path).get_data(as_text=True) for path in paths]
    if way == "api":
        headers = {}
        if person is not None:
            headers = {"Authorization": f"Bearer {account_ops.create_api_token(person)}"}
        paths = ["/api/v1/me", "/api/v1/thinktanks", f"/api/v1/thinktanks/{slug}/ideas", f"/api/v1/ideas/{idea_id}",
                 "/api/v1/actions", f"/api/v1/actions/{action_id}", "/api/v1/indicators", "/api/v1/progress",
                 "/api/v1/evaluations", "/api/v1/evaluations/2026-h1", "/api/v1/evaluations/2026",
                 "/api/v1/evaluations/2026/pulse"]
        return [app.test_client().get(path, headers=headers).get_data(as_text=True) for path in paths]
    if way == "search":
        queries = ("normalisering", "pinpas", "dealer", "kikvors")
        return [client.get(f"{path}?q={query}").get_data(as_text=True)
                for path in (f"/thinktanks/{slug}/ideas", "/search", "/api/v1/search") for query in queries]
    if way == "feeds":
        return [client.get("/progress/feed.atom").get_data(as_text=True)]
    if way == "exports":
        texts = [client.get(path).get_data(as_text=True) for path in
                 ("/progress/actions.json", "/progress/actions.csv", "/progress/indicators.json",
                  "/progress/indicators.csv", "/verhalen/export.csv", "/evaluatie/2026-h1.json",
                  "/evaluatie/2026-h1.csv")]
        if person is not None:
            texts.append(privacy_ops.to_json(privacy_ops.export_user_data(person)))
        return texts
    raise AssertionError(way)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("role", ROLES)
def test_a_story_for_analysis_only_is_read_by_the_team_and_never_quoted(app, auth, world, role, way):
    if role != "anonymous":
        auth.login(world["people"][role])
    texts = _texts(role, way, auth.client, world, app)
    assert texts
    seen = any(SECRET in text for text in texts)
    assert seen == (way == "stories" and role in ("author", "analyst")), (role, way)
    if way == "search":  # the searches do find the idea the stories became, with the quotes that are allowed
        assert sum(world["idea"].title in text for text in texts) >= 3 and any(QUOTED in text for text in texts)


def test_the_idea_quotes_the_stories_that_allow_it(client, world):
    page = client.get(f"/ideas/{world['idea'].id}").get_data(as_text=True)
    assert QUOTED in page and "Publiceerbare-reiger" in page and SECRET not in page
    assert world["direction"].basis == {"stories": 3, "themes": ["Normalisering", "Druk op school",
                                                                 "Schulden bij dealers"]}


def test_the_analysis_teams_export_leaves_analysis_only_stories_out(auth, world):
    auth.login(world["people"]["analyst"])
    csv = auth.client.get("/verhalen/export.csv").get_data(as_text=True)
    assert QUOTED in csv and SECRET not in csv
    assert len(csv.strip().splitlines()) == 3  # the header and two stories


def test_one_function_decides(three_stories):
    assert [ops.may_quote(story) for story in three_stories] == [False, True, True]
    assert ops.quotable(three_stories) == three_stories[1:]


def test_the_trail_reads_story_idea_decision_action_result(client, world):
    """The public page of the action shows where it came from: the idea, based on N stories with their themes
    (never a story's words), the decision, and what was done."""
    page = client.get(f"/progress/actions/{world['action'].id}?lang=en").get_data(as_text=True)
    trail = ["Based on 3 stories from the field", "themes: Normalisering, Druk op school, Schulden bij dealers",
             world["idea"].title, "Aangenomen door de denktank.", "Op drie scholen gesproken met ouders."]
    assert all(step in page for step in trail), [step for step in trail if step not in page]
    assert SECRET not in page and QUOTED not in page
    idea_page = client.get(f"/ideas/{world['idea'].id}?lang=en").get_data(as_text=True)
    assert "Based on 3 stories from the field" in idea_page


def test_a_teller_who_withdraws_the_consent_to_quote_is_quoted_no_more(app, auth, client, db, world, field_worker):
    """The teller changes their mind: the field worker sets the story to "analysis only", and its quote leaves
    the idea the direction became, and the idea's earlier versions too — by the code, not by the idea's author;
    the other quotes stay."""
    from samen.audit.models import AuditEntry
    from samen.ideas import operations as idea_ops
    from samen.ideas.models import Idea, IdeaVersion

    idea, quoted = world["idea"], world["stories"][1]
    analyst = world["people"]["analyst"]
    idea_ops.edit_idea(idea, by=analyst, body=idea.body + "\n\nNog een zin van de auteur.")
    db.session.commit()
    auth.login(field_worker)
    response = auth.post(f"/verhalen/{quoted.id}/bewerken", {
        "text": quoted.text, "teller": quoted.teller, "neighbourhood": quoted.neighbourhood,
        "told_on": quoted.told_on.isoformat(), "consent": "analysis"})
    assert response.status_code == 302
    db.session.expire_all()
    for text in [client.get(f"/ideas/{idea.id}").get_data(as_text=True),
                 app.test_client().get(f"/api/v1/ideas/{idea.id}").get_data(as_text=True)]:
        assert QUOTED not in text and "Publiceerbare-reiger" in text
    assert QUOTED not in db.session.get(Idea, idea.id).body
    assert "Nog een zin van de auteur." in db.session.get(Idea, idea.id).body
    versions = db.session.query(IdeaVersion).filter_by(idea_id=idea.id).all()
    assert versions and all(QUOTED not in version.body for version in versions)
    entry = db.session.query(AuditEntry).filter_by(action="story.quote_withdrawn", subject_id=quoted.id).one()
    assert entry.data == {"idea": idea.id, "removed": True}
