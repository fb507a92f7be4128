"""PUT and DELETE /api/v1/thinktanks/<slug>/membership: join, ask to join, leave."""
from __future__ import annotations

from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_problem

URL = "/api/v1/thinktanks/{}/membership"


def test_joining_an_open_think_tank_makes_an_active_member(client, thinktank, bearer, user):
    response = client.put(URL.format("preventie"), headers=bearer)
    assert response.status_code == 201
    assert response.headers["Location"].endswith("/api/v1/thinktanks/preventie/membership")
    assert response.get_json() == {"thinktank": "preventie", "role": "member", "status": "active"}
    assert tt_ops.membership_of(thinktank, user).status == "active"
    assert client.get("/api/v1/thinktanks/preventie").get_json()["member_count"] == 1


def test_joining_twice_changes_nothing(client, thinktank, bearer):
    first = client.put(URL.format("preventie"), headers=bearer)
    second = client.put(URL.format("preventie"), headers=bearer)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json() == first.get_json()
    assert client.get("/api/v1/thinktanks/preventie").get_json()["member_count"] == 1


def test_joining_an_approval_think_tank_waits_for_a_chair(client, create_thinktank, bearer):
    create_thinktank(slug="aanbod", join_policy="approval")
    response = client.put(URL.format("aanbod"), headers=bearer)
    assert response.status_code == 201
    assert response.get_json()["status"] == "pending"
    again = client.put(URL.format("aanbod"), headers=bearer)
    assert (again.status_code, again.get_json()["status"]) == (200, "pending")
    assert client.get("/api/v1/thinktanks/aanbod").get_json()["member_count"] == 0


def test_an_archived_think_tank_cannot_be_joined(client, db, thinktank, bearer, user):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    assert_problem(client.put(URL.format("preventie"), headers=bearer), 409, code="archived")
    assert tt_ops.membership_of(thinktank, user) is None


def test_unknown_think_tank_is_a_404(client, db, bearer):
    assert_problem(client.put(URL.format("bestaat-niet"), headers=bearer), 404, code="not_found")
    assert_problem(client.delete(URL.format("bestaat-niet"), headers=bearer), 404, code="not_found")


def test_leaving_ends_the_membership(client, db, thinktank, bearer, user):
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    response = client.delete(URL.format("preventie"), headers=bearer)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert tt_ops.membership_of(thinktank, user) is None


def test_leaving_withdraws_a_request_to_join(client, db, create_thinktank, bearer, user):
    approval = create_thinktank(slug="aanbod", join_policy="approval")
    tt_ops.join_thinktank(approval, user)
    db.session.commit()
    assert client.delete(URL.format("aanbod"), headers=bearer).status_code == 204
    assert tt_ops.membership_of(approval, user) is None


def test_leaving_when_not_a_member_is_fine(client, thinktank, bearer):
    assert client.delete(URL.format("preventie"), headers=bearer).status_code == 204


def test_the_only_chair_cannot_leave(client, db, thinktank, bearer, user):
    tt_ops.appoint_chair(thinktank, user)
    db.session.commit()
    assert_problem(client.delete(URL.format("preventie"), headers=bearer), 409, code="last_chair")
    assert tt_ops.membership_of(thinktank, user).is_chair


def test_a_chair_may_leave_when_another_chair_stays(client, db, thinktank, bearer, user, create_user):
    tt_ops.appoint_chair(thinktank, user)
    tt_ops.appoint_chair(thinktank, create_user())
    db.session.commit()
    assert client.delete(URL.format("preventie"), headers=bearer).status_code == 204
    assert client.get("/api/v1/thinktanks/preventie").get_json()["member_count"] == 1
