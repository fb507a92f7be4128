"""Rate limits in the API: the same limits and counters as the web pages, refused with problem+json."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from samen.ideas.models import Comment, Idea
from tests.api.helpers import assert_problem
from tests.conftest import PASSWORD


@pytest.fixture
def as_member(create_token, member):
    """Return the member's Authorization header."""
    return {"Authorization": f"Bearer {create_token(member)}"}


def _new_idea(client, headers, title: str, **extra):
    return client.post("/api/v1/thinktanks/preventie/ideas", json={"title": title}, headers={**headers, **extra})


@pytest.mark.parametrize("language, words", [("en", "wait a moment"), ("nl", "Wacht even")])
def test_posting_is_limited_with_problem_json_in_the_language(client, as_member, thinktank, db, rate_limited,
                                                              language, words):
    rate_limited(POST_RATE_LIMIT="2 per minute")
    assert [_new_idea(client, as_member, f"Idee {n}").status_code for n in range(2)] == [201, 201]
    refused = _new_idea(client, as_member, "Idee 3", **{"Accept-Language": language})
    body = assert_problem(refused, 429)
    assert words in body["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 2


def test_the_web_and_the_api_count_together(client, auth, as_member, member, thinktank, idea, db, rate_limited):
    rate_limited(POST_RATE_LIMIT="2 per minute")
    assert _new_idea(client, as_member, "Via de API").status_code == 201
    auth.login(member)
    assert auth.post(f"/ideas/{idea.id}/comments", {"body": "Via de website."}).status_code == 302
    refused = client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Nog een."}, headers=as_member)
    assert_problem(refused, 429)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def test_supporting_is_limited(client, as_member, thinktank, idea, db, rate_limited):
    rate_limited(SUPPORT_RATE_LIMIT="2 per minute")
    path = f"/api/v1/ideas/{idea.id}/support"
    statuses = [client.put(path, headers=as_member).status_code, client.delete(path, headers=as_member).status_code,
                client.put(path, headers=as_member).status_code]
    assert statuses == [200, 200, 429]


def test_reporting_is_limited(client, as_member, thinktank, idea, db, rate_limited):
    rate_limited(REPORT_RATE_LIMIT="1 per hour")
    path = f"/api/v1/ideas/{idea.id}/reports"
    assert client.post(path, json={"reason": "Klopt niet."}, headers=as_member).status_code == 201
    assert_problem(client.post(path, json={"reason": "Echt niet."}, headers=as_member), 429)


def test_token_sign_in_and_the_login_form_share_the_limit_per_address(client, csrf_token, user, rate_limited):
    rate_limited(LOGIN_RATE_LIMIT="2 per minute")
    assert client.post("/api/v1/tokens", json={"email": user.email, "password": "fout"}).status_code == 401
    token = csrf_token(client, "/login")
    assert client.post("/login", data={"email": user.email, "password": "fout", "csrf_token": token}
                       ).status_code == 422
    refused = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert_problem(refused, 429)


def test_the_limited_operations_document_429(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, method in [("/thinktanks/{slug}/ideas", "post"), ("/ideas/{idea_id}/comments", "post"),
                         ("/ideas/{idea_id}/support", "put"), ("/ideas/{idea_id}/support", "delete"),
                         ("/ideas/{idea_id}/reports", "post"), ("/tokens", "post")]:
        assert "429" in document["paths"][path][method]["responses"], (path, method)
    assert "403" in document["paths"]["/tokens"]["post"]["responses"]
    assert re.search("locked", document["paths"]["/tokens"]["post"]["description"])
