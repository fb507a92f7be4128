"""API tokens expire, and their owner lists and revokes them: POST /tokens with `expires_in_days`, GET /tokens,
DELETE /tokens/<id>."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken, User
from samen.core.database import utcnow
from tests.api.helpers import assert_problem
from tests.conftest import PASSWORD

pytestmark = pytest.mark.database


def _create(client, user, **fields):
    return client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD, **fields})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _expires_in(db, token_id: int) -> timedelta:
    return db.session.get(ApiToken, token_id, populate_existing=True).expires_at - utcnow()


def test_a_token_expires_after_the_default_lifetime(client, user, db, app):
    response = _create(client, user)
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "api" and body["expires_at"].endswith("Z")
    days = app.config["API_TOKEN_DEFAULT_DAYS"]
    assert timedelta(days=days) - timedelta(minutes=1) < _expires_in(db, body["id"]) <= timedelta(days=days)


def test_the_owner_chooses_the_lifetime(client, user, db):
    body = _create(client, user, name="dashboard", expires_in_days=7).get_json()
    assert timedelta(days=7) - timedelta(minutes=1) < _expires_in(db, body["id"]) <= timedelta(days=7)
    assert body["name"] == "dashboard"


@pytest.mark.parametrize("days", [0, -1, 366, 10**12, "30", 1.5, True, [30]])
def test_a_lifetime_out_of_bounds_is_refused_and_costs_no_sign_in_attempt(client, user, db, days):
    response = _create(client, user, expires_in_days=days)
    body = assert_problem(response, 422)
    assert list(body["errors"]) == ["expires_in_days"]
    assert db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) == 0
    assert db.session.get(User, user.id, populate_existing=True).failed_logins == 0


def test_the_maximum_is_a_setting(client, user, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_MAX_DAYS", 30)
    monkeypatch.setitem(app.config, "API_TOKEN_DEFAULT_DAYS", 30)
    assert _create(client, user, expires_in_days=30).status_code == 201
    body = assert_problem(_create(client, user, expires_in_days=31), 422)
    assert "30" in body["errors"]["expires_in_days"][0]


@pytest.mark.parametrize("language, words", [("en", "whole number of days from 1 to 365"),
                                             ("nl", "heel aantal dagen in van 1 tot 365")])
def test_the_refusal_is_in_the_callers_language(client, user, language, words):
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD,
                                                   "expires_in_days": 400},
                           headers={"Accept-Language": language})
    assert words in assert_problem(response, 422)["errors"]["expires_in_days"][0]


def test_an_expired_token_is_refused_like_an_unknown_one(client, user, db):
    token, api_token = account_ops.issue_api_token(user, days=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    api_token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = assert_problem(client.get("/api/v1/me", headers=_bearer(token)), 401, code="invalid_token")
    unknown = assert_problem(client.get("/api/v1/me", headers=_bearer("samen_nope")), 401, code="invalid_token")
    assert expired == unknown


def test_the_owner_lists_their_own_tokens_without_secrets(client, user, create_user, db):
    other = create_user()
    mine, current = account_ops.issue_api_token(user, name="dashboard")
    old_secret, old = account_ops.issue_api_token(user, name="oud")
    account_ops.create_api_token(other, name="van een ander")
    old.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = client.get("/api/v1/tokens", headers=_bearer(mine))
    assert response.status_code == 200
    listed = response.get_json()
    assert {entry["name"]: (entry["current"], entry["expired"]) for entry in listed} == {
        "dashboard": (True, False), "oud": (False, True)}
    text = response.get_data(as_text=True)
    assert mine not in text and old_secret not in text and current.token_hash not in text
    assert [entry["last_used_at"] is not None for entry in listed] == [False, True]  # this request used mine
    assert [entry["name"] for entry in listed] == ["oud", "dashboard"]  # newest first


def test_listing_needs_a_token(client):
    assert_problem(client.get("/api/v1/tokens"), 401, code="token_required")


def test_revoking_a_token_stops_it_at_once(client, user, db):
    mine = account_ops.create_api_token(user, name="blijft")
    spare_secret, spare = account_ops.issue_api_token(user, name="weg")
    db.session.commit()
    assert client.delete(f"/api/v1/tokens/{spare.id}", headers=_bearer(mine)).status_code == 204
    assert_problem(client.get("/api/v1/me", headers=_bearer(spare_secret)), 401, code="invalid_token")
    assert [entry["name"] for entry in client.get("/api/v1/tokens", headers=_bearer(mine)).get_json()] == ["blijft"]


def test_a_token_can_revoke_itself(client, user, db):
    token, api_token = account_ops.issue_api_token(user)
    db.session.commit()
    assert client.delete(f"/api/v1/tokens/{api_token.id}", headers=_bearer(token)).status_code == 204
    assert_problem(client.get("/api/v1/tokens", headers=_bearer(token)), 401, code="invalid_token")


def test_someone_elses_token_is_not_found(client, user, create_user, db):
    mine = account_ops.create_api_token(user)
    theirs_secret, theirs = account_ops.issue_api_token(create_user())
    db.session.commit()
    for token_id in (theirs.id, 2147483647):
        assert_problem(client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(mine)), 404, code="not_found")
    assert client.get("/api/v1/me", headers=_bearer(theirs_secret)).status_code == 200


def test_revoking_and_creating_are_in_the_audit_log(client, user, db):
    from samen.audit.models import AuditEntry

    token, api_token = account_ops.issue_api_token(user, name="koppeling")
    db.session.commit()
    client.delete(f"/api/v1/tokens/{api_token.id}", headers=_bearer(token))
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "user",
                                                          AuditEntry.subject_id == user.id)
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id, e.data["token_id"]) for e in entries] == [
        ("account.api_token_created", user.id, api_token.id), ("account.api_token_revoked", user.id, api_token.id)]
    assert "koppeling" not in repr([e.data for e in entries])  # a token's name may be personal: not kept here


def test_a_locked_accounts_token_is_refused_until_it_is_unlocked(client, user, db):
    token = account_ops.create_api_token(user)
    db.session.commit()
    # Locked without the lockout's own revocation (which would end the token for good): the check alone.
    user.locked_at = utcnow()
    db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=_bearer(token)), 401, code="invalid_token")
    account_ops.unlock_account(user, by=None, how="admin")
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
