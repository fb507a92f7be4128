"""Moving an idea to another think tank through the API (the rules are tests/ideas/test_move.py's)."""
from __future__ import annotations

import pytest

from samen.ideas.models import Idea
from tests.api.helpers import assert_problem

pytestmark = pytest.mark.database


@pytest.fixture
def other(create_thinktank):
    return create_thinktank(slug="nazorg", name="Nazorg")


@pytest.fixture
def headers_of(create_token):
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"}
    return headers


def test_a_chair_moves_an_idea(client, db, idea, chair, other, headers_of):
    response = client.post(f"/api/v1/ideas/{idea.id}/move", headers=headers_of(chair),
                           json={"thinktank": "nazorg", "reason": "Hoort bij nazorg."})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["thinktank"] == "nazorg"
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == other.id


@pytest.mark.parametrize("body, status, code", [
    ({"thinktank": "bestaat-niet"}, 422, None),
    ({"thinktank": "preventie"}, 422, None),
    ({}, 422, None),
    ({"thinktank": 12}, 422, None),
    ({"thinktank": "nazorg", "reason": "x" * 1001}, 422, None),
])
def test_bad_input_is_a_problem_and_moves_nothing(client, db, idea, chair, other, thinktank, headers_of, body,
                                                 status, code):
    response = client.post(f"/api/v1/ideas/{idea.id}/move", headers=headers_of(chair), json=body)
    assert_problem(response, status, code=code)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == thinktank.id


def test_only_chairs_move_and_anonymous_callers_are_asked_for_a_token(client, db, idea, member, other, thinktank,
                                                                       headers_of):
    assert_problem(client.post(f"/api/v1/ideas/{idea.id}/move", headers=headers_of(member),
                               json={"thinktank": "nazorg"}), 403)
    assert_problem(client.post(f"/api/v1/ideas/{idea.id}/move", json={"thinktank": "nazorg"}), 401)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == thinktank.id


def test_a_merged_idea_stays(client, db, idea, chair, other, create_idea, thinktank, headers_of):
    from samen.ideas import operations as ops
    twin = create_idea(thinktank, idea.author, title="Hetzelfde")
    ops.decide(twin, by=chair, status="merged", answer="Samen.", merged_into=idea)
    db.session.commit()
    assert_problem(client.post(f"/api/v1/ideas/{twin.id}/move", headers=headers_of(chair),
                               json={"thinktank": "nazorg"}), 409, code="merged")
