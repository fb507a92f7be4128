"""Registering: a pseudonym is fine, passwords must be strong, the terms are agreed to; the new account is not
signed in and waits for its address to be confirmed; bad input is a form error, stores nothing."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as ops
from samen.accounts.models import User, UserSession
from tests.accounts.pages import field_error, html_lang

STRONG = "tulp-molen-kaas-42"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {"email": "nieuw@example.org", "display_name": "Merel", "kind": "resident", "organisation": "",
            "password": STRONG, "confirm": STRONG, "accept_terms": "y"}
    data.update(overrides)
    return data


def _register(client, csrf_token, lang: str | None = None, **overrides: Any):
    path = f"/register?lang={lang}" if lang else "/register"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **_form(**overrides)})


def _user_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_page_says_a_pseudonym_is_fine(client):
    html = client.get("/register?lang=en").get_data(as_text=True)
    assert "A pseudonym is fine." in html
    assert 'name="display_name"' in html and 'name="organisation"' in html


def test_register_creates_an_unconfirmed_resident_and_mails_the_link(client, csrf_token, db, mailbox):
    response = _register(client, csrf_token, email="  Nieuw@Example.ORG ", display_name=" Merel ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/sent"
    user = ops.find_user_by_email("nieuw@example.org")
    assert user is not None
    assert (user.email, user.display_name, user.kind, user.organisation, user.is_admin) == (
        "nieuw@example.org", "Merel", "resident", None, False)
    assert user.password_hash.startswith("scrypt:")
    assert STRONG not in user.password_hash
    assert ops.verify_password(user, STRONG)
    assert user.email_confirmed_at is None and not user.under_16
    assert user.terms_version == ops.TERMS_VERSION and user.terms_accepted_at is not None
    # Not signed in: an address that had an account gets this same answer (test_enumeration.py).
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == user.id)) == 0
    assert client.get("/account").status_code == 302
    (mail,) = mailbox
    assert mail["To"] == "nieuw@example.org"
    assert "/register/confirm/" in mail.get_content()
    page = client.get("/register/sent?lang=en").get_data(as_text=True)
    assert "We have sent an e-mail to nieuw@example.org" in page


def test_register_a_professional_whose_organisation_is_not_listed(client, csrf_token):
    # Choosing from the register, and what it files, is tested in tests/partners/test_choose_organisation.py.
    response = _register(client, csrf_token, kind="professional", organisation="unlisted",
                         organisation_note=" Tactus ")
    assert response.status_code == 302
    user = ops.find_user_by_email("nieuw@example.org")
    assert (user.kind, user.organisation) == ("professional", None)  # the register's name once approved


def test_a_resident_has_no_organisation_even_when_one_is_sent(client, csrf_token):
    _register(client, csrf_token, kind="resident", organisation="unlisted", organisation_note="Tactus")
    assert ops.find_user_by_email("nieuw@example.org").organisation is None


def test_register_keeps_the_chosen_language(client, csrf_token):
    with client.session_transaction() as session:
        session["lang"] = "en"
    _register(client, csrf_token)
    assert ops.find_user_by_email("nieuw@example.org").locale == "en"
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


BAD_INPUT = [
    # (case, field with the error, form values, English message it shows)
    ("no e-mail", "email", {"email": ""}, "This field is required."),
    ("invalid e-mail", "email", {"email": "not-an-address"}, "Enter a valid e-mail address."),
    ("e-mail without domain", "email", {"email": "merel@"}, "Enter a valid e-mail address."),
    ("over-long e-mail", "email", {"email": "m" * 250 + "@example.org"}, "254"),
    ("e-mail with a NUL byte", "email", {"email": "me\x00rel@example.org"}, "invisible control character"),
    ("no display name", "display_name", {"display_name": "   "}, "between 2 and 80"),
    ("one-letter display name", "display_name", {"display_name": "M"}, "between 2 and 80"),
    ("over-long display name", "display_name", {"display_name": "M" * 81}, "between 2 and 80"),
    ("display name with a control character", "display_name", {"display_name": "Me\x07rel"},
     "invisible control character"),
    ("professional without organisation", "organisation", {"kind": "professional", "organisation": " "},
     "Professionals choose their organisation"),
    ("over-long organisation", "organisation_note",
     {"kind": "professional", "organisation": "unlisted", "organisation_note": "T" * 121}, "120"),
    ("unknown kind", "kind", {"kind": "admin"}, "Not a valid choice"),
    ("no password", "password", {"password": "", "confirm": ""}, "This field is required."),
    ("short password", "password", {"password": "kaas-42", "confirm": "kaas-42"}, "at least 10 characters"),
    ("common password", "password", {"password": "password123", "confirm": "password123"}, "too common"),
    ("keyboard row", "password", {"password": "qwertyuiop", "confirm": "qwertyuiop"}, "too common"),
    ("password made of the name", "password",
     {"display_name": "Merel Jansen", "password": "Merel Jansen 1", "confirm": "Merel Jansen 1"},
     "too common"),
    ("over-long password", "password", {"password": "x7-" * 70, "confirm": "x7-" * 70}, "at most 200"),
    ("mismatched confirmation", "confirm", {"confirm": STRONG + "!"}, "The passwords do not match."),
]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("field, values, message", [case[1:] for case in BAD_INPUT],
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_a_form_error_and_stores_nothing(client, csrf_token, db, lang, field, values, message):
    before = _user_count(db)
    response = _register(client, csrf_token, lang=lang, **values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html_lang(html) == lang
    assert field_error(html, field), f"no error shown at {field}"
    assert 'role="alert"' in html  # the summary at the top of the form
    if lang == "en":
        assert message in field_error(html, field)
    assert _user_count(db) == before
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


@pytest.mark.parametrize("email", ["taken@example.org", "Taken@Example.ORG", " TAKEN@example.org "])
def test_a_taken_address_in_any_letter_case_makes_no_account_and_tells_its_owner(client, csrf_token, create_user,
                                                                                db, mailbox, email):
    owner = create_user(email="taken@example.org", locale="en")
    before = _user_count(db)
    response = _register(client, csrf_token, lang="en", email=email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/sent"
    assert _user_count(db) == before
    (mail,) = mailbox
    assert mail["To"] == owner.email
    assert mail["Subject"] == "Someone tried to register with your e-mail address"
    assert "/login" in mail.get_content() and "/password/forgot" in mail.get_content()


def test_the_terms_must_be_agreed_to(client, csrf_token, db):
    before = _user_count(db)
    response = _register(client, csrf_token, lang="en", accept_terms="")
    assert response.status_code == 422
    assert "Agree to the terms of use to register." in field_error(response.get_data(as_text=True), "accept_terms")
    assert _user_count(db) == before


def test_the_register_page_links_to_the_terms_and_asks_the_age(client):
    html = client.get("/register?lang=en").get_data(as_text=True)
    assert '<a href="/terms">Read the terms of use</a>' in html
    assert 'name="accept_terms"' in html and 'name="under_16"' in html
    assert "I am younger than 16" in html


def test_a_post_without_csrf_token_is_refused_and_stores_nothing(client, db):
    before = _user_count(db)
    response = client.post("/register?lang=en", data=_form())
    assert response.status_code == 400
    assert "The form had expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert _user_count(db) == before


def test_a_post_with_a_forged_csrf_token_is_refused(client, db):
    client.get("/register")
    response = client.post("/register", data={"csrf_token": "forged", **_form()})
    assert response.status_code == 400
    assert ops.find_user_by_email("nieuw@example.org") is None


def test_signed_in_users_are_sent_home(client, auth, user):
    auth.login(user)
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
