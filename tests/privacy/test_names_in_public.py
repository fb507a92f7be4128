"""No person's name in public (docs/privacy.md, "Names in public"; the rule is samen/core/names.py).

A world whose people have names found nowhere else takes part in every way — ideas and comments, decisions, action
items with owners and updates, a live meeting with an idea round and a decision, a closed meeting with published
minutes drafted by the board, a plenary. An anonymous visitor then crawls every public output: the pages and the
links they lead to, the feed and the open-data files, the API without a token, the calendar files, the live board's
participant and projector views. None may show a person's display name or e-mail address; organisations may
appear. A signed-in member sees the names (so the crawl would find them if they leaked).
"""
from __future__ import annotations

from collections import deque
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from samen.actions import operations as action_ops
from samen.core.database import utcnow
from samen.ideas import operations as idea_ops
from samen.meetings import live
from samen.meetings import operations as meeting_ops
from samen.thinktanks import operations as tt_ops
from tests.input.crawl import local, read_page

pytestmark = pytest.mark.database  # the public queries and the crawl's pages

NAMES = {"chair": "Quirinus Zwaluwstaart", "author": "Berendina Kwartelkoning", "owner": "Odilia Ganzenbord",
         "commenter": "Tjitske Roerdomp", "participant": "Wubbo Kievitsbloem"}
ORGANISATION = "GGD Testregio"  # the owner's organisation: may appear
MAX_PAGES = 400
SKIP = ("/static/", "/login", "/logout", "/register", "/password", "/account", "/admin", "/notifications")


@pytest.fixture
def world(db: Any, create_user: Any, create_thinktank: Any) -> dict[str, Any]:
    """Build the world described above; return its people and the ids the crawl starts from."""
    people = {role: create_user(display_name=name, email=f"{role}.zeldzaam@example.org",
                                **({"kind": "professional", "organisation": ORGANISATION} if role == "owner"
                                   else {}))
              for role, name in NAMES.items()}
    tank = create_thinktank(slug="open", name="Open denktank", join_policy="open")
    tt_ops.appoint_chair(tank, people["chair"])
    for role in ("author", "owner", "commenter", "participant"):
        tt_ops.join_thinktank(tank, people[role])
    chair = people["chair"]
    idea = idea_ops.create_idea(tank, author=people["author"], title="Een trapveld", body="Voor iedereen.")
    idea_ops.add_comment(idea, author=people["commenter"], body="Goed plan.")
    idea_ops.decide(idea, by=chair, status="adopted", answer="We doen het.")
    action = action_ops.create_action(tank, by=chair, title="Trapveld aanleggen", owner=people["owner"],
                                      ideas=[idea], public=True)
    action_ops.post_update(action, by=people["owner"], body="Begonnen.", progress=10)
    other = action_ops.create_action(tank, by=chair, title="Buurtavond", owner=people["participant"], public=True)
    action_ops.post_update(other, by=people["participant"], body="Zaal geregeld.", progress=20)

    def meeting(thinktank: Any, title: str, days: float) -> Any:
        starts = utcnow() + timedelta(days=days)
        return meeting_ops.create_meeting(thinktank, by=chair, title=title, starts_at=starts,
                                          ends_at=starts + timedelta(hours=2), location="Zaal", public=True,
                                          agenda=[{"title": "Ideeën", "ideas": [idea.id]}])

    running = meeting(tank, "Lopende avond", 0.5)
    live.open_meeting(running, chair)
    live.open_round(running, chair)
    live.submit_idea(running, people["participant"], "Een bankje", "")
    closed = meeting(tank, "Vorige avond", 0.25)
    live.open_meeting(closed, chair)
    live.open_round(closed, chair)
    live.submit_idea(closed, people["author"], "Een schommel", "")
    live.record_decision(closed, chair, "We plaatsen een schommel.",
                         action={"title": "Schommel plaatsen", "owner_id": people["participant"].id})
    live.close_meeting(closed, chair)
    live.publish_minutes(closed, chair)  # the board's own draft
    plenary = meeting(None, "Plenaire avond", 3)
    db.session.commit()
    return {"people": people, "idea": idea.id, "actions": [action.id, other.id],
            "meetings": [running.id, closed.id, plenary.id]}


def _seeds(world: dict[str, Any]) -> list[str]:
    idea, meetings = world["idea"], world["meetings"]
    seeds = ["/", "/thinktanks/", "/thinktanks/open", "/thinktanks/open/ideas", "/thinktanks/open/actions",
             "/meetings/", "/meetings/calendar.ics", "/progress", "/progress/report", "/progress/thinktanks/open",
             "/progress/feed.atom", "/progress/feed.atom?lang=en", "/progress/actions.json", "/progress/actions.csv",
             "/progress/indicators.json", "/progress/indicators.csv", f"/ideas/{idea}",
             "/api/v1/thinktanks", "/api/v1/thinktanks/open", "/api/v1/thinktanks/open/ideas",
             f"/api/v1/ideas/{idea}", f"/api/v1/ideas/{idea}/comments", "/api/v1/actions", "/api/v1/progress",
             "/api/v1/meetings", "/api/v1/meetings?when=past"]
    seeds += [f"/actions/{n}" for n in world["actions"]] + [f"/progress/actions/{n}" for n in world["actions"]]
    seeds += [f"/api/v1/actions/{n}" for n in world["actions"]]
    for number in meetings:
        seeds += [f"/meetings/{number}", f"/meetings/{number}.ics", f"/meetings/{number}/live",
                  f"/meetings/{number}/projector", f"/api/v1/meetings/{number}"]
    return seeds


def _crawl(client: FlaskClient, seeds: list[str]) -> dict[str, str]:
    """Fetch the seeds and every local page they link to (bounded); return each address's body."""
    seen: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.get_data(as_text=True)
        seen[path] = body
        if response.status_code == 200 and response.mimetype == "text/html":
            for link in read_page(path, body).links:
                target = local(link)
                if target and target.split("#")[0] not in seen:
                    queue.append(target.split("#")[0])
    return seen


def test_no_name_appears_in_any_public_output(client, world):
    pages = _crawl(client, _seeds(world))
    assert len(pages) > 40  # the crawl reached the site, not only its seeds
    secrets = [*NAMES.values(), *(person.email for person in world["people"].values())]
    leaks = sorted({f"{path}: {secret}" for path, body in pages.items() for secret in secrets if secret in body})
    assert not leaks, "\n".join(leaks)
    # The owner's organisation stands in for her; the others appear as a role.
    assert ORGANISATION in pages[f"/actions/{world['actions'][0]}"]
    assert "a participant" in pages[f"/ideas/{world['idea']}"] or "een deelnemer" in pages[f"/ideas/{world['idea']}"]


def test_signed_in_people_see_the_names(client, auth, world):
    auth.login(world["people"]["participant"])
    idea = client.get(f"/ideas/{world['idea']}").get_data(as_text=True)
    assert NAMES["author"] in idea and NAMES["commenter"] in idea and NAMES["chair"] in idea
    assert NAMES["owner"] in client.get(f"/actions/{world['actions'][0]}").get_data(as_text=True)
    assert NAMES["chair"] in client.get("/thinktanks/open").get_data(as_text=True)
