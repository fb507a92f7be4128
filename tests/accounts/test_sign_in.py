"""Signing in: the right password starts a new session, a wrong one is a form error."""
from __future__ import annotations

from sqlalchemy import func, select

from samen.accounts.models import UserSession
from tests.accounts.pages import field_error
from tests.conftest import PASSWORD


def _sessions_of(db, user) -> int:
    return db.session.scalar(select(func.count()).where(UserSession.user_id == user.id))


def _session_key(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_login_page(client):
    response = client.get("/login?lang=en")
    assert response.status_code == 200
    assert 'name="remember"' in response.get_data(as_text=True)


def test_the_right_password_signs_in(client, auth, user, db):
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/account")
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
    assert _sessions_of(db, user) == 1


def test_the_email_address_may_differ_in_case_and_spaces(client, auth, user):
    assert auth.login(f"  {user.email.upper()} ").status_code == 302
    assert client.get("/account").status_code == 200


def test_a_wrong_password_is_a_form_error(client, auth, user, db):
    response = auth.login(user, password=PASSWORD + "x")
    assert response.status_code == 422
    assert "horen niet bij elkaar" in field_error(response.get_data(as_text=True), "password")  # Dutch by default
    assert client.get("/account").status_code == 302
    assert _sessions_of(db, user) == 0


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client, auth, user):
    wrong = auth.login(user, password="niet-het-wachtwoord")
    wrong_password = field_error(wrong.get_data(as_text=True), "password")
    unknown = auth.login("niemand@example.org")
    assert unknown.status_code == 422
    assert field_error(unknown.get_data(as_text=True), "password") == wrong_password


def test_a_login_without_csrf_token_is_refused(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_login_starts_a_new_session_and_keeps_only_the_language(client, auth, user):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["_user_id"] = "a-key-someone-planted"
        session["lang"] = "en"
    auth.login(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] != "a-key-someone-planted"
        assert session["lang"] == "en"
        assert session.permanent


def test_each_login_gets_its_own_key_and_signing_in_again_ends_the_old(client, auth, user, create_user, db):
    auth.login(user)
    first = _session_key(client)
    other = create_user()
    # Over the existing sign-in, in the same browser (/login would redirect: take the token from home).
    token = auth.read_token(client, "/")
    client.post("/login", data={"email": other.email, "password": PASSWORD, "csrf_token": token})
    second = _session_key(client)
    assert first and second and first != second
    assert _sessions_of(db, user) == 0  # the first sign-in ended with it
    assert _sessions_of(db, other) == 1


def test_an_anonymous_visitor_is_sent_to_login_and_back(client, auth, user):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    token_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account"' in token_page
    data = {"email": user.email, "password": PASSWORD, "next": "/account",
            "csrf_token": auth.read_token(client, "/login")}
    assert client.post("/login?next=%2Faccount", data=data).headers["Location"] == "/account"


def test_a_signed_in_user_visiting_login_is_sent_on(client, auth, user):
    auth.login(user)
    assert client.get("/login?next=/thinktanks/").headers["Location"] == "/thinktanks/"


def test_passwords_are_stored_as_scrypt_hashes(db, create_user):
    stored = create_user(password="een-eigen-wachtwoord-9")
    method, _salt, digest = stored.password_hash.split("$")
    assert method.startswith("scrypt:")
    assert "een-eigen-wachtwoord-9" not in stored.password_hash
    assert len(digest) == 128  # 64 bytes of scrypt output, in hex
