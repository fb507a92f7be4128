"""Changing the password: the current one is asked, the new one must be strong, other sessions end."""
from __future__ import annotations

import pytest

from samen.accounts import operations as ops
from tests.accounts.pages import field_error
from tests.conftest import PASSWORD, Auth

NEW = "regen-paraplu-fiets-8"


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_changing_the_password_ends_the_other_sessions(client, new_client, auth, user, db):
    phone = new_client()
    phone_auth = Auth(phone, auth.read_token)
    phone_auth.login(user, remember=True)
    phone_remember = phone.get_cookie("remember_token").value
    auth.login(user)

    response = auth.post("/account/password", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"

    assert _signed_in(client)  # this browser stays signed in
    assert not _signed_in(phone)  # the other one is signed out, remember-me cookie and all
    restarted_phone = new_client()
    restarted_phone.set_cookie("remember_token", phone_remember)
    assert not _signed_in(restarted_phone)

    stored = ops.find_user_by_email(user.email)
    assert stored.password_hash.startswith("scrypt:")
    assert ops.verify_password(stored, NEW) and not ops.verify_password(stored, PASSWORD)


BAD_CHANGES = [
    ("wrong current password", "current", {"current": "niet-mijn-wachtwoord"}, "not your current password"),
    ("no current password", "current", {"current": ""}, "This field is required."),
    ("short new password", "password", {"password": "kort-1", "confirm": "kort-1"}, "at least 10 characters"),
    ("common new password", "password", {"password": "password123", "confirm": "password123"}, "too common"),
    ("mismatched confirmation", "confirm", {"confirm": NEW + "!"}, "The passwords do not match."),
]


@pytest.mark.parametrize("field, values, message", [case[1:] for case in BAD_CHANGES],
                         ids=[case[0] for case in BAD_CHANGES])
def test_a_bad_change_is_a_form_error_and_keeps_the_password(client, auth, user, field, values, message):
    auth.login(user)
    before = ops.find_user_by_email(user.email).password_hash
    response = auth.post("/account/password?lang=en", {"current": PASSWORD, "password": NEW, "confirm": NEW,
                                                       **values})
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert ops.find_user_by_email(user.email).password_hash == before


def test_changing_the_password_needs_a_sign_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
