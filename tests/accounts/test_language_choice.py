"""Choosing the language: Dutch by default, English on request, remembered for a signed-in user."""
from __future__ import annotations

from samen.accounts import operations as ops
from tests.accounts.pages import html_lang
from tests.conftest import Auth


def _lang_of(client, path: str = "/") -> str | None:
    return html_lang(client.get(path).get_data(as_text=True))


def test_the_site_is_dutch_by_default(client):
    assert _lang_of(client) == "nl"


def test_switching_to_english_sets_html_lang(client, auth):
    response = auth.post("/language", {"lang": "en", "next": "/thinktanks/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/thinktanks/"
    assert _lang_of(client) == "en"
    assert _lang_of(client, "/login") == "en"
    auth.post("/language", {"lang": "nl", "next": "/"})
    assert _lang_of(client) == "nl"


def test_a_lang_parameter_sets_the_language_of_that_page(client):
    assert _lang_of(client, "/login?lang=en") == "en"
    assert _lang_of(client, "/login?lang=xx") == "nl"
    assert _lang_of(client) == "nl"  # only that page


def test_an_unknown_language_is_ignored(client, auth):
    response = auth.post("/language", {"lang": "xx", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert _lang_of(client) == "nl"


def test_the_language_switch_only_redirects_locally(client, auth):
    response = auth.post("/language", {"lang": "en", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_a_signed_in_users_choice_follows_them_to_another_browser(client, new_client, auth, user):
    auth.login(user)
    auth.post("/language", {"lang": "en", "next": "/"})
    assert ops.find_user_by_email(user.email).locale == "en"
    other_browser = new_client()
    Auth(other_browser, auth.read_token).login(user)
    assert _lang_of(other_browser) == "en"


def test_the_language_switch_needs_a_csrf_token(client):
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 400
    assert _lang_of(client) == "nl"
