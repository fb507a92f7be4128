"""GET /api/v1/me: the owner of the token, their profile and their memberships."""
from __future__ import annotations

from samen.thinktanks import operations as tt_ops


def test_me_shows_the_profile(client, create_user, create_token):
    pro = create_user(display_name="Wijkagent", kind="professional", organisation="Politie", locale="en")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {create_token(pro)}"})
    assert response.status_code == 200
    assert response.get_json() == {
        "id": pro.id, "email": pro.email, "display_name": "Wijkagent", "kind": "professional",
        "organisation": "Politie", "is_admin": False, "locale": "en", "memberships": [],
    }


def test_me_shows_an_admin(client, admin, create_token):
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {create_token(admin)}"}).get_json()
    assert body["is_admin"] is True
    assert body["organisation"] is None and body["locale"] is None


def test_me_lists_active_and_pending_memberships(client, db, user, bearer, create_thinktank):
    open_tt = create_thinktank(slug="nazorg", position=1)
    approval_tt = create_thinktank(slug="aanbod", join_policy="approval", position=2)
    chaired = create_thinktank(slug="preventie", position=3)
    create_thinktank(slug="niet-lid", position=4)
    tt_ops.join_thinktank(open_tt, user)
    tt_ops.join_thinktank(approval_tt, user)
    tt_ops.appoint_chair(chaired, user)
    db.session.commit()
    body = client.get("/api/v1/me", headers=bearer).get_json()
    assert body["memberships"] == [
        {"thinktank": "nazorg", "role": "member", "status": "active"},
        {"thinktank": "aanbod", "role": "member", "status": "pending"},
        {"thinktank": "preventie", "role": "chair", "status": "active"},
    ]
