"""Idle and absolute session timeouts, and how 'keep me signed in' lives with them.

Ordinary sessions end after SESSION_IDLE_TIMEOUT without a request or SESSION_ABSOLUTE_TIMEOUT after signing in.
A remembered session has no idle timeout and ends REMEMBER_COOKIE_DURATION after signing in, however it is used.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from samen.accounts import operations as ops
from samen.accounts.models import UserSession
from samen.config import parse_duration
from samen.core.database import utcnow
from tests.accounts.pages import flashes

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

REMEMBER = "remember_token"


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _age(db, user, *, idle: timedelta | None = None, age: timedelta | None = None) -> None:
    """Make the user's sessions look older: last used `idle` ago, started `age` ago."""
    now = utcnow()
    values = {}
    if idle is not None:
        values["last_seen_at"] = now - idle
    if age is not None:
        values["created_at"] = now - age
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(**values))
    db.session.commit()


def _sessions(db, user) -> int:
    return db.session.scalar(select(func.count()).where(UserSession.user_id == user.id))


def test_the_defaults(app):
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(hours=2)
    assert app.config["SESSION_ABSOLUTE_TIMEOUT"] == timedelta(hours=12)
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_a_session_used_within_the_idle_timeout_stays(client, auth, user, db):
    auth.login(user)
    _age(db, user, idle=timedelta(hours=1, minutes=55), age=timedelta(hours=11))
    assert _signed_in(client)


@pytest.mark.parametrize("lang, words", [("nl", "opnieuw in"), ("en", "Please sign in again")])
def test_an_idle_session_ends(client, auth, user, db, lang, words):
    auth.login(user)
    _age(db, user, idle=timedelta(hours=2, minutes=1))
    response = client.get(f"/account?lang={lang}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert _sessions(db, user) == 0  # ended for good
    assert any(words in text for text in flashes(client.get(f"/login?lang={lang}").get_data(as_text=True)))
    assert not _signed_in(client)


def test_a_session_ends_at_the_absolute_timeout_however_busy(client, auth, user, db):
    auth.login(user)
    _age(db, user, idle=timedelta(minutes=1), age=timedelta(hours=12, minutes=1))
    assert not _signed_in(client)
    assert _sessions(db, user) == 0


def test_the_timeouts_follow_the_settings(client, auth, user, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_TIMEOUT", timedelta(minutes=15))
    auth.login(user)
    _age(db, user, idle=timedelta(minutes=10))
    assert _signed_in(client)
    _age(db, user, idle=timedelta(minutes=16))
    assert not _signed_in(client)


def test_a_remembered_session_has_no_idle_timeout(client, new_client, auth, user, db):
    auth.login(user, remember=True)
    assert db.session.scalar(select(UserSession.remember).where(UserSession.user_id == user.id)) is True
    _age(db, user, idle=timedelta(days=3), age=timedelta(days=3))
    assert _signed_in(client)
    restarted = new_client()  # after a browser restart, the remember-me cookie alone
    restarted.set_cookie(REMEMBER, client.get_cookie(REMEMBER).value)
    assert _signed_in(restarted)


def test_a_remembered_session_ends_at_its_absolute_timeout_even_in_use(client, new_client, auth, user, db):
    auth.login(user, remember=True)
    remember = client.get_cookie(REMEMBER).value
    _age(db, user, idle=timedelta(minutes=1), age=timedelta(days=30, minutes=1))
    restarted = new_client()
    restarted.set_cookie(REMEMBER, remember)
    response = restarted.get("/account")
    assert response.status_code == 302
    assert _sessions(db, user) == 0
    assert restarted.get_cookie(REMEMBER) is None  # the browser is told to drop the cookie


def test_the_remember_cookie_expires_with_the_session(client, auth, user, app):
    from tests.accounts.pages import cookie_header
    from werkzeug.http import parse_date

    response = auth.login(user, remember=True)
    expires = parse_date(cookie_header(response, REMEMBER).split("Expires=")[1].split(";")[0])
    expected = utcnow() + app.config["REMEMBER_COOKIE_DURATION"]
    assert abs(expires.replace(tzinfo=None) - expected) < timedelta(minutes=1)
    # Using the site does not push it further out.
    assert not any(header.startswith(f"{REMEMBER}=") for header in
                   client.get("/account").headers.getlist("Set-Cookie"))


def test_purge_deletes_sessions_the_policy_has_ended(app, db, user):
    policy = ops.SessionPolicy(idle=timedelta(hours=2), absolute=timedelta(hours=12), remember=timedelta(days=30))
    fresh, idle, old, remembered, remembered_old = (ops.start_session(user, remember=remember)
                                                    for remember in (False, False, False, True, True))
    db.session.commit()
    now = utcnow()
    ages = {idle: (timedelta(hours=3), timedelta(hours=3)), old: (timedelta(0), timedelta(hours=13)),
            remembered: (timedelta(days=5), timedelta(days=5)),
            remembered_old: (timedelta(0), timedelta(days=31))}
    for key, (since_seen, since_start) in ages.items():
        db.session.execute(update(UserSession).where(UserSession.key_hash == ops._digest(key)).values(
            last_seen_at=now - since_seen, created_at=now - since_start))
    assert ops.purge_expired(policy) == (3, 0)
    db.session.commit()
    assert ops.load_session(fresh, policy=policy) is not None
    assert ops.load_session(remembered, policy=policy) is not None


@pytest.mark.parametrize("text, expected", [
    ("2h", timedelta(hours=2)), ("30m", timedelta(minutes=30)), ("12H", timedelta(hours=12)),
    ("30d", timedelta(days=30)), ("90", timedelta(seconds=90)), (" 1.5h ", timedelta(minutes=90)),
])
def test_durations_are_read_from_the_environment(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "2x", "-1h", "0"])
def test_a_bad_duration_is_refused(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)
