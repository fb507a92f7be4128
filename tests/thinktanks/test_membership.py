"""Joining, asking to join, approving, turning down and leaving, through the pages."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _membership(thinktank, user):
    return db.session.scalar(select(Membership).where(Membership.thinktank_id == thinktank.id,
                                                      Membership.user_id == user.id))


def _count_memberships() -> int:
    return db.session.scalar(select(func.count()).select_from(Membership))


def test_join_open_think_tank_makes_an_active_member(client, auth, user, thinktank):
    auth.login(user)
    response = auth.post(f"/thinktanks/{thinktank.slug}/join", follow_redirects=True)
    assert response.status_code == 200
    assert "You are now a member of Preventie." in response.get_data(as_text=True)
    membership = _membership(thinktank, user)
    assert (membership.role, membership.status) == ("member", "active")
    assert "You are a member." in response.get_data(as_text=True)


def test_joining_twice_keeps_one_membership(client, auth, user, thinktank):
    auth.login(user)
    auth.post(f"/thinktanks/{thinktank.slug}/join")
    auth.post(f"/thinktanks/{thinktank.slug}/join")
    assert _count_memberships() == 1


def test_join_approval_think_tank_makes_a_pending_request(client, auth, user, create_thinktank):
    nazorg = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    auth.login(user)
    html = auth.post("/thinktanks/nazorg/join", follow_redirects=True).get_data(as_text=True)
    assert "Your request to join is sent." in html
    assert "Your request to join is waiting for a chair." in html
    assert _membership(nazorg, user).status == "pending"
    assert tt_ops.member_count(nazorg) == 0


def test_pending_member_can_withdraw_the_request(client, auth, user, create_thinktank):
    nazorg = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    auth.login(user)
    auth.post("/thinktanks/nazorg/join")
    auth.post("/thinktanks/nazorg/leave")
    assert _membership(nazorg, user) is None


def test_chair_approves_a_request(client, auth, world):
    auth.login(world.user("chair"))
    members_page = client.get(f"/thinktanks/{world.thinktank.slug}/members").get_data(as_text=True)
    assert "Requests to join" in members_page and "Aanvrager" in members_page
    response = auth.post(f"/thinktanks/{world.thinktank.slug}/requests/{world.request.id}/approve",
                         follow_redirects=True)
    assert "Aanvrager is now a member." in response.get_data(as_text=True)
    assert _membership(world.thinktank, world.applicant).status == "active"


def test_chair_turns_down_a_request(client, auth, world):
    auth.login(world.user("chair"))
    response = auth.post(f"/thinktanks/{world.thinktank.slug}/requests/{world.request.id}/reject",
                         follow_redirects=True)
    assert "The request of Aanvrager was turned down." in response.get_data(as_text=True)
    assert _membership(world.thinktank, world.applicant) is None


def test_a_handled_request_cannot_be_handled_again(client, auth, world):
    auth.login(world.user("chair"))
    auth.post(f"/thinktanks/{world.thinktank.slug}/requests/{world.request.id}/approve")
    response = auth.post(f"/thinktanks/{world.thinktank.slug}/requests/{world.request.id}/reject",
                         follow_redirects=True)
    assert "This request was already handled." in response.get_data(as_text=True)
    assert _membership(world.thinktank, world.applicant).status == "active"


def test_member_leaves(client, auth, user, thinktank):
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    auth.login(user)
    html = auth.post(f"/thinktanks/{thinktank.slug}/leave", follow_redirects=True).get_data(as_text=True)
    assert "You have left Preventie." in html
    assert _membership(thinktank, user) is None
    assert "You are not a member." in html


def test_last_chair_cannot_leave(client, auth, user, thinktank):
    tt_ops.appoint_chair(thinktank, user)
    db.session.commit()
    auth.login(user)
    html = auth.post(f"/thinktanks/{thinktank.slug}/leave", follow_redirects=True).get_data(as_text=True)
    assert "You are the only chair. Ask an administrator to appoint another chair first." in html
    assert _membership(thinktank, user).is_chair


def test_one_of_two_chairs_can_leave(client, auth, user, create_user, thinktank):
    tt_ops.appoint_chair(thinktank, user)
    tt_ops.appoint_chair(thinktank, create_user())
    db.session.commit()
    auth.login(user)
    auth.post(f"/thinktanks/{thinktank.slug}/leave")
    assert _membership(thinktank, user) is None
    assert tt_ops.chair_count(thinktank) == 1


def test_archived_think_tank_refuses_joining_and_stores_nothing(client, auth, user, thinktank):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(user)
    page = client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert "This think tank is archived" in page
    assert f"/thinktanks/{thinktank.slug}/join" not in page
    html = auth.post(f"/thinktanks/{thinktank.slug}/join", follow_redirects=True).get_data(as_text=True)
    assert "This think tank is archived and can no longer be changed." in html
    assert _count_memberships() == 0


def test_archived_think_tank_refuses_leaving(client, auth, user, thinktank):
    tt_ops.join_thinktank(thinktank, user)
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(user)
    html = auth.post(f"/thinktanks/{thinktank.slug}/leave", follow_redirects=True).get_data(as_text=True)
    assert "This think tank is archived and can no longer be changed." in html
    assert _membership(thinktank, user) is not None


def test_archived_think_tank_refuses_deciding_requests(client, auth, world):
    tt_ops.archive_thinktank(world.thinktank)
    db.session.commit()
    auth.login(world.user("chair"))
    html = auth.post(f"/thinktanks/{world.thinktank.slug}/requests/{world.request.id}/approve",
                     follow_redirects=True).get_data(as_text=True)
    assert "This think tank is archived and can no longer be changed." in html
    assert _membership(world.thinktank, world.applicant).status == "pending"


def test_join_of_anonymous_visitor_goes_to_sign_in(client, auth, thinktank):
    response = auth.post(f"/thinktanks/{thinktank.slug}/join")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert _count_memberships() == 0


def test_join_of_unknown_think_tank_is_404(client, auth, user):
    auth.login(user)
    assert auth.post("/thinktanks/nope/join").status_code == 404
