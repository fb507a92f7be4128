"""Creating and changing action items through the API: from ideas or directly, changes, progress updates, and
bad input that is refused with the field named, never applied and never a server error."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from samen.actions import operations as ops
from samen.actions.models import ActionItem, ProgressUpdate
from samen.audit.operations import entries_for
from samen.ideas import operations as idea_ops
from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_problem

TODAY = date.today()


@pytest.fixture
def headers_of(create_token):
    """Return a function that gives a user's Authorization header."""
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"}
    return headers


@pytest.fixture
def as_chair(headers_of, chair):
    """Return the chair's Authorization header."""
    return headers_of(chair)


@pytest.fixture
def adopted(idea, chair, db):
    """Return the member's idea, adopted by the chair."""
    idea_ops.decide(idea, by=chair, status="adopted", answer="We gaan dit *doen*.")
    db.session.commit()
    return idea


@pytest.fixture
def action(db, thinktank, chair, member):
    """Return a public action of the think tank, owned by the member."""
    item = ops.create_action(thinktank, by=chair, title="Voorlichting op scholen", owner=member.id,
                             start_date=TODAY - timedelta(days=10), due_date=TODAY + timedelta(days=50))
    db.session.commit()
    return item


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


# --- creating -----------------------------------------------------------------------------------------------

def test_chair_creates_an_action(client, db, thinktank, member, adopted, as_chair, chair):
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    db.session.commit()
    response = client.post("/api/v1/actions", headers=as_chair, json={
        "thinktank": "preventie", "title": "  Voorlichting  ", "description": "Op *alle* scholen.",
        "owner_id": member.id, "start_date": "2026-01-01", "due_date": "2026-06-30", "status": "in_progress",
        "progress": 10, "public": False, "idea_ids": [adopted.id, adopted.id],
        "indicator_ids": [indicator.id],
        "decision": "Besloten.", "id": 12345, "created_at": "2000-01-01T00:00:00Z", "unknown": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    item = response.get_json()
    assert response.headers["Location"] == f"/api/v1/actions/{item['id']}"
    assert item["id"] != 12345 and not item["created_at"].startswith("2000")
    assert (item["title"], item["owner"]["id"], item["organisation"]) == ("Voorlichting", member.id, "")
    assert (item["start_date"], item["due_date"], item["status"], item["progress"], item["public"]) == (
        "2026-01-01", "2026-06-30", "in_progress", 10, False)
    assert (item["idea_ids"], item["indicator_ids"]) == ([adopted.id], [indicator.id])
    assert item["updates"] == [] and item["milestones"] == []
    assert [entry.action for entry in entries_for("action", item["id"])] == ["action.create"]


def test_defaults_of_a_new_action(client, db, thinktank, as_chair):
    item = client.post("/api/v1/actions", headers=as_chair,
                       json={"thinktank": "preventie", "title": "Iets"}).get_json()
    assert (item["status"], item["progress"], item["public"], item["owner"], item["due_date"]) == (
        "planned", 0, True, None, None)


def test_owner_organisation_is_the_default(client, db, thinktank, make_member, as_chair):
    owner = make_member(thinktank, kind="professional", organisation="Tactus")
    response = client.post("/api/v1/actions", headers=as_chair,
                           json={"thinktank": "preventie", "title": "Iets", "owner_id": owner.id})
    assert response.get_json()["organisation"] == "Tactus"


def test_archived_think_tank_gets_no_actions(client, db, thinktank, as_chair):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    response = client.post("/api/v1/actions", headers=as_chair, json={"thinktank": "preventie", "title": "X"})
    assert_problem(response, 409, code="archived")


# --- from an idea -------------------------------------------------------------------------------------------

def test_chair_turns_an_adopted_idea_into_an_action(client, db, adopted, member, as_chair):
    response = client.post(f"/api/v1/ideas/{adopted.id}/actions", headers=as_chair,
                           json={"owner_id": member.id, "due_date": "2027-03-01"})
    assert response.status_code == 201, response.get_data(as_text=True)
    item = response.get_json()
    assert (item["title"], item["decision"], item["idea_ids"]) == (adopted.title, "We gaan dit *doen*.",
                                                                   [adopted.id])
    assert "<em>doen</em>" in item["decision_html"] and item["owner"]["id"] == member.id
    assert response.headers["Location"] == f"/api/v1/actions/{item['id']}"


def test_converting_with_a_title_and_more_ideas(client, db, thinktank, chair, member, create_idea, adopted,
                                                as_chair):
    other = create_idea(thinktank, member, title="Ouderavonden")
    idea_ops.decide(other, by=chair, status="adopted", answer="Ja.")
    db.session.commit()
    response = client.post(f"/api/v1/ideas/{adopted.id}/actions", headers=as_chair,
                           json={"title": "Samen voorlichten", "idea_ids": [other.id, adopted.id]})
    item = response.get_json()
    assert (item["title"], sorted(item["idea_ids"])) == ("Samen voorlichten", sorted([adopted.id, other.id]))


def test_only_adopted_ideas_convert(client, db, idea, as_chair):
    assert_problem(client.post(f"/api/v1/ideas/{idea.id}/actions", headers=as_chair, json={}), 409,
                   code="not_adopted")
    assert count(db, ActionItem) == 0


def test_more_ideas_must_be_adopted_ideas_of_the_think_tank(client, db, idea, create_idea, thinktank, member,
                                                            chair, as_chair):
    idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
    other = create_idea(thinktank, member, title="Nog niet besloten")
    body = assert_problem(client.post(f"/api/v1/ideas/{idea.id}/actions", headers=as_chair,
                                      json={"idea_ids": [other.id]}), 422, code="not_adopted")
    assert list(body["errors"]) == ["idea_ids"]
    body = assert_problem(client.post(f"/api/v1/ideas/{idea.id}/actions", headers=as_chair,
                                      json={"idea_ids": [999999]}), 422, code="idea")
    assert list(body["errors"]) == ["idea_ids"]


@pytest.mark.parametrize("path", ["/api/v1/ideas/999999/actions",
                                  "/api/v1/ideas/99999999999999999999/actions"])
def test_unknown_idea_is_404(client, db, as_chair, path):
    assert_problem(client.post(path, headers=as_chair, json={}), 404)


# --- changing -----------------------------------------------------------------------------------------------

def test_chair_changes_fields_and_each_change_is_audited(client, db, action, chair, as_chair, make_member,
                                                         thinktank):
    new_owner = make_member(thinktank)
    response = client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json={
        "title": "Voorlichting op alle scholen", "owner_id": new_owner.id, "due_date": "2030-12-31",
        "status": "delayed", "public": False})
    assert response.status_code == 200, response.get_data(as_text=True)
    item = response.get_json()
    assert (item["title"], item["owner"]["id"], item["due_date"], item["status"], item["public"]) == (
        "Voorlichting op alle scholen", new_owner.id, "2030-12-31", "delayed", False)
    assert "updates" in item and "milestones" in item
    [change] = [e.data["changes"] for e in entries_for("action", action.id) if e.action == "action.update"]
    assert set(change) == {"title", "owner_id", "due_date", "status", "public"}
    assert change["due_date"] == [(TODAY + timedelta(days=50)).isoformat(), "2030-12-31"]


def test_null_or_empty_clears_what_may_be_empty(client, db, action, as_chair):
    response = client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json={
        "owner_id": None, "start_date": None, "due_date": "", "description": None, "idea_ids": None})
    item = response.get_json()
    assert (item["owner"], item["start_date"], item["due_date"]) == (None, None, None)
    assert (item["description"], item["idea_ids"]) == ("", [])


def test_an_empty_change_changes_nothing(client, db, action, as_chair):
    response = client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json={})
    assert response.status_code == 200 and response.get_json()["title"] == action.title
    assert [e.action for e in entries_for("action", action.id)] == ["action.create"]


@pytest.mark.parametrize("field, value", [
    ("id", 5), ("thinktank", "nazorg"), ("created_at", "2020-01-01T00:00:00Z"), ("updated_at", None),
    ("updates", []), ("milestones", []), ("owner", {"id": 1}), ("overdue", False), ("url", "x"),
    ("password_hash", "x"), ("thinktank_id", 2),
])
def test_read_only_and_unknown_fields_are_refused_and_nothing_is_applied(client, db, action, as_chair,
                                                                         field, value):
    response = client.patch(f"/api/v1/actions/{action.id}", headers=as_chair,
                            json={"title": "Veranderd", field: value})
    body = assert_problem(response, 422, code="validation_failed")
    assert list(body["errors"]) == [field]
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).title == "Voorlichting op scholen"
    assert [e.action for e in entries_for("action", action.id)] == ["action.create"]


@pytest.mark.parametrize("field", ["title", "status", "progress", "public"])
def test_fields_that_cannot_be_emptied(client, db, action, as_chair, field):
    response = client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json={field: None})
    body = assert_problem(response, 422)
    assert list(body["errors"]) == [field]


def test_a_stop_needs_a_reason(client, db, action, as_chair):
    url = f"/api/v1/actions/{action.id}"
    response = client.patch(url, headers=as_chair, json={"status": "stopped"})
    assert list(assert_problem(response, 422, code="stop_reason")["errors"]) == ["stop_reason"]
    item = client.patch(url, headers=as_chair,
                        json={"status": "stopped", "stop_reason": "Geen budget."}).get_json()
    assert (item["status"], item["stop_reason"]) == ("stopped", "Geen budget.")
    assert_problem(client.patch(url, headers=as_chair, json={"stop_reason": None}), 422, code="stop_reason")


# --- progress updates ---------------------------------------------------------------------------------------

def test_owner_posts_an_update(client, db, action, member, headers_of):
    response = client.post(f"/api/v1/actions/{action.id}/updates", headers=headers_of(member), json={
        "body": "Eerste **school** bezocht.", "progress": 25, "status": "in_progress"})
    assert response.status_code == 201, response.get_data(as_text=True)
    update = response.get_json()
    assert (update["progress"], update["status"], update["author"]["id"]) == (25, "in_progress", member.id)
    assert "<strong>school</strong>" in update["body_html"]
    item = client.get(f"/api/v1/actions/{action.id}").get_json()
    assert (item["progress"], item["status"], item["updates"][0]["id"]) == (25, "in_progress", update["id"])


def test_an_update_can_stop_the_action_with_a_reason(client, db, action, as_chair):
    url = f"/api/v1/actions/{action.id}/updates"
    response = client.post(url, headers=as_chair, json={"body": "Gestopt.", "status": "stopped"})
    assert list(assert_problem(response, 422, code="stop_reason")["errors"]) == ["stop_reason"]
    assert count(db, ProgressUpdate) == 0
    update = client.post(url, headers=as_chair, json={"body": "Gestopt.", "status": "stopped",
                                                      "stop_reason": "De subsidie is op."}).get_json()
    assert update["status"] == "stopped"
    assert client.get(f"/api/v1/actions/{action.id}").get_json()["stop_reason"] == "De subsidie is op."


# --- bad input ----------------------------------------------------------------------------------------------

BAD_FIELDS = [
    ({"start_date": "2026-03-01", "due_date": "2026-02-01"}, "due_date"),
    ({"progress": 101}, "progress"),
    ({"progress": -1}, "progress"),
    ({"progress": 50.5}, "progress"),
    ({"progress": "veel"}, "progress"),
    ({"progress": True}, "progress"),
    ({"status": "stopped"}, "stop_reason"),
    ({"status": "klaar"}, "status"),
    ({"status": 3}, "status"),
    ({"due_date": "31-12-2026"}, "due_date"),
    ({"due_date": "2026-02-30"}, "due_date"),
    ({"start_date": 20260101}, "start_date"),
    ({"title": "x" * 201}, "title"),
    ({"title": "nul\x00teken"}, "title"),
    ({"description": 5}, "description"),
    ({"public": "ja"}, "public"),
    ({"owner_id": "jan"}, "owner_id"),
    ({"owner_id": 0}, "owner_id"),
    ({"owner_id": 2**64}, "owner_id"),
    ({"idea_ids": "1"}, "idea_ids"),
    ({"idea_ids": [True]}, "idea_ids"),
    ({"idea_ids": [2**64]}, "idea_ids"),
    ({"idea_ids": list(range(1, 102))}, "idea_ids"),
    ({"indicator_ids": [999999]}, "indicator_ids"),
    ({"stop_reason": "x" * 1001, "status": "stopped"}, "stop_reason"),
]


@pytest.mark.parametrize("fields, field", BAD_FIELDS)
def test_bad_input_to_create_is_422(client, db, thinktank, as_chair, fields, field):
    response = client.post("/api/v1/actions", headers=as_chair,
                           json={"thinktank": "preventie", "title": "Actie", **fields})
    body = assert_problem(response, 422)
    assert list(body["errors"]) == [field]
    assert count(db, ActionItem) == 0


@pytest.mark.parametrize("fields, field", BAD_FIELDS)
def test_bad_input_to_change_is_422(client, db, action, as_chair, fields, field):
    body = assert_problem(client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json=fields), 422)
    assert list(body["errors"]) == [field]
    db.session.expire_all()
    assert [e.action for e in entries_for("action", action.id)] == ["action.create"]


def test_owner_must_be_a_confirmed_account(client, db, thinktank, action, create_user, as_chair):
    user = create_user(email_confirmed=False)
    for response in (
            client.post("/api/v1/actions", headers=as_chair,
                        json={"thinktank": "preventie", "title": "Actie", "owner_id": user.id}),
            client.patch(f"/api/v1/actions/{action.id}", headers=as_chair, json={"owner_id": user.id})):
        body = assert_problem(response, 422, code="owner")
        assert list(body["errors"]) == ["owner_id"]


def test_a_chair_cannot_make_a_plan_wide_action(client, db, thinktank, as_chair):
    """Without a think tank the action is plan-wide: for admins and the programme coordinator only."""
    assert_problem(client.post("/api/v1/actions", headers=as_chair, json={"title": "Actie"}), 403, code="not_chair")


@pytest.mark.parametrize("fields, field", [
    ({"thinktank": "bestaat-niet", "title": "Actie"}, "thinktank"),
    ({"thinktank": "preventie"}, "title"),
    ({"thinktank": "preventie", "title": "   "}, "title"),
])
def test_a_new_action_needs_a_think_tank_and_a_title(client, db, thinktank, as_chair, fields, field):
    body = assert_problem(client.post("/api/v1/actions", headers=as_chair, json=fields), 422)
    assert list(body["errors"]) == [field]


@pytest.mark.parametrize("fields, field", [
    ({}, "body"),
    ({"body": ""}, "body"),
    ({"body": "x" * 20_001}, "body"),
    ({"body": "Ok", "progress": 101}, "progress"),
    ({"body": "Ok", "progress": "veel"}, "progress"),
    ({"body": "Ok", "status": "klaar"}, "status"),
])
def test_bad_updates_are_422(client, db, action, as_chair, fields, field):
    response = client.post(f"/api/v1/actions/{action.id}/updates", headers=as_chair, json=fields)
    body = assert_problem(response, 422)
    assert list(body["errors"]) == [field]
    assert count(db, ProgressUpdate) == 0


@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/actions"), ("patch", "/api/v1/actions/{id}"), ("post", "/api/v1/actions/{id}/updates"),
])
def test_bodies_that_are_not_json_objects(client, db, action, as_chair, method, path):
    url = path.format(id=action.id)
    send = getattr(client, method)
    assert_problem(send(url, headers=as_chair, data="title=x"), 415, code="unsupported_media_type")
    assert_problem(send(url, headers=as_chair, data="{", content_type="application/json"), 400,
                   code="invalid_json")
    assert_problem(send(url, headers=as_chair, json=[1]), 400, code="invalid_json")
