"""GET /api/v1/search: the page's rules, answers that fit the OpenAPI document, problem+json for bad input."""
from __future__ import annotations

from typing import Any

import pytest

from samen.accounts import operations as account_ops
from tests.api.helpers import assert_documented


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def _bearer(db: Any, user: Any) -> dict[str, str]:
    token = account_ops.create_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _found(response: Any) -> set[tuple[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {(item["kind"], item["title"]) for item in response.get_json()["items"]}


def test_anonymous_callers_find_what_visitors_find(client: Any, world: Any, document: Any) -> None:
    response = client.get("/api/v1/search?q=skatebaan")
    assert_documented(document, "/search", "get", response)
    body = response.get_json()
    assert body["total"] == 5 and body["words"] == ["skatebaan"]
    first = body["items"][0]
    assert "<mark>" in first["title_html"].lower() and first["url"].startswith("http")
    assert ("meeting", "Besloten avond skatebaan") not in _found(response)


def test_a_token_finds_what_its_owner_may_see(client: Any, db: Any, world: Any, document: Any) -> None:
    response = client.get("/api/v1/search?q=skatebaan&kind=minutes&kind=meeting",
                          headers=_bearer(db, world.insider))
    assert_documented(document, "/search", "get", response)
    assert _found(response) == {("minutes", "Terugblik"), ("meeting", "Besloten avond skatebaan"),
                                ("meeting", "Avond over de skatebaan")}


def test_filters_and_paging(client: Any, world: Any) -> None:
    assert _found(client.get("/api/v1/search?q=skatebaan&thinktank=preventie&kind=idea")) == {
        ("idea", "Een skatebaan bij het park"), ("idea", "Sport voor iedereen")}
    body = client.get("/api/v1/search?q=skatebaan&per_page=2&page=3").get_json()
    assert body["pages"] == 3 and len(body["items"]) == 1 and body["total"] == 5


def test_stored_markup_is_escaped_in_the_marked_fields(client: Any, db: Any, world: Any) -> None:
    from samen.actions import operations as action_ops
    action_ops.create_action(world.open, by=world.chair, title="<b>skatebaan</b>")
    db.session.commit()
    item = next(item for item in client.get("/api/v1/search?q=skatebaan&kind=action").get_json()["items"]
                if item["title"] == "<b>skatebaan</b>")
    assert item["title_html"] == "&lt;b&gt;<mark>skatebaan</mark>&lt;/b&gt;"


@pytest.mark.parametrize("query, field", [
    ("", "q"), ("q=", "q"), ("q=%20%20", "q"), ("q=" + "a" * 101, "q"),
    ("q=x&kind=people", "kind"), ("q=x&thinktank=nee", "thinktank"), ("q=x&page=0", "page"),
    ("q=x&page=abc", "page"), ("q=x&per_page=51", "per_page"), ("q=x&per_page=0", "per_page"),
])
def test_bad_parameters_are_problems(client: Any, world: Any, document: Any, query: str, field: str) -> None:
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert_documented(document, "/search", "get", response)
    assert field in str(response.get_json())


def test_a_wrong_token_is_refused(client: Any, world: Any, document: Any) -> None:
    response = client.get("/api/v1/search?q=x", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert_documented(document, "/search", "get", response)
