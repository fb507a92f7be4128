"""The team's API: list, read, update, reply with a token of a team member; problem+json for everyone else."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.audit.models import AuditEntry
from samen.helpdesk.models import HelpRequest
from tests.helpdesk.conftest import SECRET_TEXT


@pytest.fixture
def headers_of(db):
    def make(owner):
        token = account_ops.create_api_token(owner)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return make


def test_a_team_member_lists_reads_updates_and_replies(client, db, help_request, team_member, headers_of):
    request, _code = help_request
    headers = headers_of(team_member)
    listing = client.get("/api/v1/help-requests", headers=headers)
    assert listing.status_code == 200
    assert [item["id"] for item in listing.get_json()["items"]] == [request.id]
    assert SECRET_TEXT not in listing.get_data(as_text=True)  # the list has no content

    read = client.get(f"/api/v1/help-requests/{request.id}", headers=headers)
    assert read.status_code == 200 and read.get_json()["text"] == SECRET_TEXT

    changed = client.patch(f"/api/v1/help-requests/{request.id}", headers=headers,
                           json={"status": "referred", "referral_entry_id": 3, "assignee_id": team_member.id})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert (changed.get_json()["status"], changed.get_json()["referral_entry_id"]) == ("referred", 3)

    replied = client.post(f"/api/v1/help-requests/{request.id}/messages", headers=headers,
                          json={"body": "We verwijzen u naar Tactus"})
    note = client.post(f"/api/v1/help-requests/{request.id}/messages", headers=headers,
                       json={"body": "Notitie", "internal": True})
    assert (replied.status_code, replied.get_json()["kind"]) == (201, "reply")
    assert (note.status_code, note.get_json()["kind"]) == (201, "note")
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == request.id,
                                                                 AuditEntry.subject_type == "help_request")).all()
    assert actions.count("help_request.read") == 4 and "help_request.status" in actions


def test_bad_updates_are_422_and_change_nothing(client, db, help_request, team_member, user, headers_of):
    request, _code = help_request
    headers = headers_of(team_member)
    for body in ({"status": "closed"}, {"status": "weg"}, {"assignee_id": user.id}, {"assignee_id": 2**40},
                 {"status": "referred"}):
        answer = client.patch(f"/api/v1/help-requests/{request.id}", headers=headers, json=body)
        assert answer.status_code == 422, body
        assert answer.content_type == "application/problem+json"
    assert client.post(f"/api/v1/help-requests/{request.id}/messages", headers=headers,
                       json={"body": ""}).status_code == 422
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).status == "new"


@pytest.mark.parametrize("who", ["admin", "user", "chair"])
def test_everyone_else_gets_problem_json_403_or_404(client, db, help_request, who, request, headers_of):
    help_req, _code = help_request
    headers = headers_of(request.getfixturevalue(who))
    listing = client.get("/api/v1/help-requests", headers=headers)
    assert listing.status_code == 403 and listing.content_type == "application/problem+json"
    for method, path, body in (("get", f"/api/v1/help-requests/{help_req.id}", None),
                               ("patch", f"/api/v1/help-requests/{help_req.id}", {"status": "closed"}),
                               ("post", f"/api/v1/help-requests/{help_req.id}/messages", {"body": "x"})):
        answer = getattr(client, method)(path, headers=headers, json=body)
        assert answer.status_code == 404 and answer.content_type == "application/problem+json"
        assert SECRET_TEXT not in answer.get_data(as_text=True)
    assert client.get("/api/v1/help-requests").status_code == 401
