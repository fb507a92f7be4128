"""'Forgot your password?': a single-use, expiring e-mailed link sets a new password and ends every session.

The request page never tells whether an address has an account.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from samen.accounts import operations as ops
from samen.accounts.models import AccountToken, ApiToken, User, UserSession
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from tests.accounts.pages import field_error, flashes, local_path, mail_link
from tests.conftest import PASSWORD, Auth

NEW = "regen-paraplu-fiets-8"


def _english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def _request(auth, email: str):
    return auth.post("/password/forgot", {"email": email})


def _reset_path(auth, user, mailbox) -> str:
    assert _request(auth, user.email).status_code == 302
    return local_path(mail_link(mailbox[-1], "/password/reset/"))


def _stored(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.mark.parametrize("lang, text", [("nl", "Wachtwoord vergeten?"), ("en", "Forgot your password?")])
def test_the_login_page_links_to_the_request_page(client, lang, text):
    html = client.get(f"/login?lang={lang}").get_data(as_text=True)
    assert f'<a href="/password/forgot">{text}</a>' in html
    page = client.get(f"/password/forgot?lang={lang}")
    assert page.status_code == 200 and f"<h1>{text}</h1>" in page.get_data(as_text=True)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, auth, user, mailbox):
    _english(client)
    known, unknown = _request(auth, user.email), _request(auth, "niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    assert len(mailbox) == 1 and mailbox[0]["To"] == user.email  # only the known address gets mail
    # The flashed message names the address entered, and says nothing else about it.
    client.get("/login")  # drop both flashes
    _request(auth, user.email)
    known_flash = flashes(client.get("/login").get_data(as_text=True))
    _request(auth, "niemand@example.org")
    unknown_flash = flashes(client.get("/login").get_data(as_text=True))
    assert [text.replace(user.email, "X") for text in known_flash] == \
        [text.replace("niemand@example.org", "X") for text in unknown_flash]
    assert "If an account uses" in known_flash[0]


def test_a_bad_address_is_a_form_error(client, auth, mailbox):
    _english(client)
    response = _request(auth, "geen-adres")
    assert response.status_code == 422
    assert "valid e-mail address" in field_error(response.get_data(as_text=True), "email")
    assert mailbox == []


def test_the_mail_links_to_base_url_whatever_the_host_header(client, auth, user, mailbox, app):
    evil = "http://evil.example"  # an unknown host is refused outright (tests/core/test_hosts.py)
    assert client.post("/password/forgot", data={"email": user.email}, base_url=evil).status_code == 400
    assert mailbox == []
    other = "http://127.0.0.1"  # another name the site answers to (BASE_URL is http://localhost)
    html = client.get("/password/forgot", base_url=other).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/password/forgot", data={"email": user.email, "csrf_token": token},
                       base_url=other).status_code == 302
    link = mail_link(mailbox[0], "/password/reset/")
    assert link.startswith(app.config["BASE_URL"].rstrip("/") + "/password/reset/")
    assert "127.0.0.1" not in mailbox[0].get_content()


def test_the_mail_is_in_the_users_language(client, auth, create_user, mailbox):
    english = create_user(locale="en")
    _request(auth, english.email)
    assert mailbox[0]["Subject"] == "Choose a new password for Samen"
    dutch = create_user(locale="nl")
    _request(auth, dutch.email)
    assert mailbox[1]["Subject"] == "Kies een nieuw wachtwoord voor Samen"


def test_the_token_is_stored_as_a_hash(client, auth, user, db, mailbox):
    secret = _reset_path(auth, user, mailbox).rsplit("/", 1)[1]
    stored = db.session.scalars(select(AccountToken).where(AccountToken.user_id == user.id)).one()
    assert stored.purpose == "password_reset"
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.expires_at - stored.created_at == timedelta(hours=1)


def test_a_new_password_ends_every_session_and_revokes_the_api_tokens(client, new_client, auth, user, db,
                                                                      mailbox):
    _english(client)
    phone = new_client()
    Auth(phone, auth.read_token).login(user, remember=True)
    ops.create_api_token(user)
    db.session.commit()
    path = _reset_path(auth, user, mailbox)

    page = client.get(path)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    response = auth.post(path, {"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Your new password is set" in " ".join(flashes(client.get("/login").get_data(as_text=True)))

    stored = _stored(db, user)
    assert ops.verify_password(stored, NEW) and not ops.verify_password(stored, PASSWORD)
    assert phone.get("/account").status_code == 302  # signed out
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == user.id)) == 0
    assert db.session.scalar(select(func.count()).where(ApiToken.user_id == user.id)) == 0
    assert auth.login(user, password=NEW).status_code == 302

    assert client.get(path).status_code == 404  # single use
    assert auth.post(path, {"password": NEW + "x", "confirm": NEW + "x"}).status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == user.id,
                                                                 AuditEntry.subject_type == "user")).all()
    assert "account.password_reset" in actions


def test_a_signed_in_browser_that_resets_is_signed_out_too(client, auth, user, db, mailbox):
    auth.login(user)
    path = _reset_path(auth, user, mailbox)
    auth.post(path, {"password": NEW, "confirm": NEW})
    assert client.get("/account").status_code == 302


def test_a_reset_unlocks_a_locked_account(client, auth, user, db, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_THRESHOLD", 2)
    for _ in range(2):
        auth.login(user, password="fout-fout-fout")
    assert _stored(db, user).locked_at is not None
    path = _reset_path(auth, user, mailbox)
    auth.post(path, {"password": NEW, "confirm": NEW})
    assert _stored(db, user).locked_at is None
    assert auth.login(user, password=NEW).status_code == 302


BAD = [
    ("short", {"password": "kort-1", "confirm": "kort-1"}, "password", "at least 10 characters"),
    ("common", {"password": "password123", "confirm": "password123"}, "password", "too common"),
    ("mismatch", {"password": NEW, "confirm": NEW + "!"}, "confirm", "The passwords do not match."),
    ("empty", {"password": "", "confirm": ""}, "password", "This field is required."),
]


@pytest.mark.parametrize("values, field, message", [case[1:] for case in BAD], ids=[c[0] for c in BAD])
def test_the_new_password_follows_the_registration_rules(client, auth, user, db, mailbox, values, field, message):
    _english(client)
    path = _reset_path(auth, user, mailbox)
    response = auth.post(path, values)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert ops.verify_password(_stored(db, user), PASSWORD)
    assert client.get(path).status_code == 200  # the link still works


def test_a_password_made_of_the_account_name_is_refused(client, auth, create_user, db, mailbox):
    _english(client)
    person = create_user(email="marieke.jansen@example.org", display_name="Marieke Jansen")
    path = _reset_path(auth, person, mailbox)
    weak = "marieke.jansen@example.org"  # strong enough for a stranger's account, not for hers
    response = auth.post(path, {"password": weak, "confirm": weak})
    assert response.status_code == 422
    assert "too common" in field_error(response.get_data(as_text=True), "password")


def test_only_the_newest_link_works(client, auth, user, mailbox):
    first = _reset_path(auth, user, mailbox)
    second = _reset_path(auth, user, mailbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_expired_link_is_refused(client, auth, user, db, mailbox):
    _english(client)
    path = _reset_path(auth, user, mailbox)
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 404 and "This link no longer works" in page.get_data(as_text=True)
    assert auth.post(path, {"password": NEW, "confirm": NEW}).status_code == 404
    assert ops.verify_password(_stored(db, user), PASSWORD)


def test_the_reset_form_needs_its_csrf_token(client, auth, user, db, mailbox):
    path = _reset_path(auth, user, mailbox)
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 400
    assert ops.verify_password(_stored(db, user), PASSWORD)


def test_purge_deletes_used_and_expired_links(app, client, auth, user, db, mailbox):
    _reset_path(auth, user, mailbox)
    _reset_path(auth, user, mailbox)  # the first is now used up
    result = app.test_cli_runner().invoke(args=["users", "purge"])
    assert result.exit_code == 0 and "1 used or expired link(s)" in result.output
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 1
