"""The actions' part of the API answers as the OpenAPI document says: each status and body fits its schema."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops
from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_documented, schema_errors


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def check(client, document):
    """Return a function that makes a request and checks its answer against the document."""
    def request(method: str, path: str, template: str, expected: int, **kwargs: Any) -> Any:
        response = getattr(client, method)("/api/v1" + path, **kwargs)
        assert response.status_code == expected, response.get_data(as_text=True)
        assert_documented(document, template, method, response)
        return response.get_json(silent=True)
    return request


def test_actions_fit_the_document(db, check, thinktank, chair, member, user, idea, admin, create_token):
    idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    internal = ops.create_action(thinktank, by=chair, title="Intern", public=False)
    db.session.commit()
    as_chair = {"Authorization": f"Bearer {create_token(chair)}"}
    as_member = {"Authorization": f"Bearer {create_token(member)}"}
    as_outsider = {"Authorization": f"Bearer {create_token(user)}"}
    today = date.today()

    action = check("post", "/actions", "/actions", 201, headers=as_chair, json={
        "thinktank": "preventie", "title": "Voorlichting", "owner_id": member.id,
        "indicator_ids": [indicator.id], "start_date": (today - timedelta(days=9)).isoformat(),
        "due_date": (today - timedelta(days=1)).isoformat()})
    one, updates = "/actions/{action_id}", "/actions/{action_id}/updates"
    check("post", "/actions", "/actions", 401, json={})
    new = {"thinktank": "preventie", "title": "X"}
    check("post", "/actions", "/actions", 403, headers=as_member, json=new)
    check("post", "/actions", "/actions", 422, headers=as_chair, json={"thinktank": "preventie", "title": "X",
                                                                       "progress": 300})
    check("post", "/actions", "/actions", 400, headers=as_chair, data="{", content_type="application/json")
    check("post", "/actions", "/actions", 415, headers=as_chair, data="x")
    check("post", f"/ideas/{idea.id}/actions", "/ideas/{idea_id}/actions", 201, headers=as_chair, json={})
    check("post", "/ideas/999999/actions", "/ideas/{idea_id}/actions", 404, headers=as_chair, json={})
    check("post", f"/ideas/{idea.id}/actions", "/ideas/{idea_id}/actions", 403, headers=as_member, json={})
    check("patch", f"/actions/{action['id']}", one, 200, headers=as_chair, json={"status": "in_progress"})
    check("patch", f"/actions/{action['id']}", one, 200, headers=as_chair, json={"due_date": None})
    check("patch", f"/actions/{action['id']}", one, 422, headers=as_chair, json={"id": 3})
    check("patch", f"/actions/{action['id']}", one, 403, headers=as_member, json={"title": "X"})
    check("patch", f"/actions/{internal.id}", one, 404, headers=as_outsider, json={"title": "X"})
    check("patch", f"/actions/{action['id']}", one, 401, json={"title": "X"})
    check("post", f"/actions/{action['id']}/updates", updates, 201, headers=as_member,
          json={"body": "Begonnen.", "progress": 20})
    check("post", f"/actions/{action['id']}/updates", updates, 422, headers=as_member, json={"body": ""})
    check("post", f"/actions/{action['id']}/updates", updates, 403, headers=as_outsider, json={"body": "X"})
    check("post", "/actions/999999/updates", updates, 404, headers=as_chair, json={"body": "X"})
    ops.add_milestone(ops.get_action(action["id"], viewer=chair), by=chair, title="Eerste stap",
                      due_date="2030-01-01")
    db.session.commit()

    assert check("get", "/actions", "/actions", 200)["items"]
    listed = check("get", "/actions?include=updates", "/actions", 200, headers=as_chair)["items"]
    assert next(item["updates"] for item in listed if item["id"] == action["id"])
    check("get", "/actions?status=klaar", "/actions", 400)
    check("get", "/actions", "/actions", 401, headers={"Authorization": "Bearer nee"})
    shown = check("get", f"/actions/{action['id']}", one, 200)
    assert shown["overdue"] is False and shown["milestones"] and shown["updates"]
    check("get", f"/actions/{internal.id}", one, 200, headers=as_member)
    check("get", f"/actions/{internal.id}", one, 404)


def test_indicators_and_progress_fit_the_document(db, check, thinktank, chair, admin, member, create_token):
    indicator = ops.create_indicator(by=admin, name="Inwoners geholpen", baseline_value=150,
                                     baseline_date="2018-12-31", target_value=200)
    ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    action = ops.create_action(thinktank, by=chair, title="Voorlichting", owner=member.id, status="done")
    ops.post_update(action, by=member, body="Klaar.")
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    as_admin = {"Authorization": f"Bearer {create_token(admin)}"}
    as_chair = {"Authorization": f"Bearer {create_token(chair)}"}
    measurements = "/indicators/{indicator_id}/measurements"

    check("post", f"/indicators/{indicator.id}/measurements", measurements, 201, headers=as_admin,
          json={"date": "2026-01-01", "value": 172.5})
    check("post", f"/indicators/{indicator.id}/measurements", measurements, 422, headers=as_admin,
          json={"date": "2026-01-01", "value": "veel"})
    check("post", f"/indicators/{indicator.id}/measurements", measurements, 403, headers=as_chair,
          json={"date": "2026-01-01", "value": 1})
    check("post", "/indicators/999999/measurements", measurements, 404, headers=as_admin, json={})
    check("post", f"/indicators/{indicator.id}/measurements", measurements, 401, json={})
    check("post", f"/indicators/{indicator.id}/measurements", measurements, 415, headers=as_admin, data="x")
    items = check("get", "/indicators", "/indicators", 200)["items"]
    assert items[0]["measurements"] and items[0]["baseline"] and items[0]["target"]
    assert items[1]["target"] is None
    check("get", "/indicators?thinktank=nee", "/indicators", 400)
    progress = check("get", "/progress", "/progress", 200)
    assert progress["latest_updates"] and progress["thinktanks"][0]["archived"]
    check("post", "/actions", "/actions", 409, headers=as_chair, json={"thinktank": "preventie",
                                                                       "title": "X"})


def test_the_document_describes_the_fields_of_an_action(document):
    action = {"$ref": "#/components/schemas/Action"}
    assert schema_errors(document, action, {"id": 1})
    changes = document["components"]["schemas"]["ActionChanges"]
    assert changes["additionalProperties"] is False and changes["required"] == []
    assert {"id", "thinktank", "created_at", "updates"}.isdisjoint(changes["properties"])
    # No think tank: a plan-wide action (docs/programme.md).
    assert document["components"]["schemas"]["NewAction"]["required"] == ["title"]
