"""The ideas' part of the API answers as the OpenAPI document says: every status and body fits its schema."""
from __future__ import annotations

from typing import Any

import pytest

from samen.ideas import operations as ops
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


def test_reading_fits_the_document(db, check, thinktank, member, chair, create_idea, create_thinktank,
                                   create_token, user):
    tag = ops.create_tag(thinktank, "Ouders")
    posted = create_idea(thinktank, member, tags=[tag.slug], anonymous=True)
    ops.decide(posted, by=chair, status="adopted", answer="Ja.")
    comment = ops.add_comment(posted, author=member, body="Eerste")
    ops.add_comment(posted, author=chair, body="Antwoord", parent=comment)
    ops.delete_comment(ops.add_comment(posted, author=member, body="Weg"), by=member)
    ops.hide(ops.add_comment(posted, author=member, body="Verborgen"), by=chair, reason="Persoonlijk")
    hidden = create_idea(thinktank, member, title="Verborgen idee")
    ops.hide(hidden, by=chair, reason="Reclame")
    create_thinktank(slug="aanbod", join_policy="approval")
    db.session.commit()
    as_chair = {"Authorization": f"Bearer {create_token(chair)}"}
    outsider = {"Authorization": f"Bearer {create_token(user)}"}

    ideas, idea_path = "/thinktanks/{slug}/ideas", "/ideas/{idea_id}"
    comments = "/ideas/{idea_id}/comments"
    assert check("get", "/thinktanks/preventie/ideas", ideas, 200)["items"]
    assert check("get", "/thinktanks/preventie/ideas?sort=new", ideas, 200, headers=as_chair)["items"]
    check("get", "/thinktanks/preventie/ideas?sort=password_hash", ideas, 400)
    check("get", "/thinktanks/aanbod/ideas", ideas, 401)
    check("get", "/thinktanks/aanbod/ideas", ideas, 403, headers=outsider)
    check("get", "/thinktanks/nee/ideas", ideas, 404)
    check("get", f"/ideas/{posted.id}", idea_path, 200)
    check("get", f"/ideas/{posted.id}", idea_path, 200, headers=as_chair)
    assert check("get", f"/ideas/{hidden.id}", idea_path, 200)["hidden"] is True
    assert check("get", f"/ideas/{hidden.id}", idea_path, 200, headers=as_chair)["title"]
    check("get", "/ideas/999999", idea_path, 404)
    assert len(check("get", f"/ideas/{posted.id}/comments", comments, 200)["items"]) == 3
    check("get", f"/ideas/{posted.id}/comments", comments, 200, headers=as_chair)
    check("get", f"/ideas/{hidden.id}/comments", comments, 404)
    closed_idea = ops.create_idea(tt_ops.get_thinktank("aanbod"), author=tt_ops.appoint_chair(
        tt_ops.get_thinktank("aanbod"), chair).user, title="Besloten")
    db.session.commit()
    check("get", f"/ideas/{closed_idea.id}", idea_path, 404)  # it does not exist for them
    check("get", f"/ideas/{closed_idea.id}/comments", comments, 404, headers=outsider)


def test_writing_fits_the_document(app, db, check, thinktank, member, chair, create_idea, create_token, user):
    as_member = {"Authorization": f"Bearer {create_token(member)}"}
    as_chair = {"Authorization": f"Bearer {create_token(chair)}"}
    outsider = {"Authorization": f"Bearer {create_token(user)}"}
    other = create_idea(thinktank, chair, title="Ander idee")

    ideas, idea_path = "/thinktanks/{slug}/ideas", "/ideas/{idea_id}"
    new = check("post", "/thinktanks/preventie/ideas", ideas, 201, headers=as_member, json={"title": "Nieuw"})
    path = f"/ideas/{new['id']}"
    check("post", "/thinktanks/preventie/ideas", ideas, 401, json={"title": "Nieuw"})
    check("post", "/thinktanks/preventie/ideas", ideas, 403, headers=outsider, json={"title": "Nieuw"})
    check("post", "/thinktanks/nee/ideas", ideas, 404, headers=as_member, json={"title": "Nieuw"})
    check("post", "/thinktanks/preventie/ideas", ideas, 422, headers=as_member, json={"title": ""})
    check("post", "/thinktanks/preventie/ideas", ideas, 422, headers=as_member,
          json={"title": "x", "tags": ["?"]})
    check("post", "/thinktanks/preventie/ideas", ideas, 400, headers=as_member, data="{",
          content_type="application/json")
    check("post", "/thinktanks/preventie/ideas", ideas, 415, headers=as_member, data="title=x")
    too_large = b'"' + b"a" * app.config["MAX_CONTENT_LENGTH"] + b'"'
    check("post", "/thinktanks/preventie/ideas", ideas, 413, headers=as_member, data=too_large,
          content_type="application/json")

    check("patch", path, idea_path, 200, headers=as_member, json={"body": "Meer *tekst*."})
    check("patch", path, idea_path, 403, headers=as_chair, json={"body": "Niet van mij"})
    check("patch", path, idea_path, 422, headers=as_member, json={"title": None})
    check("patch", "/ideas/999999", idea_path, 404, headers=as_member, json={"title": "x"})

    support = "/ideas/{idea_id}/support"
    assert check("put", f"{path}/support", support, 200, headers=as_chair)["supported_by_me"] is True
    check("put", f"{path}/support", support, 401)
    check("delete", f"{path}/support", support, 200, headers=as_chair)

    comments = "/ideas/{idea_id}/comments"
    comment = check("post", f"{path}/comments", comments, 201, headers=as_chair, json={"body": "Goed"})
    reply = check("post", f"{path}/comments", comments, 201, headers=as_member,
                  json={"body": "Dank", "parent_id": comment["id"]})
    assert reply["parent_id"] == comment["id"]
    check("post", f"{path}/comments", comments, 422, headers=as_member,
          json={"body": "x", "parent_id": 999999})

    reports = "/ideas/{idea_id}/reports"
    check("post", f"{path}/reports", reports, 201, headers=as_chair, json={"reason": "Dubbel"})
    check("post", f"{path}/reports", reports, 201, headers=as_chair,
          json={"reason": "x", "comment_id": reply["id"]})
    check("post", f"{path}/reports", reports, 422, headers=as_chair, json={})
    check("post", f"{path}/reports", reports, 403, headers=outsider, json={"reason": "Spam"})

    status = "/ideas/{idea_id}/status"
    check("post", f"{path}/status", status, 403, headers=as_member,
          json={"status": "adopted", "answer": "Ja"})
    check("post", f"{path}/status", status, 422, headers=as_chair, json={"status": "ja", "answer": "Ja"})
    decided = check("post", f"{path}/status", status, 200, headers=as_chair,
                    json={"status": "merged", "answer": "Samen", "merged_into": other.id})
    assert decided["merged_into"] == other.id
    check("put", f"{path}/support", support, 409, headers=as_member)  # decided: closed

    check("delete", path, idea_path, 403, headers=as_chair)
    check("delete", path, idea_path, 204, headers=as_member)
    check("patch", path, idea_path, 409, headers=as_member, json={"title": "Toch"})


def test_the_schemas_catch_a_mismatch(document):
    idea_schema = {"$ref": "#/components/schemas/Idea"}
    hidden = {"$ref": "#/components/schemas/HiddenIdea"}
    assert schema_errors(document, idea_schema, {"id": 1})
    assert schema_errors(document, hidden, {"id": 1, "thinktank": "a", "hidden": False, "hidden_reason": None,
                                            "url": "u"})
    assert schema_errors(document, hidden, {"id": 1, "thinktank": "a", "hidden": True, "hidden_reason": None,
                                            "url": "u", "title": "the hidden text"})
