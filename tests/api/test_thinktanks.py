"""GET /api/v1/thinktanks and /api/v1/thinktanks/<slug>: public; with a token, they show your membership."""
from __future__ import annotations

import pytest

from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_problem

FIELDS = {"id", "slug", "name", "theme", "summary", "description", "description_html", "join_policy",
          "archived", "member_count", "chairs", "line"}


@pytest.fixture
def populated(db, create_user, create_thinktank, thinktank):
    """Return think tanks with chairs, members, a pending request, and an archived one."""
    chair, member, waiting = (create_user(display_name=name) for name in ("Zora", "Anna", "Bram"))
    second_chair = create_user(display_name="anton")
    approval = create_thinktank(slug="aanbod", name="Aanbod", join_policy="approval", position=1)
    archived = create_thinktank(slug="oud", name="Oud", position=0)
    tt_ops.appoint_chair(thinktank, chair)
    tt_ops.appoint_chair(thinktank, second_chair)
    tt_ops.join_thinktank(thinktank, member)
    tt_ops.join_thinktank(approval, waiting)
    tt_ops.archive_thinktank(archived)
    db.session.commit()
    return {"preventie": thinktank, "aanbod": approval, "oud": archived, "member": member, "waiting": waiting}


def test_list_is_public_and_shows_counts_chairs_and_archived_last(client, populated):
    response = client.get("/api/v1/thinktanks")
    assert response.status_code == 200
    assert "Authorization" in response.headers["Vary"]  # the answer changes with the token
    items = response.get_json()["items"]
    assert [item["slug"] for item in items] == ["preventie", "aanbod", "oud"]
    assert all(set(item) == FIELDS for item in items)  # no membership without a token
    preventie, aanbod, oud = items
    assert preventie["member_count"] == 3
    assert preventie["chairs"] == ["een voorzitter", "een voorzitter"]  # no names without a token (core/names.py)
    assert preventie["description"] == "Voorkomen is beter."
    assert preventie["description_html"] == "<p>Voorkomen is beter.</p>"
    assert aanbod["member_count"] == 0  # a request to join is not a member yet
    assert aanbod["join_policy"] == "approval"
    assert (preventie["archived"], oud["archived"]) == (False, True)


def test_list_shows_the_callers_membership(client, populated, create_token):
    headers = {"Authorization": f"Bearer {create_token(populated['waiting'])}"}
    items = client.get("/api/v1/thinktanks", headers=headers).get_json()["items"]
    assert {item["slug"]: item["membership"] for item in items} == {
        "preventie": None,
        "aanbod": {"thinktank": "aanbod", "role": "member", "status": "pending"},
        "oud": None,
    }


def test_detail_is_the_list_item(client, populated):
    listed = client.get("/api/v1/thinktanks").get_json()["items"][0]
    response = client.get("/api/v1/thinktanks/preventie")
    assert response.status_code == 200
    assert response.get_json() == listed


def test_detail_as_a_member_and_as_an_outsider(client, populated, create_token, user):
    member = {"Authorization": f"Bearer {create_token(populated['member'])}"}
    outsider = {"Authorization": f"Bearer {create_token(user)}"}
    assert client.get("/api/v1/thinktanks/preventie", headers=member).get_json()["membership"] == {
        "thinktank": "preventie", "role": "member", "status": "active"}
    assert client.get("/api/v1/thinktanks/preventie", headers=outsider).get_json()["membership"] is None


def test_unknown_think_tank_is_a_404_problem(client, db):
    assert_problem(client.get("/api/v1/thinktanks/bestaat-niet"), 404, code="not_found")


def test_description_html_is_sanitised(client, create_thinktank):
    create_thinktank(slug="xss", description='**vet** <script>alert(1)</script> [x](javascript:alert(1)) '
                                             '<img src=x onerror=alert(1)>')
    html = client.get("/api/v1/thinktanks/xss").get_json()["description_html"]
    assert "<strong>vet</strong>" in html
    for unsafe in ("<script", "javascript:", "onerror", "<img"):
        assert unsafe not in html


@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "with-token"])
def test_list_runs_a_fixed_number_of_queries(client, db, create_user, create_thinktank, create_token,
                                             count_queries, with_token):
    chair, member, waiting = (create_user() for _ in range(3))
    headers = {"Authorization": f"Bearer {create_token(member)}"} if with_token else {}

    def add_thinktanks(n: int) -> None:
        for _ in range(n):
            thinktank = create_thinktank(join_policy="approval")
            tt_ops.appoint_chair(thinktank, chair)
            tt_ops.appoint_chair(thinktank, member)
            tt_ops.join_thinktank(thinktank, waiting)
        db.session.commit()

    def queries_for_list(expected: int) -> int:
        with count_queries() as statements:
            response = client.get("/api/v1/thinktanks", headers=headers)
        assert len(response.get_json()["items"]) == expected
        return len(statements)

    add_thinktanks(2)
    client.get("/api/v1/thinktanks", headers=headers)  # the token's first use records when it was used
    few = queries_for_list(2)
    add_thinktanks(18)
    assert queries_for_list(20) == few
    # the token's owner, then think tanks with counts, the lines, their chairs, the caller's memberships
    assert few == (5 if with_token else 3)
