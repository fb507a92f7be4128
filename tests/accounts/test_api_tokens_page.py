"""My account → API tokens: the list (name, created, last used, expiry), creating one (its secret shown once) and
revoking one, in both languages."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken
from samen.core.database import utcnow

PAGE = "/account/tokens"


def _lang(client, lang: str) -> None:
    with client.session_transaction() as session:
        session["lang"] = lang


def _tokens(db, user) -> list[ApiToken]:
    db.session.expire_all()
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_profile_links_to_the_tokens(client, auth, user):
    auth.login(user)
    assert f'href="{PAGE}"' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [("en", ["API tokens", "Last used", "Expires", "never", "expired",
                                                 "Revoke"]),
                                         ("nl", ["API-tokens", "Laatst gebruikt", "Verloopt", "nooit",
                                                 "verlopen", "Intrekken"])])
def test_the_list_shows_name_dates_and_expiry(client, auth, user, create_user, db, lang, words):
    account_ops.create_api_token(user, name="dashboard")
    _secret, old = account_ops.issue_api_token(user, name="oude koppeling")
    old.expires_at = utcnow() - timedelta(days=1)
    account_ops.create_api_token(create_user(), name="van een ander")
    db.session.commit()
    auth.login(user)
    _lang(client, lang)
    response = client.get(PAGE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("no-store")
    assert "dashboard" in page and "oude koppeling" in page and "van een ander" not in page
    for word in words:
        assert word in page, word
    assert old.token_hash not in page


def test_creating_a_token_shows_its_secret_once(client, auth, user, db, app):
    auth.login(user)
    form = client.get(PAGE).get_data(as_text=True)
    assert f'value="{app.config["API_TOKEN_DEFAULT_DAYS"]}"' in form  # the default lifetime is filled in
    response = auth.post(PAGE, data={"name": "dashboard", "expires_in_days": "30"})
    assert response.status_code == 201
    secret = re.search(r'value="(samen_[^"]+)"', response.get_data(as_text=True))[1]
    assert account_ops.user_for_token(secret).id == user.id
    [token] = _tokens(db, user)
    assert token.name == "dashboard"
    assert timedelta(days=30) - timedelta(minutes=1) < token.expires_at - utcnow() <= timedelta(days=30)
    assert secret not in client.get(PAGE).get_data(as_text=True)  # shown only once


@pytest.mark.parametrize("lang, days, message", [
    ("en", "0", "Enter a whole number of days from 1 to 365."),
    ("en", "366", "Enter a whole number of days from 1 to 365."),
    ("en", "dertig", "Enter a whole number of days from 1 to 365."),
    ("nl", "1.000", "Vul een heel aantal dagen in van 1 tot 365."),
    ("en", "", "This field is required."),
])
def test_a_lifetime_out_of_bounds_is_a_form_error(client, auth, user, db, lang, days, message):
    auth.login(user)
    _lang(client, lang)
    response = auth.post(PAGE, data={"name": "dashboard", "expires_in_days": days})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _tokens(db, user) == []


def test_revoking_a_token_stops_it(client, auth, user, db):
    keep = account_ops.create_api_token(user, name="blijft")
    gone_secret, gone = account_ops.issue_api_token(user, name="weg")
    db.session.commit()
    auth.login(user)
    response = auth.post(f"{PAGE}/{gone.id}/revoke")
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert account_ops.user_for_token(gone_secret) is None
    assert account_ops.user_for_token(keep) is not None
    assert [token.name for token in _tokens(db, user)] == ["blijft"]


def test_revoking_needs_the_csrf_token(client, auth, user, db):
    secret, token = account_ops.issue_api_token(user)
    db.session.commit()
    auth.login(user)
    assert client.post(f"{PAGE}/{token.id}/revoke").status_code == 400
    assert account_ops.user_for_token(secret) is not None


def test_someone_elses_token_is_not_found(client, auth, user, create_user, db):
    secret, theirs = account_ops.issue_api_token(create_user())
    db.session.commit()
    auth.login(user)
    assert auth.post(f"{PAGE}/{theirs.id}/revoke").status_code == 404
    assert account_ops.user_for_token(secret) is not None


@pytest.mark.database
def test_the_list_takes_the_same_queries_for_one_token_or_many(client, auth, user, db, count_queries):
    account_ops.create_api_token(user, name="eerste")
    db.session.commit()
    auth.login(user)
    counts = []
    for extra in (0, 6):
        for n in range(extra):
            account_ops.create_api_token(user, name=f"koppeling {n}")
        db.session.commit()
        with count_queries() as statements:
            assert client.get(PAGE).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
