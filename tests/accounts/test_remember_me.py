"""'Keep me signed in': a remember-me cookie that works until sign-out, and not a moment longer."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from samen.accounts.models import UserSession
from samen.core.database import utcnow
from tests.accounts.pages import cookie_header

REMEMBER = "remember_token"


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_without_remember_me_there_is_no_cookie(client, auth, user):
    response = auth.login(user)
    assert cookie_header(response, REMEMBER) is None


def test_the_remember_cookie_signs_in_after_the_browser_session_ended(client, new_client, auth, user):
    response = auth.login(user, remember=True)
    header = cookie_header(response, REMEMBER)
    assert header is not None
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Expires=" in header
    restarted = new_client()  # the browser was closed: the session cookie is gone, the remember cookie is not
    restarted.set_cookie(REMEMBER, client.get_cookie(REMEMBER).value)
    assert _signed_in(restarted)


def test_a_replayed_remember_cookie_fails_after_logout(client, new_client, auth, user):
    auth.login(user, remember=True)
    remember = client.get_cookie(REMEMBER).value
    response = auth.logout()
    deletion = cookie_header(response, REMEMBER)
    assert deletion is not None and "Expires=Thu, 01 Jan 1970" in deletion  # the browser drops it
    assert client.get_cookie(REMEMBER) is None
    replay = new_client()
    replay.set_cookie(REMEMBER, remember)
    assert not _signed_in(replay)


def test_a_tampered_remember_cookie_signs_no_one_in(client, new_client, auth, user):
    auth.login(user, remember=True)
    key, digest = client.get_cookie(REMEMBER).value.split("|")
    forged = new_client()
    forged.set_cookie(REMEMBER, f"{key[:-1]}{'A' if key[-1] != 'A' else 'B'}|{digest}")
    assert not _signed_in(forged)


def test_a_remember_cookie_of_a_session_idle_too_long_fails(client, new_client, auth, user, db):
    auth.login(user, remember=True)
    remember = client.get_cookie(REMEMBER).value
    long_ago = utcnow() - timedelta(days=31)  # longer than REMEMBER_COOKIE_DURATION
    db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id).values(last_seen_at=long_ago))
    db.session.commit()
    copied = new_client()
    copied.set_cookie(REMEMBER, remember)
    assert not _signed_in(copied)
