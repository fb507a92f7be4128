"""What a closed think tank holds does not exist for outsiders: every route with an id — website and API, found in
the app's URL map so a new route is covered too — answers an anonymous visitor, a signed-in outsider and someone
whose membership still waits exactly as it answers for an id that does not exist, and never shows the thing.

The objects: an idea with a comment and a report, an internal action item with a milestone, a members-only meeting
with an agenda item — all of a think tank whose members need approval.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.meetings import live
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Meeting
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.meetings.conftest import soon

# The ids a route may name, and what each names in the closed think tank.
ID_ARGUMENTS = ("idea_id", "comment_id", "report_id", "action_id", "milestone_id", "meeting_id", "item_id")
UNKNOWN = 999_999_999
ROLES = ("anonymous", "outsider", "pending")
SECRET = "Geheim-7Q"  # in every title, so that a page or answer showing the thing is found


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    """Return (method, rule, endpoint) of every route whose arguments are ids of the objects above."""
    found = []
    for rule in app.url_map.iter_rules():
        arguments = set(rule.arguments) - {"decision", "what"}
        if not arguments or not arguments <= set(ID_ARGUMENTS):
            continue
        if rule.endpoint.startswith("public.") or rule.endpoint.startswith("api.indicators"):
            continue  # public data by design (public actions only), and indicators are all public
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, rule.endpoint))
    return sorted(found)


def _path(rule: str, ids: dict[str, int]) -> str:
    path = rule
    for name, value in ids.items():
        for converter in ("int", "int(max=2147483647)"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    assert "<" not in path, path
    return path


@pytest.fixture
def closed_world(db: Any, create_user: Callable[..., User], create_thinktank: Callable[..., ThinkTank]
                 ) -> dict[str, Any]:
    """Build the closed think tank's objects and the three kinds of outsider; return ids and people."""
    thinktank = create_thinktank(join_policy="approval", name="Besloten denktank")
    chair, member, outsider, pending = (create_user() for _ in range(4))
    tt_ops.appoint_chair(thinktank, chair)
    tt_ops.decide_membership(tt_ops.join_thinktank(thinktank, member), approve=True)
    tt_ops.join_thinktank(thinktank, pending)
    idea = idea_ops.create_idea(thinktank, author=member, title=f"{SECRET} idee", body="Tekst")
    comment = idea_ops.add_comment(idea, author=member, body=f"{SECRET} reactie")
    report = idea_ops.report(by=member, reason="Ongepast", comment=comment)
    action = action_ops.create_action(thinktank, by=chair, title=f"{SECRET} actie", public=False)
    milestone = action_ops.add_milestone(action, by=chair, title="Stap")
    meeting = meeting_ops.create_meeting(thinktank, by=chair, title=f"{SECRET} avond", starts_at=soon(7),
                                         ends_at=soon(7) + timedelta(hours=2), location="Zaal", public=False,
                                         agenda=[{"title": "Punt", "ideas": [idea.id]}])
    db.session.commit()
    ids = {"idea_id": idea.id, "comment_id": comment.id, "report_id": report.id, "action_id": action.id,
           "milestone_id": milestone.id, "meeting_id": meeting.id, "item_id": meeting.agenda[0].id}
    return {"ids": ids, "people": {"outsider": outsider, "pending": pending}}


def _answer(client: FlaskClient, auth: Any, method: str, path: str, token: str | None) -> Any:
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {} if method in ("POST", "PUT", "PATCH") else None
        return client.open(path, method=method, headers=headers, json=body)
    if method == "GET":
        return client.get(path)
    return auth.post(path, {}) if method == "POST" else client.open(path, method=method)


def _shape(response: Any) -> tuple[int, str]:
    """What an outsider learns from an answer: its status, and where a redirect goes (ids left out)."""
    location = response.headers.get("Location", "")
    return response.status_code, location.split("?")[0].rstrip("0123456789/")


def test_the_routes_are_found(app):
    endpoints = {endpoint for _method, _rule, endpoint in _routes(app)}
    assert {"ideas.show", "ideas.edit_comment", "moderation.resolve", "actions.show", "actions.toggle_milestone",
            "meetings.show", "meetings.edit_item", "meetings_board.live_view", "api.ideas.show_idea",
            "api.actions.show_action", "api.meetings.show_meeting", "api.actions.convert_idea"} <= endpoints


@pytest.mark.parametrize("role", ROLES)
def test_a_closed_think_tanks_objects_do_not_exist_for_outsiders(app, client, auth, db, closed_world, role):
    token = None
    if role != "anonymous":
        person = closed_world["people"][role]
        auth.login(person)
        token = account_ops.create_api_token(person)
        db.session.commit()
    unknown = dict.fromkeys(ID_ARGUMENTS, UNKNOWN)
    differing, shown = [], []
    for method, rule, endpoint in _routes(app):
        real = _answer(client, auth, method, _path(rule, closed_world["ids"]), token)
        body = real.get_data(as_text=True)
        if SECRET in body:
            shown.append(f"{method} {rule}")
        missing = _answer(client, auth, method, _path(rule, unknown), token)
        if _shape(real) != _shape(missing):
            differing.append(f"{method} {rule} ({endpoint}): {_shape(real)} against {_shape(missing)}")
        if role != "anonymous" and method == "GET":
            assert real.status_code == 404, f"{method} {rule}: {real.status_code}"
    assert not differing, "\n".join(differing)
    assert not shown, shown


def test_members_still_see_them(client, auth, db, closed_world, create_user):
    """The rule hides the objects from outsiders only: a member opens each page."""
    ids = closed_world["ids"]
    thinktank = db.session.get(Idea, ids["idea_id"]).thinktank
    member = create_user()
    tt_ops.decide_membership(tt_ops.join_thinktank(thinktank, member), approve=True)
    db.session.commit()
    auth.login(member)
    for path in (f"/ideas/{ids['idea_id']}", f"/actions/{ids['action_id']}", f"/meetings/{ids['meeting_id']}"):
        response = client.get(path)
        assert response.status_code == 200 and SECRET in response.get_data(as_text=True), path


# --- pages that link ideas: they show only those the visitor may see ----------------------------------------

@pytest.fixture
def public_things(db: Any, create_user: Callable[..., User], create_thinktank: Callable[..., ThinkTank]
                  ) -> dict[str, Any]:
    """A closed think tank's public action item and public meeting, both linking its adopted idea; the meeting
    closed with published minutes that name the idea."""
    thinktank = create_thinktank(join_policy="approval", name="Besloten denktank")
    chair, member = create_user(), create_user()
    tt_ops.appoint_chair(thinktank, chair)
    tt_ops.decide_membership(tt_ops.join_thinktank(thinktank, member), approve=True)
    idea = idea_ops.create_idea(thinktank, author=member, title=f"{SECRET} idee")
    idea_ops.decide(idea, by=chair, status="adopted", answer="Goed idee.")
    action = action_ops.create_action(thinktank, by=chair, title="Openbare actie", public=True, ideas=[idea])
    meeting = meeting_ops.create_meeting(thinktank, by=chair, title="Openbare avond", starts_at=soon(7),
                                         ends_at=soon(7) + timedelta(hours=2), location="Zaal", public=True,
                                         agenda=[{"title": "Punt", "ideas": [idea.id]}])
    past = meeting_ops.create_meeting(thinktank, by=chair, title="Vorige avond", starts_at=soon(1),
                                      ends_at=soon(1) + timedelta(hours=2), location="Zaal", public=True)
    live.open_meeting(past, chair)
    live.close_meeting(past, chair)
    live.publish_minutes(past, chair, f"Besproken: [{SECRET} idee](/ideas/{idea.id})")
    db.session.commit()
    return {"thinktank": thinktank, "member": member, "idea": idea, "action": action, "meeting": meeting,
            "past": past}


def test_pages_show_only_the_ideas_the_visitor_may_see(client, auth, db, public_things, create_user):
    action, meeting, past = public_things["action"], public_things["meeting"], public_things["past"]
    outsider = create_user()
    db.session.commit()
    paths = (f"/actions/{action.id}", f"/meetings/{meeting.id}", f"/meetings/{past.id}", f"/meetings/{meeting.id}/live",
             f"/api/v1/actions/{action.id}", f"/api/v1/meetings/{meeting.id}", f"/api/v1/meetings/{past.id}",
             "/progress", "/api/v1/meetings?when=past")
    for who in (None, outsider):
        if who is not None:
            auth.login(who)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200 and SECRET not in response.get_data(as_text=True), (who, path)
        assert client.get(f"/api/v1/actions/{action.id}").get_json()["idea_ids"] == []
        assert "1 idea that you cannot see" in client.get(f"/actions/{action.id}").get_data(as_text=True)
        assert "The minutes are for the members of this think tank." in client.get(
            f"/meetings/{past.id}").get_data(as_text=True)
        auth.logout()
    auth.login(public_things["member"])
    # The live page of a meeting not yet begun names no idea at all (its regions show the current item's), so
    # only the first three show the member what the others may not see.
    for path in paths[:3]:
        assert SECRET in client.get(path).get_data(as_text=True), path
    assert client.get(f"/api/v1/actions/{action.id}").status_code == 200


def test_who_reads_minutes_agrees_with_its_sql_form(db, public_things, create_user, create_thinktank):
    open_tank = create_thinktank(join_policy="open")
    chair = create_user(is_admin=True)
    open_past = meeting_ops.create_meeting(open_tank, by=chair, title="Open", starts_at=soon(2),
                                           ends_at=soon(2) + timedelta(hours=1), location="Zaal")
    plenary = meeting_ops.create_meeting(None, by=chair, title="Plenair", starts_at=soon(2),
                                         ends_at=soon(2) + timedelta(hours=1), location="Zaal")
    db.session.commit()
    meetings = [public_things["meeting"], public_things["past"], open_past, plenary]
    for person in (None, create_user(), public_things["member"], chair):
        viewer = meeting_ops.viewer_of(person)
        expected = {m.id for m in meetings if meeting_ops.may_read_minutes(m, viewer)}
        found = set(db.session.scalars(select(Meeting.id).where(
            Meeting.id.in_([m.id for m in meetings]), meeting_ops.readable_minutes_clause(viewer))))
        assert found == expected
        assert (public_things["past"].id in found) == (person in (public_things["member"], chair))


def test_the_live_board_keeps_a_closed_think_tanks_ideas_from_observers(db, public_things):
    meeting, idea = public_things["meeting"], public_things["idea"]
    board = live.board_snapshot(meeting, None)
    assert board["agenda"][0]["ideas"] == []
    member_board = live.board_snapshot(meeting, public_things["member"])
    assert member_board["agenda"][0]["ideas"] == [{"id": idea.id, "title": idea.title}]
