"""A request made without an account reaches the intake team and nobody else: every role × every way in.

The request is sent through the web form, so the team's e-mail goes out too. Its text may appear only on the
team's pages and in the team's API answers, and only for a member of the team.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.mail import outbox
from samen.helpdesk.models import HelpTeamMember
from samen.privacy import operations as privacy_ops
from tests.conftest import read_csrf_token
from tests.helpdesk.conftest import SECRET_TEXT

ROLES = ("anonymous", "member", "chair", "admin", "team")
WAYS = ("web", "api", "search", "feeds", "exports", "notifications", "live_board")
NEEDLE = "drugsschuld"  # a word of the request, in any page, answer or mail


@pytest.fixture
def world(app, db, client, thinktank, member, chair, admin, create_user, create_meeting) -> dict[str, Any]:
    """Return the people of every role, a meeting, and a request sent through the form without an account."""
    team = create_user(display_name="Intaker", kind="professional", organisation="Gebiedsteam")
    db.session.add(HelpTeamMember(user_id=team.id))
    db.session.commit()
    meeting = create_meeting(thinktank)
    sender = app.test_client()
    token = read_csrf_token(sender, "/hulp/verzoek")
    page = sender.post("/hulp/verzoek", data={"csrf_token": token, "about": "my_child", "text": SECRET_TEXT,
                                              "contact_method": "none", "urgent": "y"})
    assert page.status_code == 200
    request_id = int(re.search(r"/hulp/team/(\d+)", outbox().messages[-1].get_content()).group(1))
    people = {"member": member, "chair": chair, "admin": admin, "team": team}
    return {"people": people, "thinktank": thinktank, "meeting": meeting, "request_id": request_id}


def _client_for(app, auth, role: str, world: dict[str, Any]):
    if role != "anonymous":
        auth.login(world["people"][role])
    return auth.client


def _texts(role: str, way: str, client, world: dict[str, Any], app) -> list[str]:
    """Return everything this role gets through this way in."""
    slug, rid, mid = world["thinktank"].slug, world["request_id"], world["meeting"].id
    person = world["people"].get(role)
    if way == "web":
        paths = ["/", "/thinktanks/", f"/thinktanks/{slug}", f"/thinktanks/{slug}/ideas", "/progress",
                 "/progress/report", "/admin/", "/admin/audit", "/admin/users", "/notifications", "/account",
                 "/hulp/team", f"/hulp/team/{rid}", "/hulp/team/leden", "/hulp/verzoek", "/hulp/verzoek/status"]
        return [client.get(path).get_data(as_text=True) for path in paths]
    if way == "api":
        headers = {}
        if person is not None:
            headers = {"Authorization": f"Bearer {account_ops.create_api_token(person)}"}
        paths = ["/api/v1/help-requests", f"/api/v1/help-requests/{rid}", "/api/v1/me", "/api/v1/thinktanks",
                 f"/api/v1/thinktanks/{slug}/ideas", "/api/v1/actions", "/api/v1/indicators", "/api/v1/progress",
                 "/api/v1/meetings", f"/api/v1/meetings/{mid}", "/api/v1/openapi.json"]
        return [app.test_client().get(path, headers=headers).get_data(as_text=True) for path in paths]
    if way == "search":
        return [client.get(f"/thinktanks/{slug}/ideas?q={query}").get_data(as_text=True)
                for query in ("zoon", "bedreigd", "schuld")]  # words of the text; the page repeats the query
    if way == "feeds":
        return [client.get(path).get_data(as_text=True) for path in
                ("/progress/feed.atom", "/meetings/calendar.ics", f"/meetings/{mid}.ics")]
    if way == "exports":
        texts = [client.get(path).get_data(as_text=True) for path in
                 ("/progress/actions.json", "/progress/actions.csv", "/progress/indicators.json",
                  "/progress/indicators.csv")]
        if person is not None:  # the personal data download
            texts.append(privacy_ops.to_json(privacy_ops.export_user_data(person)))
        return texts
    if way == "notifications":
        mails = [m["Subject"] + m.get_content() for m in outbox().messages
                 if person is not None and m["To"] == person.email]
        return [*mails, client.get("/notifications").get_data(as_text=True)]
    if way == "live_board":
        return [client.get(f"/meetings/{mid}/{view}").get_data(as_text=True) for view in ("live", "projector")]
    raise AssertionError(way)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("role", ROLES)
def test_the_request_text_reaches_the_team_and_nobody_else(app, auth, world, role, way):
    client = _client_for(app, auth, role, world)
    texts = _texts(role, way, client, world, app)
    assert texts, "nothing was fetched"
    seen = any(NEEDLE in text for text in texts)
    assert seen == (role == "team" and way in ("web", "api")), (role, way)
