"""Organisations in the API: the register, actions carried by organisations, the ?organisation= filter."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from samen.accounts import operations as account_ops
from samen.partners import operations as ops
from tests.api.helpers import assert_documented, assert_problem

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _bearer(user, db) -> dict[str, str]:
    token = account_ops.create_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def test_the_actions_of_an_organisation_by_id_or_slug(client, police, halt, partner_action, document):
    led = partner_action(title="Geleid", lead=police)
    helped = partner_action(title="Geholpen", lead=halt, co=[police])
    other = partner_action(title="Anders", lead=halt)
    everything = client.get("/api/v1/actions").get_json()["items"]
    assert {item["id"] for item in everything} == {led.id, helped.id, other.id}
    for key in (police.slug, str(police.id)):
        response = client.get(f"/api/v1/actions?organisation={key}")
        assert {item["id"] for item in response.get_json()["items"]} == {led.id, helped.id}, key
    assert_documented(document, "/actions", "get", response)
    [item] = [i for i in response.get_json()["items"] if i["id"] == helped.id]
    assert [(o["slug"], o["role"]) for o in item["organisations"]] == [("halt", "lead"), ("politie-nijkerk", "co")]
    assert_problem(client.get("/api/v1/actions?organisation=bestaat-niet"), 400, code="unknown_organisation")
    assert_problem(client.get("/api/v1/actions?organisation=%00"), 400, code="unknown_organisation")


def test_the_register_in_the_api(client, police, halt, partner_action, create_organisation, admin, document, db):
    partner_action(title="Te laat", lead=police, co=[halt], start_date=None,
                   due_date=date.today() - timedelta(days=1))
    old = create_organisation("Politie")
    ops.merge_organisations(old, police, by=admin)
    db.session.commit()
    listing = client.get("/api/v1/organisations")
    assert_documented(document, "/organisations", "get", listing)
    assert [item["slug"] for item in listing.get_json()["items"]] == ["halt", "politie-nijkerk"]
    one = client.get("/api/v1/organisations/politie-nijkerk")
    assert_documented(document, "/organisations/{slug}", "get", one)
    body = one.get_json()
    assert body["actions"] == {"lead": 1, "co": 0, "done": 0, "overdue": 1} and body["kind"] == "police"
    moved = client.get("/api/v1/organisations/politie")
    assert moved.status_code == 301 and moved.location.endswith("/api/v1/organisations/politie-nijkerk")
    assert_problem(client.get("/api/v1/organisations/bestaat-niet"), 404)


def test_a_chair_names_the_organisations_in_the_api(client, chair, thinktank, police, halt, contact_of, db):
    agent = contact_of(police)
    headers = _bearer(chair, db)
    response = client.post("/api/v1/actions", headers=headers, json={
        "thinktank": thinktank.slug, "title": "Samen surveilleren", "lead_organisation_id": police.id,
        "lead_contact_id": agent.id, "co_organisations": [{"organisation_id": halt.id}],
        "owner_public_as": "organisation"})
    assert response.status_code == 201, response.get_json()
    organisations = response.get_json()["organisations"]
    assert [(o["name"], o["role"]) for o in organisations] == [("Politie Nijkerk", "lead"), ("Halt", "co")]
    assert organisations[0]["contact"]["id"] == agent.id
    action_id = response.get_json()["id"]
    bad = client.patch(f"/api/v1/actions/{action_id}", headers=headers,
                       json={"co_organisations": [{"organisation_id": halt.id, "contact_id": agent.id}]})
    assert assert_problem(bad, 422, code="contact")["errors"].keys() == {"co_organisations"}
    wrong = client.patch(f"/api/v1/actions/{action_id}", headers=headers, json={"co_organisations": [5]})
    assert assert_problem(wrong, 422)["errors"].keys() == {"co_organisations"}
    moved = client.patch(f"/api/v1/actions/{action_id}", headers=headers,
                         json={"lead_organisation_id": halt.id, "lead_contact_id": None,
                               "co_organisations": [{"organisation_id": police.id, "contact_id": agent.id}]})
    assert [(o["slug"], o["role"]) for o in moved.get_json()["organisations"]] == [("halt", "lead"),
                                                                                    ("politie-nijkerk", "co")]


def test_a_co_executing_contact_posts_in_the_api_and_an_outsider_cannot(client, police, halt, contact_of,
                                                                       partner_action, create_user, db):
    action = partner_action(lead=police, co=[halt])
    contact = contact_of(halt)
    answer = client.post(f"/api/v1/actions/{action.id}/updates", headers=_bearer(contact, db),
                         json={"body": "Eerste training gegeven.", "progress": 10})
    assert answer.status_code == 201
    outsider = create_user(display_name="Buitenstaander")
    refused = client.post(f"/api/v1/actions/{action.id}/updates", headers=_bearer(outsider, db),
                          json={"body": "Ik ook?"})
    assert_problem(refused, 403, code="not_owner")
