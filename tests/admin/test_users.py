"""Admins grant and revoke site admin; nobody can revoke their own."""
from __future__ import annotations

from samen.accounts.models import User
from samen.core.database import db


def _is_admin(user: User) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).is_admin


def test_grant_admin(client, auth, admin, user):
    auth.login(admin)
    html = auth.post(f"/admin/users/{user.id}/grant", follow_redirects=True).get_data(as_text=True)
    assert f"{user.display_name} is now an admin." in html
    assert _is_admin(user)


def test_new_admin_gets_in(client, auth, admin, user):
    auth.login(admin)
    auth.post(f"/admin/users/{user.id}/grant")
    auth.logout()
    auth.login(user)
    assert client.get("/admin/").status_code == 200


def test_revoke_admin(client, auth, admin, create_user):
    other = create_user(display_name="Tweede beheerder", is_admin=True)
    auth.login(admin)
    html = auth.post(f"/admin/users/{other.id}/revoke", follow_redirects=True).get_data(as_text=True)
    assert "Tweede beheerder is no longer an admin." in html
    assert not _is_admin(other)


def test_revoked_admin_is_locked_out_at_once(client, auth, admin, create_user):
    other = create_user(is_admin=True)
    auth.login(other)
    assert client.get("/admin/").status_code == 200
    other_id = other.id
    db.session.get(User, other_id).is_admin = False
    db.session.commit()
    assert client.get("/admin/").status_code == 403


def test_cannot_revoke_yourself(client, auth, admin):
    auth.login(admin)
    html = auth.post(f"/admin/users/{admin.id}/revoke", follow_redirects=True).get_data(as_text=True)
    assert "You cannot take away your own admin rights." in html
    assert _is_admin(admin)


def test_users_page_lists_and_searches(client, auth, admin, create_user):
    create_user(display_name="Anja", email="anja@example.org")
    create_user(display_name="Bert", email="bert@example.org")
    auth.login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Anja" in html and "Bert" in html
    assert "This is you" in html  # no button to revoke yourself
    html = client.get("/admin/users?q=ANJA").get_data(as_text=True)
    assert "Anja" in html and "Bert" not in html
    assert "No users found." in client.get("/admin/users?q=niemand").get_data(as_text=True)
