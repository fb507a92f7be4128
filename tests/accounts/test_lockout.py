"""Lockout: ten failed sign-ins in a row lock an account; an e-mailed single-use link unlocks it.

The refusal reads the same for an address without an account, so the lockout tells nobody which addresses exist.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from samen.accounts import operations as ops
from samen.accounts.models import AccountToken, User
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from tests.accounts.pages import field_error, flashes, local_path, mail_link
from tests.conftest import PASSWORD

WRONG = "niet-het-goede-wachtwoord"


@pytest.fixture
def threshold(app, monkeypatch) -> int:
    """Lock after 3 failures instead of 10: the same rule, fewer slow password checks."""
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_THRESHOLD", 3)
    return 3


def _english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def _fail(auth, email: str, times: int) -> list:
    return [auth.login(email, password=WRONG) for _ in range(times)]


def _stored(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_ten_failures_in_a_row_lock_the_account(client, auth, user, db, mailbox):
    _english(client)
    before = _fail(auth, user.email, 9)
    assert {response.status_code for response in before} == {422}
    assert "do not match" in field_error(before[-1].get_data(as_text=True), "password")
    assert _stored(db, user).locked_at is None and _stored(db, user).failed_logins == 9
    assert mailbox == []

    tenth = auth.login(user, password=WRONG)
    assert tenth.status_code == 422
    message = field_error(tenth.get_data(as_text=True), "email")
    assert "locked after too many failed sign-in attempts" in message
    assert field_error(tenth.get_data(as_text=True), "password") is None
    assert _stored(db, user).locked_at is not None
    assert len(mailbox) == 1 and mailbox[0]["To"] == user.email

    # Now even the right password is refused, with the same words: a guess that happens to be right says so not.
    right = auth.login(user)
    assert right.status_code == 422
    assert field_error(right.get_data(as_text=True), "email") == message
    assert client.get("/account").status_code == 302
    assert len(mailbox) == 1  # the e-mail goes out once, not on every attempt


def test_a_successful_sign_in_starts_the_count_again(client, auth, user, db, threshold):
    _fail(auth, user.email, threshold - 1)
    assert auth.login(user).status_code == 302
    assert _stored(db, user).failed_logins == 0
    auth.logout()
    _fail(auth, user.email, threshold - 1)
    assert _stored(db, user).locked_at is None
    assert auth.login(user).status_code == 302


@pytest.mark.parametrize("lang, words", [("nl", "geblokkeerd"), ("en", "locked")])
def test_an_unknown_address_reads_exactly_like_a_locked_account(client, auth, user, threshold, lang, words):
    with client.session_transaction() as session:
        session["lang"] = lang
    unknown = f"niemand-{uuid.uuid4().hex}@example.org"
    for attempt in range(1, threshold + 2):
        known_answer, unknown_answer = auth.login(user, password=WRONG), auth.login(unknown, password=WRONG)
        assert known_answer.status_code == unknown_answer.status_code == 422
        known_html, unknown_html = known_answer.get_data(as_text=True), unknown_answer.get_data(as_text=True)
        for field in ("email", "password"):
            assert field_error(known_html, field) == field_error(unknown_html, field), (attempt, field)
    assert words in field_error(unknown_html, "email")


def test_the_unlock_mail_is_in_the_users_language_and_links_to_base_url(client, auth, create_user, threshold,
                                                                        mailbox, app):
    english = create_user(locale="en")
    _fail(auth, english.email, threshold)
    message = mailbox[0]
    assert message["Subject"] == "Your Samen account is locked"
    link = mail_link(message, "/unlock/")
    assert link.startswith(app.config["BASE_URL"].rstrip("/") + "/unlock/")
    assert "3 times in a row" in message.get_content()


def test_the_unlock_link_works_once(client, auth, user, db, threshold, mailbox):
    _english(client)
    _fail(auth, user.email, threshold)
    path = local_path(mail_link(mailbox[0], "/unlock/"))

    page = client.get(path)  # opening the link (or a mail scanner following it) unlocks nothing yet
    assert page.status_code == 200
    assert "Unlock my account" in page.get_data(as_text=True)
    assert _stored(db, user).locked_at is not None

    response = auth.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Your account is unlocked" in " ".join(flashes(client.get("/login").get_data(as_text=True)))
    assert _stored(db, user).locked_at is None and _stored(db, user).failed_logins == 0
    assert auth.login(user).status_code == 302

    assert client.get(path).status_code == 404  # used up
    again = auth.post(path)
    assert again.status_code == 404 and "This link no longer works" in again.get_data(as_text=True)


def test_the_unlock_link_expires(client, auth, user, db, threshold, mailbox):
    _fail(auth, user.email, threshold)
    path = local_path(mail_link(mailbox[0], "/unlock/"))
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(path).status_code == 404
    assert auth.post(path).status_code == 404
    assert _stored(db, user).locked_at is not None


def test_the_link_is_stored_only_as_a_hash(client, auth, user, db, threshold, mailbox):
    _fail(auth, user.email, threshold)
    secret = local_path(mail_link(mailbox[0], "/unlock/")).rsplit("/", 1)[1]
    token = db.session.scalars(select(AccountToken).where(AccountToken.user_id == user.id)).one()
    assert token.purpose == "unlock"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash


def test_unknown_links_are_refused(client, auth):
    for secret in ("nope", "x" * 500):
        assert client.get(f"/unlock/{secret}").status_code == 404


def test_locking_and_unlocking_are_in_the_audit_log(client, auth, user, db, threshold, mailbox):
    _fail(auth, user.email, threshold)
    auth.post(local_path(mail_link(mailbox[0], "/unlock/")))
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "user",
                                                          AuditEntry.subject_id == user.id)
                                 .order_by(AuditEntry.id)).all()
    assert [(entry.action, entry.actor_id) for entry in entries] == [("account.locked", None),
                                                                     ("account.unlocked", user.id)]
    assert entries[0].data == {"failed_logins": threshold, "sessions_ended": 0, "api_tokens_revoked": 0}
    assert entries[1].data == {"how": "link"}


def test_the_cli_unlocks_too(app, user, db, threshold):
    for _ in range(threshold):
        ops.attempt_sign_in(user.email, WRONG, lockout_after=threshold)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "unlock", user.email])
    assert result.exit_code == 0 and "is unlocked" in result.output
    assert _stored(db, user).locked_at is None
    again = app.test_cli_runner().invoke(args=["users", "unlock", user.email])
    assert "was not locked" in again.output


# --- the API's token sign-in -------------------------------------------------------------------------------

def _token(client, email: str, password: str):
    return client.post("/api/v1/tokens", json={"email": email, "password": password},
                       headers={"Accept-Language": "en"})


def test_api_token_sign_in_counts_failures_and_respects_the_lockout(client, user, db, threshold, mailbox):
    answers = [_token(client, user.email, WRONG) for _ in range(threshold)]
    assert [answer.status_code for answer in answers] == [401] * (threshold - 1) + [403]
    locked = answers[-1].get_json()
    assert locked["code"] == "account_locked" and "locked" in locked["detail"]
    assert answers[-1].mimetype == "application/problem+json"
    assert len(mailbox) == 1
    right = _token(client, user.email, PASSWORD)
    assert right.status_code == 403 and right.get_json()["code"] == "account_locked"


def test_web_and_api_failures_count_together(client, auth, user, db, threshold):
    _fail(auth, user.email, threshold - 1)
    assert _token(client, user.email, WRONG).get_json()["code"] == "account_locked"


def test_the_api_refuses_an_unknown_address_like_a_locked_account(client, user, threshold):
    unknown = f"niemand-{uuid.uuid4().hex}@example.org"
    for _ in range(threshold):
        known_answer, unknown_answer = _token(client, user.email, WRONG), _token(client, unknown, WRONG)
        assert known_answer.status_code == unknown_answer.status_code
        assert known_answer.get_json() == unknown_answer.get_json()
    assert unknown_answer.get_json()["code"] == "account_locked"
