"""The API answers as its OpenAPI document says: every status and body below fits the documented schema."""
from __future__ import annotations

from typing import Any

import pytest

from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_documented
from tests.conftest import PASSWORD


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


def test_answers_fit_the_document(client, db, document, user, bearer, thinktank, create_thinktank,
                                  create_user):
    create_thinktank(slug="aanbod", join_policy="approval", description="*Hulp* bij aanbod.")
    tt_ops.appoint_chair(thinktank, create_user(display_name="Voorzitter"))
    db.session.commit()

    def check(method: str, path: str, template: str, expected: int, **kwargs: Any) -> None:
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code == expected, response.get_data(as_text=True)
        assert_documented(document, template, method, response)

    check("post", "/api/v1/tokens", "/tokens", 201, json={"email": user.email, "password": PASSWORD})
    check("post", "/api/v1/tokens", "/tokens", 401, json={"email": user.email, "password": "wrong"})
    check("post", "/api/v1/tokens", "/tokens", 422, json={"email": 1})
    check("post", "/api/v1/tokens", "/tokens", 400, data="{", content_type="application/json")
    check("post", "/api/v1/tokens", "/tokens", 415, data="x")
    too_large = b'"' + b"a" * client.application.config["MAX_CONTENT_LENGTH"] + b'"'
    check("post", "/api/v1/tokens", "/tokens", 413, data=too_large, content_type="application/json")
    check("get", "/api/v1/me", "/me", 401)
    check("get", "/api/v1/thinktanks", "/thinktanks", 200)
    check("get", "/api/v1/thinktanks/aanbod", "/thinktanks/{slug}", 200)
    check("get", "/api/v1/thinktanks/nee", "/thinktanks/{slug}", 404)
    for slug, status in (("preventie", 201), ("aanbod", 201), ("aanbod", 200)):
        check("put", f"/api/v1/thinktanks/{slug}/membership", "/thinktanks/{slug}/membership", status,
              headers=bearer)
    check("get", "/api/v1/me", "/me", 200, headers=bearer)
    check("get", "/api/v1/thinktanks", "/thinktanks", 200, headers=bearer)
    check("get", "/api/v1/thinktanks/preventie", "/thinktanks/{slug}", 200, headers=bearer)
    check("delete", "/api/v1/thinktanks/aanbod/membership", "/thinktanks/{slug}/membership", 204,
          headers=bearer)
    tt_ops.archive_thinktank(tt_ops.get_thinktank("aanbod"))
    db.session.commit()
    check("put", "/api/v1/thinktanks/aanbod/membership", "/thinktanks/{slug}/membership", 409, headers=bearer)
    check("get", "/api/v1/openapi.json", "/openapi.json", 200)


def test_the_check_itself_catches_a_mismatch(document):
    from tests.api.helpers import schema_errors

    thinktank = {"$ref": "#/components/schemas/ThinkTank"}
    assert schema_errors(document, thinktank, {"id": "1"})  # wrong type, required fields missing
    good = {"id": 1, "slug": "a", "name": "A", "theme": "", "summary": "", "description": "",
            "description_html": "", "join_policy": "open", "archived": False, "member_count": 0, "chairs": [],
            "membership": None, "line": None}
    assert schema_errors(document, thinktank, good) == []
    assert schema_errors(document, thinktank, {**good, "secret": 1})  # not documented
    assert schema_errors(document, thinktank, {**good, "membership": {"role": "boss"}})
    assert schema_errors(document, thinktank, {**good, "member_count": True})
