"""A form sent without its CSRF token is refused and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.thinktanks.models import Membership


def _snapshot():
    return sorted(db.session.execute(select(Membership.id, Membership.role, Membership.status)).all())


@pytest.mark.parametrize("role, action", [
    ("resident", "join"), ("member", "leave"), ("chair", "approve"), ("chair", "reject"),
])
def test_post_without_token_is_refused(client, auth, world, role, action):
    auth.login(world.user(role))
    before = _snapshot()
    slug = world.thinktank.slug
    path = {"join": f"/thinktanks/{slug}/join", "leave": f"/thinktanks/{slug}/leave",
            "approve": f"/thinktanks/{slug}/requests/{world.request.id}/approve",
            "reject": f"/thinktanks/{slug}/requests/{world.request.id}/reject"}[action]
    response = client.post(path, data={})
    assert response.status_code == 400
    assert "The form had expired or was sent from elsewhere." in response.get_data(as_text=True)
    db.session.expire_all()
    assert _snapshot() == before


def test_post_with_a_forged_token_is_refused(client, auth, user, thinktank):
    auth.login(user)
    response = client.post(f"/thinktanks/{thinktank.slug}/join", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
