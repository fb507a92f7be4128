"""Signing out ends the session on the server: a copy of the old cookie signs no one in."""
from __future__ import annotations

from sqlalchemy import func, select

from samen.accounts.models import UserSession
from tests.accounts.pages import html_lang


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logout_ends_the_session_and_a_replayed_cookie_fails(client, new_client, auth, user, db):
    auth.login(user)
    old_cookie = client.get_cookie("session").value
    thief = new_client()
    thief.set_cookie("session", old_cookie)
    assert _signed_in(thief)  # a copy of the cookie works while the session lasts...

    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not _signed_in(client)
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == user.id)) == 0

    replay = new_client()
    replay.set_cookie("session", old_cookie)
    assert not _signed_in(replay)  # ...and not after the sign-out
    assert not _signed_in(thief)


def test_logout_ends_only_this_session(client, new_client, auth, user):
    laptop = new_client()
    auth.login(user)
    type(auth)(laptop, auth.read_token).login(user)
    auth.logout()
    assert not _signed_in(client)
    assert _signed_in(laptop)


def test_logout_without_csrf_token_is_refused(client, auth, user):
    auth.login(user)
    assert client.post("/logout").status_code == 400
    assert _signed_in(client)


def test_logout_is_not_a_get(client, auth, user):
    auth.login(user)
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)


def test_logout_keeps_the_language(client, auth, user):
    auth.login(user)
    with client.session_transaction() as session:
        session["lang"] = "en"
    auth.logout()
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_logout_when_not_signed_in_just_goes_home(client, auth):
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
