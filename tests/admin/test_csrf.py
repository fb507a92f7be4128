"""Admin forms sent without their CSRF token are refused and change nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samen.accounts.models import User
from samen.core.database import db
from samen.thinktanks.models import Membership, Plan, ThinkTank


def _state() -> tuple:
    db.session.expire_all()
    return (db.session.scalars(select(Plan.title)).all(),
            db.session.execute(select(ThinkTank.slug, ThinkTank.name, ThinkTank.archived_at)).all(),
            db.session.execute(select(User.id, User.is_admin)).all(),
            db.session.execute(select(Membership.user_id, Membership.role)).all())


@pytest.mark.parametrize("path, data", [
    ("/admin/plan", {"title": "Gekaapt", "municipality": "Elders"}),
    ("/admin/thinktanks/new", {"name": "Gekaapt", "slug": "gekaapt", "join_policy": "open"}),
    ("/admin/thinktanks/{slug}", {"name": "Gekaapt", "slug": "{slug}", "join_policy": "open"}),
    ("/admin/thinktanks/{slug}/archive", {}),
    ("/admin/thinktanks/{slug}/chairs", {"email": "{email}"}),
    ("/admin/users/{user_id}/grant", {}),
])
def test_admin_post_without_token_is_refused(client, auth, admin, user, world, path, data):
    auth.login(admin)
    fill = {"slug": world.thinktank.slug, "email": user.email, "user_id": user.id}
    before = _state()
    response = client.post(path.format(**fill), data={k: v.format(**fill) for k, v in data.items()})
    assert response.status_code == 400
    assert _state() == before
