"""Invitations, participant groups and one's organisation through the API: the web's operations and rules
(tests over roles: chair, coordinator, member, anonymous), and bad input answers problem+json, never a 500."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts import groups as group_ops
from samen.accounts import operations as account_ops
from samen.partners import operations as partner_ops
from samen.partners.models import OrganisationContact, UnlistedOrganisation
from samen.people import operations as ops
from samen.people.models import Invitation
from samen.thinktanks import operations as tt_ops


pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _bearer(db: Any, user: Any) -> dict[str, str]:
    token = account_ops.create_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _invitations(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation))


def _problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    if code is not None:
        assert body["code"] == code
    return body


@pytest.fixture
def other_tank(create_thinktank: Any) -> Any:
    return create_thinktank(slug="nazorg", name="Nazorg")


@pytest.fixture
def police(db: Any, admin: Any) -> Any:
    organisation = partner_ops.create_organisation(by=admin, name="Politie Nijkerk", kind="police")
    db.session.commit()
    return organisation


# --- invitations -------------------------------------------------------------------------------------------------

def test_a_chair_invites_a_list_into_their_think_tank(client, db, chair, thinktank, police, mailbox):
    response = client.post("/api/v1/invitations?lang=en", headers=_bearer(db, chair), json={
        "thinktank": thinktank.slug,
        "people": [{"email": "Eva@Example.org", "name": "Eva", "organisation": "politie-nijkerk"},
                   {"email": "jan@example.org"},
                   {"email": "geen-adres"},
                   {"email": "kees@example.org", "organisation": "Onbekend"},
                   {"email": 42}]})
    assert response.status_code == 201
    body = response.get_json()
    assert [(i["email"], i["organisation"], i["thinktank"], i["state"]) for i in body["sent"]] == [
        ("eva@example.org", "politie-nijkerk", "preventie", "pending"),
        ("jan@example.org", None, "preventie", "pending")]
    assert [item["index"] for item in body["refused"]] == [2, 3, 4]
    assert "not in the register" in body["refused"][1]["error"]
    assert sorted(mail["To"] for mail in mailbox) == ["eva@example.org", "jan@example.org"]
    listed = client.get("/api/v1/invitations?state=pending", headers=_bearer(db, chair)).get_json()["items"]
    assert {item["email"] for item in listed} == {"eva@example.org", "jan@example.org"}


def test_when_nobody_is_good_the_answer_is_422_and_nothing_is_made(client, db, chair, thinktank, mailbox):
    body = _problem(client.post("/api/v1/invitations", headers=_bearer(db, chair), json={
        "thinktank": thinktank.slug, "people": [{"email": "nee"}, {"email": "ja@example.org", "name": "x" * 81}]}),
        422, "validation_failed")
    assert set(body["errors"]) == {"people[0]", "people[1]"}
    assert _invitations(db) == 0 and mailbox == []


def test_the_coordinator_invites_into_any_think_tank_and_into_the_plan(client, db, coordinator, thinktank,
                                                                        other_tank, mailbox):
    headers = _bearer(db, coordinator)
    for tank in (thinktank.slug, other_tank.slug, None):
        body = {"people": [{"email": f"iemand-{tank}@example.org"}], **({"thinktank": tank} if tank else {})}
        assert client.post("/api/v1/invitations", headers=headers, json=body).status_code == 201
    assert len(client.get("/api/v1/invitations", headers=headers).get_json()["items"]) == 3


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_may_not_invite(client, db, who, member, user, thinktank):
    headers = _bearer(db, member if who == "member" else user)
    _problem(client.post("/api/v1/invitations", headers=headers,
                         json={"thinktank": thinktank.slug, "people": [{"email": "a@example.org"}]}),
             403, "not_inviter")
    _problem(client.get("/api/v1/invitations", headers=headers), 403, "not_inviter")
    assert _invitations(db) == 0


def test_anonymous_callers_are_asked_for_a_token(client, db):
    _problem(client.get("/api/v1/invitations"), 401, "token_required")
    _problem(client.post("/api/v1/invitations", json={"people": [{"email": "a@example.org"}]}), 401)
    _problem(client.delete("/api/v1/invitations/1"), 401)
    _problem(client.get("/api/v1/account/groups"), 401)
    _problem(client.put("/api/v1/account/groups", json={"groups": []}), 401)
    _problem(client.get("/api/v1/account/organisations"), 401)


def test_a_chair_invites_only_into_the_think_tanks_they_chair(client, db, chair, other_tank):
    headers = _bearer(db, chair)
    _problem(client.post("/api/v1/invitations", headers=headers,
                         json={"thinktank": other_tank.slug, "people": [{"email": "a@example.org"}]}),
             403, "not_chair")
    _problem(client.post("/api/v1/invitations", headers=headers, json={"people": [{"email": "a@example.org"}]}),
             403, "thinktank_required")
    _problem(client.post("/api/v1/invitations", headers=headers,
                         json={"thinktank": "bestaat-niet", "people": [{"email": "a@example.org"}]}),
             422, "unknown_thinktank")
    assert _invitations(db) == 0


@pytest.mark.parametrize("body", [
    None, "[]", {"people": []}, {"people": "a@example.org"}, {"people": [["a@example.org"]]},
    {"people": [{"email": "a@example.org"}] * 201}, {"people": [{"email": "a@example.org"}], "thinktank": 5},
    {"people": [{"email": "a@example.org"}], "thinktank": "x" * 81},
])
def test_a_bad_body_is_a_problem_not_a_500(client, db, chair, body):
    headers = _bearer(db, chair)
    if body is None:
        response = client.post("/api/v1/invitations", headers=headers, data="people=1")
        _problem(response, 415)
    elif isinstance(body, str):
        _problem(client.post("/api/v1/invitations", headers=headers, data=body,
                             content_type="application/json"), 400)
    else:
        _problem(client.post("/api/v1/invitations", headers=headers, json=body), 422)
    assert _invitations(db) == 0


def test_revoking_stops_the_link_for_who_may_see_it(client, db, chair, member, coordinator, thinktank, mailbox):
    client.post("/api/v1/invitations", headers=_bearer(db, chair),
                json={"thinktank": thinktank.slug, "people": [{"email": "eva@example.org"}]})
    invitation = db.session.scalar(select(Invitation))
    _problem(client.delete(f"/api/v1/invitations/{invitation.id}", headers=_bearer(db, member)), 404)
    _problem(client.delete("/api/v1/invitations/99999999999", headers=_bearer(db, chair)), 404)
    assert client.delete(f"/api/v1/invitations/{invitation.id}", headers=_bearer(db, coordinator)).status_code == 204
    db.session.expire_all()
    assert invitation.state(invitation.expires_at) == "expired"
    _problem(client.delete(f"/api/v1/invitations/{invitation.id}", headers=_bearer(db, chair)), 409, "not_pending")
    states = {item["id"]: item["state"] for item in
              client.get("/api/v1/invitations", headers=_bearer(db, chair)).get_json()["items"]}
    assert states[invitation.id] == "expired"
    _problem(client.get("/api/v1/invitations?state=open", headers=_bearer(db, chair)), 400, "invalid_state")


def test_revoke_is_one_operation_with_the_rule(db, chair, member, thinktank):
    rows = [ops.Row(line=1, text="x", email="x@example.org")]
    outcome = ops.invite_people(chair, rows, thinktank=thinktank, lifetime=ops.timedelta(days=1))
    db.session.commit()
    invitation = outcome.sent[0].invitation
    with pytest.raises(ops.Forbidden):
        ops.revoke_invitation(invitation, by=member)
    ops.revoke_invitation(invitation, by=chair)
    assert ops.find_invitation(outcome.sent[0].secret) is None


# --- participant groups ------------------------------------------------------------------------------------------

def test_the_groups_are_public_and_mine_are_mine(client, db, user, admin):
    retired = group_ops.add_group(name_nl="Oud", name_en="Old")
    group_ops.retire_group(retired)
    db.session.commit()
    listed = client.get("/api/v1/groups?lang=en").get_json()["items"]
    assert [g["key"] for g in listed][:2] == ["young_person", "parent"] and "old" not in [g["key"] for g in listed]
    assert listed[0]["name"] == "Young person" and listed[0]["name_nl"] == "Jongere"
    headers = _bearer(db, user)
    assert client.get("/api/v1/account/groups", headers=headers).get_json() == {"items": []}
    parent = next(g for g in listed if g["key"] == "parent")
    answer = client.put("/api/v1/account/groups", headers=headers, json={"groups": ["resident", parent["id"]]})
    assert answer.status_code == 200
    assert [g["key"] for g in answer.get_json()["items"]] == ["parent", "resident"]
    assert sorted(group_ops.group_ids_of(user)) == sorted([parent["id"], next(
        g["id"] for g in listed if g["key"] == "resident")])
    assert client.put("/api/v1/account/groups", headers=headers, json={"groups": []}).get_json() == {"items": []}


@pytest.mark.parametrize("groups", [None, "parent", ["bestaat-niet"], [0], [99999999], [True], [{"id": 1}],
                                    ["x" * 41], list(range(1, 102))])
def test_bad_groups_are_a_problem_and_change_nothing(client, db, user, groups):
    group_ops.set_groups(user, [group_ops.offered_groups()[0].id])
    db.session.commit()
    body = {} if groups is None else {"groups": groups}
    response = client.put("/api/v1/account/groups", headers=_bearer(db, user), json=body)
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert group_ops.group_ids_of(user) == [group_ops.offered_groups()[0].id]


# --- my organisation ---------------------------------------------------------------------------------------------

def test_asking_to_be_a_contact_through_the_api(client, db, user, police, admin):
    headers = _bearer(db, user)
    assert client.get("/api/v1/account/organisations", headers=headers).get_json() == {
        "organisations": [], "unlisted": None}
    answer = client.post("/api/v1/account/organisations", headers=headers, json={"organisation": police.slug})
    assert answer.status_code == 201
    assert answer.get_json()["organisations"] == [{"slug": "politie-nijkerk", "name": "Politie Nijkerk",
                                                   "status": "pending"}]
    answer = client.post("/api/v1/account/organisations", headers=headers, json={"unlisted": "Jeugdbescherming"})
    assert answer.get_json()["unlisted"] == "Jeugdbescherming"
    assert db.session.scalar(select(func.count()).select_from(UnlistedOrganisation)) == 1


@pytest.mark.parametrize("body, status", [
    ({}, 422), ({"organisation": "politie-nijkerk", "unlisted": "Halt"}, 422), ({"organisation": "onbekend"}, 422),
    ({"organisation": "x" * 121}, 422), ({"unlisted": "x" * 121}, 422), ({"unlisted": "a\x00b"}, 422),
    ({"organisation": 5}, 422), ({"organisation": "archived"}, 422),
])
def test_bad_organisation_requests_are_a_problem(client, db, user, police, admin, body, status):
    archived = partner_ops.create_organisation(by=admin, name="Oud", slug="archived")
    partner_ops.archive_organisation(archived, by=admin)
    db.session.commit()
    response = client.post("/api/v1/account/organisations", headers=_bearer(db, user), json=body)
    _problem(response, status)
    assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 0
    assert db.session.scalar(select(func.count()).select_from(UnlistedOrganisation)) == 0


def test_a_member_who_is_made_chair_may_invite_at_once(client, db, member, thinktank):
    tt_ops.appoint_chair(thinktank, member)
    db.session.commit()
    assert client.get("/api/v1/invitations", headers=_bearer(db, member)).status_code == 200


def test_the_web_page_revokes_too(client, db, auth, chair, member, thinktank, mailbox):
    outcome = ops.invite_people(chair, [ops.Row(line=1, text="x", email="x@example.org")], thinktank=thinktank,
                                lifetime=ops.timedelta(days=1))
    db.session.commit()
    invitation = outcome.sent[0].invitation
    auth.login(member)
    assert auth.post(f"/invitations/{invitation.id}/revoke").status_code == 404
    auth.login(chair)
    assert f"/invitations/{invitation.id}/revoke" in client.get("/invitations").get_data(as_text=True)
    assert auth.post(f"/invitations/{invitation.id}/revoke").status_code == 302
    assert ops.find_invitation(outcome.sent[0].secret) is None
    assert f"/invitations/{invitation.id}/revoke" not in client.get("/invitations").get_data(as_text=True)
