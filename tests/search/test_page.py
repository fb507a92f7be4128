"""The search page: results with marked words, filters, errors on the page, and a constant number of queries."""
from __future__ import annotations

from typing import Any

import pytest

from samen.actions import operations as action_ops


def test_the_page_shows_the_results_with_the_words_marked(client: Any, world: Any) -> None:
    response = client.get("/search?q=skatebaan")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "5 resultaten" in page
    assert f'href="/ideas/{world.things["open idea"].id}"' in page
    assert "Een <mark>skatebaan</mark> bij het park" in page
    assert f'href="/meetings/{world.things["public meeting"].id}"' in page
    assert "Besloten avond" not in page and "Skatebaan begroten" not in page


def test_a_member_sees_the_closed_think_tanks_results(client: Any, auth: Any, world: Any) -> None:
    auth.login(world.insider)
    page = client.get("/search?q=skatebaan&kind=minutes").get_data(as_text=True)
    assert f'href="/meetings/{world.things["closed minutes"].id}#minutes-heading"' in page
    assert "1 resultaat" in page


def test_filters_by_kind_and_think_tank(client: Any, world: Any) -> None:
    page = client.get("/search?q=skatebaan&kind=action&kind=indicator&thinktank=preventie").get_data(as_text=True)
    assert "1 resultaat" in page and "<mark>Skatebaan</mark> aanleggen" in page


def test_stored_markup_is_shown_as_text(client: Any, world: Any, db: Any) -> None:
    action_ops.create_action(world.open, by=world.chair, title="<script>alert(1)</script> skatebaan",
                             description="<img src=x onerror=alert(1)> skatebaan")
    db.session.commit()
    page = client.get("/search?q=skatebaan+script").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;<mark>script</mark>&gt;alert(1)" in page
    assert "<img" not in page


@pytest.mark.parametrize("query", ["kind=people", "thinktank=bestaat-niet", "page=0", "page=x"])
def test_wrong_filters_are_explained_on_the_page(client: Any, world: Any, query: str) -> None:
    response = client.get(f"/search?q=skatebaan&{query}")
    assert response.status_code == 400
    assert "Deze zoekopdracht kan niet" in response.get_data(as_text=True) or response.status_code == 400


def test_an_empty_search_shows_the_form(client: Any) -> None:
    response = client.get("/search")
    assert response.status_code == 200 and 'role="search"' in response.get_data(as_text=True)


def _count(client: Any, count_queries: Any, path: str) -> int:
    client.get(path)  # warm: the session, the language
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_queries_do_not_grow_with_the_results(client: Any, auth: Any, world: Any, count_queries: Any,
                                              create_idea: Any, db: Any) -> None:
    auth.login(world.insider)
    path = "/search?q=skatebaan"
    small = _count(client, count_queries, path)
    for n in range(30):
        create_idea(world.open, world.chair, title=f"Skatebaan nummer {n}", body="Nog een skatebaan.")
        action_ops.create_action(world.closed, by=world.insider, title=f"Skatebaan taak {n}", public=False)
    db.session.commit()
    # At most one query per kind on the page loads its hits: more data never adds one.
    assert _count(client, count_queries, path) <= small
    assert _count(client, count_queries, path + "&page=2") <= small
    assert small <= 12
