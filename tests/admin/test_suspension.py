"""Administrators suspend and reinstate accounts, with a reason in the audit log; a suspended person cannot sign
in, use a token or take part live, and is told so only when they know the password."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from samen.extensions import socketio_for
from tests.conftest import PASSWORD

NS = "/live"


@pytest.fixture
def signed_in_admin(auth, admin):
    auth.login(admin)
    return admin


def _stored(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _suspend(auth, user, reason="Herhaaldelijk spam geplaatst."):
    return auth.post(f"/admin/users/{user.id}/suspend", data={"reason": reason})


def test_the_user_list_links_to_each_users_page(client, signed_in_admin, user):
    assert f'href="/admin/users/{user.id}"' in client.get("/admin/users").get_data(as_text=True)


def test_suspending_needs_a_reason(client, auth, signed_in_admin, user, db):
    response = _suspend(auth, user, reason="   ")
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True) \
        or "Reason is required." in response.get_data(as_text=True)
    assert not _stored(db, user).is_suspended


def test_suspending_and_reinstating_are_in_the_audit_log(client, auth, signed_in_admin, user, db):
    response = _suspend(auth, user)
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/users/{user.id}"
    stored = _stored(db, user)
    assert stored.is_suspended and stored.suspended_by_id == signed_in_admin.id
    assert stored.suspended_reason == "Herhaaldelijk spam geplaatst."
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Suspended" in page and "Herhaaldelijk spam geplaatst." in page and "account.suspended" in page
    assert auth.post(f"/admin/users/{user.id}/reinstate").status_code == 302
    assert not _stored(db, user).is_suspended
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "user",
                                                          AuditEntry.subject_id == user.id)
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [("account.suspended", signed_in_admin.id),
                                                         ("account.reinstated", signed_in_admin.id)]
    assert entries[0].data["reason"] == "Herhaaldelijk spam geplaatst."
    assert entries[1].data == {"suspended_for": "Herhaaldelijk spam geplaatst."}


def test_an_admin_cannot_suspend_themselves(client, auth, signed_in_admin, db):
    page = client.get(f"/admin/users/{signed_in_admin.id}").get_data(as_text=True)
    assert f"/admin/users/{signed_in_admin.id}/suspend" not in page
    assert _suspend(auth, signed_in_admin).status_code == 403
    assert not _stored(db, signed_in_admin).is_suspended


def test_suspending_twice_is_refused(client, auth, signed_in_admin, user, db):
    _suspend(auth, user)
    again = _suspend(auth, user, reason="Nog een keer")
    assert again.status_code == 422 and "already suspended" in again.get_data(as_text=True)
    assert _stored(db, user).suspended_reason == "Herhaaldelijk spam geplaatst."


@pytest.mark.parametrize("lang, words", [("en", "suspended by an administrator"),
                                         ("nl", "geschorst door een beheerder")])
def test_a_suspended_person_is_told_when_signing_in_with_the_right_password(client, auth, user, admin, db,
                                                                           lang, words):
    account_ops.suspend_user(user, "Spam", by=admin)
    db.session.commit()
    with client.session_transaction() as session:
        session["lang"] = lang
    right = auth.login(user)
    assert right.status_code == 422 and words in right.get_data(as_text=True)
    wrong = auth.login(user, password="niet het wachtwoord")
    assert words not in wrong.get_data(as_text=True)  # only the right password learns of the suspension
    assert client.get("/account").status_code == 302
    assert _stored(db, user).failed_logins == 1  # the wrong one counts towards the lockout, as always


def test_a_suspended_person_gets_no_api_token(client, user, admin, db):
    account_ops.suspend_user(user, "Spam", by=admin)
    db.session.commit()
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403 and response.get_json()["code"] == "account_suspended"
    wrong = client.post("/api/v1/tokens", json={"email": user.email, "password": "niet het wachtwoord"})
    assert wrong.status_code == 401 and wrong.get_json()["code"] == "invalid_credentials"


def test_a_suspended_persons_token_and_live_connection_are_refused(app, client, user, db):
    token = account_ops.create_api_token(user)
    db.session.commit()
    live = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    assert live.is_connected(NS)
    live.disconnect(NS)
    # Suspended without the operation (a token row written back from a backup, say): still refused.
    user.suspended_at, user.suspended_reason = utcnow(), "Spam"
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    live = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    assert not live.is_connected(NS)


def test_after_reinstating_the_person_signs_in_again(client, auth, signed_in_admin, user, db):
    _suspend(auth, user)
    auth.post(f"/admin/users/{user.id}/reinstate")
    auth.logout()
    auth.login(user)
    assert client.get("/account").status_code == 200


@pytest.mark.database
def test_the_user_page_takes_the_same_queries_however_long_its_history(client, signed_in_admin, user, db,
                                                                       create_user, count_queries):
    counts = []
    account_ops.create_api_token(user, name="eerste")  # each token made is in the history
    for extra in (0, 5):
        for n in range(extra):
            account_ops.create_api_token(user, name=f"koppeling {n}")
        db.session.commit()
        with count_queries() as statements:
            assert client.get(f"/admin/users/{user.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
