"""Changing the e-mail address: confirmed by a single-use link at the new address, announced to the old one.

Until the link is used, the old address stays in force.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from samen.accounts import operations as ops
from samen.accounts.models import AccountToken, User
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from tests.accounts.pages import field_error, flashes, local_path, mail_link
from tests.conftest import PASSWORD

NEW = "nieuw.adres@example.org"


def _english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def _ask(auth, email: str = NEW, password: str = PASSWORD):
    return auth.post("/account/email", {"email": email, "password": password})


def _stored(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _confirm_path(mailbox) -> str:
    confirmation = next(message for message in mailbox if message["To"] == NEW)
    return local_path(mail_link(confirmation, "/account/email/confirm/"))


@pytest.mark.parametrize("lang, text", [("nl", "E-mailadres wijzigen"), ("en", "Change e-mail address")])
def test_the_profile_links_to_the_change(client, auth, user, lang, text):
    auth.login(user)
    html = client.get(f"/account?lang={lang}").get_data(as_text=True)
    assert f'<a href="/account/email">{text}</a>' in html
    page = client.get(f"/account/email?lang={lang}")
    assert page.status_code == 200 and f"<h1>{text}</h1>" in page.get_data(as_text=True)


def test_the_new_address_gets_a_link_and_the_old_one_a_notice(client, auth, user, db, mailbox):
    _english(client)
    auth.login(user)
    response = _ask(auth)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    profile = client.get("/account").get_data(as_text=True)
    assert any(NEW in text and user.email in text for text in flashes(profile))
    assert f"A change to {NEW} is waiting for confirmation" in profile

    assert sorted(message["To"] for message in mailbox) == sorted([NEW, user.email])
    confirmation = next(message for message in mailbox if message["To"] == NEW)
    notice = next(message for message in mailbox if message["To"] == user.email)
    assert confirmation["Subject"] == "Confirm your new e-mail address for Samen"
    assert "/account/email/confirm/" in confirmation.get_content()
    assert NEW in notice.get_content() and "/account/email/confirm/" not in notice.get_content()
    assert "/password/forgot" in notice.get_content()  # what to do if it was not you

    assert _stored(db, user).email == user.email  # the old address stays in force
    assert ops.find_user_by_email(NEW) is None


def test_the_link_changes_the_address_once(client, new_client, auth, user, db, mailbox):
    _english(client)
    auth.login(user)
    old = user.email
    _ask(auth)
    path = _confirm_path(mailbox)

    elsewhere = new_client()  # the link may be opened in another browser, signed in or not
    page = elsewhere.get(path)
    assert page.status_code == 200
    assert NEW in page.get_data(as_text=True) and old in page.get_data(as_text=True)
    assert _stored(db, user).email == old  # opening the page changes nothing

    response = auth.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert _stored(db, user).email == NEW
    assert auth.post(path).status_code == 404  # single use
    auth.logout()
    assert auth.login(old).status_code == 422
    assert auth.login(NEW).status_code == 302

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "user",
                                                          AuditEntry.subject_id == user.id)
                                 .order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["account.email_change_requested", "account.email_changed"]
    assert entries[1].data == {"old": old, "new": NEW}


def test_confirming_without_signing_in_leads_to_the_login(client, new_client, auth, user, db, mailbox):
    auth.login(user)
    _ask(auth)
    path = _confirm_path(mailbox)
    auth.logout()
    response = auth.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert _stored(db, user).email == NEW


BAD = [
    ("wrong password", {"password": "niet-mijn-wachtwoord"}, "password", "not your current password"),
    ("no password", {"password": ""}, "password", "This field is required."),
    ("not an address", {"email": "geen-adres"}, "email", "valid e-mail address"),
    ("the same address", {"email": "SAME"}, "email", "already your e-mail address"),
    ("a taken address", {"email": "TAKEN"}, "email", "already exists"),
]


@pytest.mark.parametrize("values, field, message", [case[1:] for case in BAD], ids=[c[0] for c in BAD])
def test_a_bad_request_is_a_form_error_and_sends_nothing(client, auth, user, create_user, db, mailbox, values,
                                                         field, message):
    _english(client)
    other = create_user()
    auth.login(user)
    values = {name: {"SAME": user.email.upper(), "TAKEN": other.email}.get(value, value)
              for name, value in values.items()}
    response = auth.post("/account/email", {"email": NEW, "password": PASSWORD, **values})
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert mailbox == []
    assert db.session.scalars(select(AccountToken)).all() == []


def test_an_address_taken_in_the_meantime_is_refused(client, auth, user, create_user, db, mailbox):
    _english(client)
    auth.login(user)
    _ask(auth)
    create_user(email=NEW)  # someone registered with it before the link was used
    response = auth.post(_confirm_path(mailbox))
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)
    assert _stored(db, user).email == user.email


def test_only_the_newest_request_counts(client, auth, user, db, mailbox):
    auth.login(user)
    _ask(auth)
    first = _confirm_path(mailbox)
    mailbox.clear()
    _ask(auth, email="nog.nieuwer@example.org")
    assert client.get(first).status_code == 404


def test_an_expired_link_is_refused(client, auth, user, db, mailbox):
    auth.login(user)
    _ask(auth)
    path = _confirm_path(mailbox)
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(path).status_code == 404
    assert auth.post(path).status_code == 404
    assert _stored(db, user).email == user.email


def test_changing_needs_a_sign_in_and_a_csrf_token(client, auth, user, db, mailbox):
    assert client.get("/account/email").headers["Location"].startswith("/login")
    auth.login(user)
    assert client.post("/account/email", data={"email": NEW, "password": PASSWORD}).status_code == 400
    assert mailbox == []
