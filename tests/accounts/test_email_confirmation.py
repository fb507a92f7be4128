"""Confirming a new account's e-mail address: the e-mailed link (single use, expiring, only its hash stored), the
page that asks before it confirms, sending it again (rate-limited per user and per address), and the e-mail change
link that confirms too."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from samen.accounts import operations as ops
from samen.accounts.models import AccountToken, User
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from tests.conftest import PASSWORD

STRONG = "tulp-molen-kaas-42"


def _register(client: Any, csrf_token: Any, email: str = "nieuw@example.org") -> Any:
    return client.post("/register?lang=en", data={
        "csrf_token": csrf_token(client, "/register"), "email": email, "display_name": "Merel", "kind": "resident",
        "password": STRONG, "confirm": STRONG, "accept_terms": "y"})


def _link(message: Any) -> str:
    match = re.search(r"http://[^/\s]+(/register/confirm/[A-Za-z0-9_-]+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


@pytest.fixture
def registered(client: Any, csrf_token: Any, db: Any, mailbox: list[Any]) -> tuple[User, str]:
    """Register through the form; return the new user and the path of the link in their e-mail."""
    assert _register(client, csrf_token).status_code == 302
    (message,) = mailbox
    mailbox.clear()
    return ops.find_user_by_email("nieuw@example.org"), _link(message)


def test_the_mail_links_to_base_url_in_the_readers_language(app, client, csrf_token, db, mailbox):
    _register(client, csrf_token)
    (message,) = mailbox
    assert message["Subject"] == "Confirm your e-mail address for Samen"
    assert f"{app.config['BASE_URL']}/register/confirm/" in message.get_content()
    assert "2 days" in message.get_content()


def test_only_the_hash_of_the_link_is_stored(registered, db):
    user, link = registered
    secret = link.rsplit("/", 1)[1]
    token = db.session.scalars(select(AccountToken).where(AccountToken.user_id == user.id)).one()
    assert token.purpose == "email_confirm" and token.token_hash != secret and secret not in token.token_hash
    assert token.expires_at - token.created_at == timedelta(hours=48)


def test_opening_the_link_asks_and_the_button_confirms_once(client, registered, db, auth):
    user, link = registered
    page = client.get(link + "?lang=en")
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None  # following the link (a mail scanner) is not enough
    answer = auth.post(link + "?lang=en")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None
    assert client.get(link).status_code == 404  # single use
    assert auth.post(link).status_code == 404


def test_signed_in_the_link_goes_home(client, registered, db, auth):
    _user, link = registered
    assert auth.login("nieuw@example.org", STRONG).status_code == 302  # signing in works before confirming
    answer = auth.post(link)
    assert answer.headers["Location"] == "/"
    assert "Send the e-mail again" not in client.get("/").get_data(as_text=True)


def test_an_expired_link_is_refused(client, registered, db, auth):
    user, link = registered
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 404
    assert auth.post(link).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None


@pytest.mark.parametrize("path", ["/register/confirm/nonsense", "/register/confirm/" + "x" * 500])
def test_an_unknown_link_is_refused(client, path):
    assert client.get(path).status_code == 404


def test_a_link_of_another_purpose_confirms_nothing(client, db, create_user, auth):
    user = create_user(email_confirmed=False)
    secret = ops.issue_token(user, "password_reset", lifetime=timedelta(hours=1))
    db.session.commit()
    assert client.get(f"/register/confirm/{secret}").status_code == 404
    assert auth.post(f"/register/confirm/{secret}").status_code == 404


def test_resending_sends_a_new_link_and_the_old_one_stops_working(client, registered, db, auth, mailbox):
    _user, old_link = registered
    auth.login("nieuw@example.org", STRONG)
    answer = auth.post("/register/resend?lang=en", {"next": "/meetings/"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/meetings/"
    (message,) = mailbox
    assert message["To"] == "nieuw@example.org"
    new_link = _link(message)
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_resending_to_a_confirmed_address_sends_nothing(client, auth, user, mailbox):
    auth.login(user)
    auth.post("/register/resend?lang=en")
    assert mailbox == []
    assert "Your e-mail address is confirmed already." in client.get("/?lang=en").get_data(as_text=True)


def test_resending_asks_to_sign_in(client, auth):
    answer = auth.post("/register/resend")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_resending_is_limited_per_user(client, registered, auth, mailbox, rate_limited):
    rate_limited(EMAIL_CONFIRM_RATE_LIMIT="2 per hour")
    auth.login("nieuw@example.org", STRONG)
    statuses = [auth.post("/register/resend").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mailbox) == 2


def test_mails_to_one_address_are_limited_whoever_asks(client, csrf_token, db, create_user, new_client, mailbox,
                                                      rate_limited):
    """Registering with someone's address again and again (from many client addresses) floods nobody."""
    rate_limited(EMAIL_CONFIRM_RATE_LIMIT="2 per hour", REGISTER_RATE_LIMIT="100 per minute")
    create_user(email="bestaat@example.org")
    for n in range(4):
        other = new_client()
        answer = other.post("/register", data={
            "csrf_token": csrf_token(other, "/register"), "email": "bestaat@example.org", "display_name": "Merel",
            "kind": "resident", "password": STRONG, "confirm": STRONG, "accept_terms": "y"},
            environ_overrides={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert answer.status_code == 302
    assert len(mailbox) == 2


def test_the_resend_limit_per_address_is_said_to_the_signed_in_owner(client, csrf_token, db, auth, mailbox,
                                                                     rate_limited):
    rate_limited(EMAIL_CONFIRM_RATE_LIMIT="1 per hour")
    _register(client, csrf_token)  # its mail uses up the address's count; the resend route's own count is apart
    mailbox.clear()
    auth.login("nieuw@example.org", STRONG)
    auth.post("/register/resend?lang=en")
    assert mailbox == []
    assert "We have sent several e-mails to nieuw@example.org" in client.get("/?lang=en").get_data(as_text=True)


def test_an_e_mail_change_link_confirms_the_new_address(client, db, create_user, auth, mailbox):
    user = create_user(email_confirmed=False)
    auth.login(user)
    assert auth.post("/account/email", {"email": "nieuw-adres@example.org", "password": PASSWORD}).status_code == 302
    link = next(re.search(r"(/account/email/confirm/\S+)", m.get_content()).group(1) for m in mailbox
                if m["To"] == "nieuw-adres@example.org")
    assert auth.post(link).status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed.email == "nieuw-adres@example.org" and changed.email_confirmed_at is not None


def test_the_factory_makes_confirmed_users_unless_asked(create_user):
    assert create_user().email_confirmed_at is not None
    assert create_user(email_confirmed=False).email_confirmed_at is None


def test_registering_and_confirming_are_in_the_audit_log(client, registered, db, auth):
    user, link = registered
    auth.post(link)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id).order_by(AuditEntry.id)).all()
    assert actions == ["account.registered", "account.email_confirmed"]
