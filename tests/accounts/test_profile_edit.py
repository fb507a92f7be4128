"""Editing the profile: display name, kind and organisation, language."""
from __future__ import annotations

import re

import pytest

from samen.accounts import operations as ops
from tests.accounts.pages import field_error, html_lang


def _profile(**overrides):
    return {"display_name": "Buurvrouw", "kind": "resident", "organisation": "", "locale": "nl", **overrides}


def test_the_profile_page_shows_the_current_values(client, auth, create_user):
    professional = create_user(display_name="Wijkagent Dennis", kind="professional", organisation="Politie")
    auth.login(professional)
    html = client.get("/account?lang=en").get_data(as_text=True)
    assert 'value="Wijkagent Dennis"' in html
    assert "Your organisation: Politie." in html
    assert re.search(r"<input checked[^>]*value=\"professional\"", html)


def test_a_resident_becomes_a_professional(client, auth, user):
    auth.login(user)
    response = auth.post("/account", _profile(display_name=" Ingrid ", kind="professional",
                                              organisation="unlisted", organisation_note=" Tactus "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    stored = ops.find_user_by_email(user.email)
    # Not typed into the account: a note for the administrators (tests/partners/test_choose_organisation.py).
    assert (stored.display_name, stored.kind, stored.organisation) == ("Ingrid", "professional", None)


def test_a_professional_who_becomes_a_resident_drops_the_organisation(client, auth, create_user):
    professional = create_user(kind="professional", organisation="Politie")
    auth.login(professional)
    auth.post("/account", _profile(kind="resident", organisation="Politie"))
    stored = ops.find_user_by_email(professional.email)
    assert (stored.kind, stored.organisation) == ("resident", None)


BAD_PROFILES = [
    ("no display name", "display_name", {"display_name": ""}),
    ("over-long display name", "display_name", {"display_name": "B" * 81}),
    ("professional without organisation", "organisation", {"kind": "professional", "organisation": ""}),
    ("over-long organisation", "organisation_note",
     {"kind": "professional", "organisation": "unlisted", "organisation_note": "P" * 121}),
    ("organisation not in the register", "organisation", {"kind": "professional", "organisation": "Politie"}),
    ("unknown kind", "kind", {"kind": "admin"}),
    ("unknown language", "locale", {"locale": "xx"}),
]


@pytest.mark.parametrize("field, values", [case[1:] for case in BAD_PROFILES],
                         ids=[case[0] for case in BAD_PROFILES])
def test_a_bad_profile_is_a_form_error_and_changes_nothing(client, auth, user, field, values):
    auth.login(user)
    response = auth.post("/account", _profile(**values))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    stored = ops.find_user_by_email(user.email)
    assert (stored.display_name, stored.kind, stored.organisation) == (user.display_name, "resident", None)


def test_choosing_a_language_in_the_profile_sets_the_page_language(client, auth, user):
    auth.login(user)
    auth.post("/account", _profile(locale="en"))
    assert ops.find_user_by_email(user.email).locale == "en"
    assert html_lang(client.get("/account").get_data(as_text=True)) == "en"


def test_the_profile_needs_a_sign_in(client, auth):
    assert client.get("/account").status_code == 302
    assert auth.post("/account", _profile()).status_code == 302
